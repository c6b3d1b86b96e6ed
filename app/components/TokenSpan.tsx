/** One generated token: a focusable span coloured by the heatmap (or diff) mode; text only, never HTML. */
import { memo } from 'react';
import type { TokenRecord } from '../../protocol';
import type { TokenColors } from '../color-scale';
import { streamTokenText, tokenMarker, visibleTokenText } from '../format';

interface Props {
  token: TokenRecord;
  index: number;
  /** Background and text colour (stable objects from lookup tables, so memo holds). */
  colors: TokenColors;
  /** The number or category the colour encodes (data-heat, for tests and scripts). */
  heat: number | string;
  /** Diff mark when diff mode is on. */
  diff: string | undefined;
  /** Roving tab stop: only one token per panel is in the Tab order. */
  tabbable: boolean;
  /** Popover id while this token's popover is open. */
  describedBy: string | undefined;
}

/** Memoised: appending tokens re-renders only the new ones. */
export const TokenSpan = memo(function TokenSpan({ token, index, colors, heat, diff, tabbable, describedBy }: Props) {
  const marker = tokenMarker(token.text);
  return (
    <span
      className="token"
      tabIndex={tabbable ? 0 : -1}
      data-index={index}
      data-prob={token.prob}
      data-id={token.id}
      data-heat={heat}
      data-diff={diff}
      data-marker={marker ?? undefined}
      data-glyph={marker === 'invisible' ? visibleTokenText(token.text) : undefined}
      aria-describedby={describedBy}
      style={colors}
    >
      {streamTokenText(token.text)}
    </span>
  );
});
