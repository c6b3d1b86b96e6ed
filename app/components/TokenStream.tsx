/** A panel's token stream (prompt echo + token spans) and its single token popover. */
import { useRef } from 'react';
import type { TokenRecord } from '../../workers/protocol';
import { TokenPopover } from './TokenPopover';
import { TokenSpan } from './TokenSpan';
import { useTokenPopover } from './use-token-popover';

interface Props {
  panelIndex: number;
  tokens: TokenRecord[];
  prompt: string | null;
  busy: boolean;
}

/** Tokens as focusable spans; hover, focus or click one to see its alternatives. */
export function TokenStream({ panelIndex, tokens, prompt, busy }: Props) {
  const containerRef = useRef<HTMLSpanElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const { active, container, popover } = useTokenPopover(containerRef, popoverRef, tokens.length);
  const popoverId = `panel-${panelIndex}-popover`;
  const activeToken = active ? tokens[active.index] : undefined;

  return (
    <div className="stream" aria-busy={busy}>
      {prompt !== null && <span className="prompt-echo">{prompt}</span>}
      <span ref={containerRef} className="tokens" data-testid="tokens" aria-label="Generated tokens: use the arrow keys to move between them" {...container}>
        {tokens.map((t, i) => (
          <TokenSpan key={i} token={t} index={i} describedBy={active?.index === i ? popoverId : undefined} />
        ))}
      </span>
      {tokens.length === 0 && !busy && <p className="placeholder">Press Generate to see the continuation here.</p>}
      {active && activeToken && <TokenPopover ref={popoverRef} id={popoverId} token={activeToken} container={containerRef} index={active.index} {...popover} />}
    </div>
  );
}
