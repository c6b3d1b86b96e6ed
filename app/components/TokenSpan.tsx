/** One generated token: a focusable span coloured by its probability; text only, never HTML. */
import { memo } from 'react';
import type { TokenRecord } from '../../workers/protocol';
import { probabilityColors } from '../color-scale';
import { tokenMarker, visibleTokenText } from '../format';

interface Props {
  token: TokenRecord;
  index: number;
  /** Popover id while this token's popover is open. */
  describedBy: string | undefined;
}

/** Memoised: appending tokens re-renders only the new ones. */
export const TokenSpan = memo(function TokenSpan({ token, index, describedBy }: Props) {
  const colors = probabilityColors(token.prob);
  const marker = tokenMarker(token.text);
  return (
    <span
      className="token"
      tabIndex={0}
      data-index={index}
      data-prob={token.prob}
      data-id={token.id}
      data-marker={marker ?? undefined}
      data-glyph={marker === 'invisible' ? visibleTokenText(token.text) : undefined}
      aria-describedby={describedBy}
      style={colors}
    >
      {token.text}
    </span>
  );
});
