/** Details of one token: probability, rank, entropy, top-10 alternatives and the strategy's detail. */
import { useLayoutEffect, useMemo, useState, type Ref, type RefObject } from 'react';
import type { TokenRecord } from '../../protocol';
import { formatNats, formatProb, visibleTokenText } from '../format';
import { rankOf } from '../heatmap';
import { PROVENANCE, provenanceOf } from '../provenance';
import { useAppStore } from '../store';
import { mergedTextIndex, textIndex } from '../token-text';
import { ProbBars } from './detail/ProbBars';
import { StrategyDetail } from './StrategyDetail';

interface Props {
  ref: Ref<HTMLDivElement>;
  id: string;
  token: TokenRecord;
  /** Every token of the panel (the strategy detail may live on an earlier token of the step). */
  tokens: readonly TokenRecord[];
  /** The token container and the index of the token the popover points at. */
  container: RefObject<HTMLElement | null>;
  index: number;
  onMouseEnter: () => void;
  onMouseLeave: () => void;
}

const GAP = 8;
const ALTERNATIVES = 10;

function place(anchor: HTMLElement, width: number, height: number): { top: number; left: number } {
  const r = anchor.getBoundingClientRect();
  const below = r.bottom + GAP;
  const fitsBelow = below + height <= window.innerHeight - GAP;
  const fitsAbove = r.top - GAP - height >= GAP;
  const top = fitsBelow || !fitsAbove ? Math.max(GAP, Math.min(below, window.innerHeight - height - GAP)) : r.top - GAP - height;
  const left = Math.min(Math.max(GAP, r.left), Math.max(GAP, window.innerWidth - width - GAP));
  return { top, left };
}

/** Text of every id the run has seen (this panel first). */
function useTexts(tokens: readonly TokenRecord[]): ReadonlyMap<number, string> {
  const views = useAppStore((s) => s.panelViews);
  return useMemo(() => (views ? mergedTextIndex([tokens, ...views.map((v) => v.tokens)]) : textIndex(tokens)), [tokens, views]);
}

/** A tooltip (role="tooltip"), fixed-positioned under (or above) its token, scrollable when tall. */
export function TokenPopover({ ref, id, token, tokens, container, index, onMouseEnter, onMouseLeave }: Props) {
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const texts = useTexts(tokens);

  useLayoutEffect(() => {
    const update = () => {
      const a = container.current?.querySelector<HTMLElement>(`.token[data-index="${index}"]`);
      if (a && el) setPos(place(a, el.offsetWidth, el.offsetHeight));
    };
    update();
    window.addEventListener('scroll', update, true);
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update, true);
      window.removeEventListener('resize', update);
    };
  }, [container, index, el, token]);

  const top = token.top.slice(0, ALTERNATIVES);
  const rank = rankOf(token);
  const provenance = provenanceOf(token);
  const setRefs = (node: HTMLDivElement | null) => {
    setEl(node);
    if (typeof ref === 'function') ref(node);
    else if (ref) ref.current = node;
  };

  return (
    <div
      ref={setRefs}
      id={id}
      role="tooltip"
      className="popover"
      data-testid="token-popover"
      style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden' }}
      onMouseEnter={onMouseEnter}
      onMouseLeave={onMouseLeave}
    >
      <p className="popover-token">
        <span className="token-text">{visibleTokenText(token.text)}</span>
        <span className="token-id">
          token {index + 1} · id {token.id}
        </span>
      </p>
      <dl className="popover-stats">
        <dt>Probability</dt>
        <dd data-testid="popover-prob">{formatProb(token.prob)}</dd>
        <dt>Rank</dt>
        <dd data-testid="popover-rank">{rank === null ? `below the top ${token.top.length}` : `${rank} of ${token.top.length} listed`}</dd>
        <dt>Log-probability</dt>
        <dd data-testid="popover-logprob">{formatNats(token.logprob)}</dd>
        <dt>Entropy at this step</dt>
        <dd data-testid="popover-entropy">{formatNats(token.entropy)}</dd>
        {provenance !== 'plain' && (
          <>
            <dt>Provenance</dt>
            <dd data-testid="popover-provenance">{PROVENANCE[provenance].label}</dd>
          </>
        )}
      </dl>
      <p className="popover-caption">Top {ALTERNATIVES} alternatives (model’s raw probabilities)</p>
      <ProbBars
        rows={top.map((alt) => ({
          key: alt.id,
          label: visibleTokenText(alt.text),
          value: alt.prob,
          highlight: alt.id === token.id,
          note: alt.id === token.id ? '(chosen)' : undefined,
        }))}
        testId="popover-alt"
      />
      {rank === null && <p className="hint">The chosen token is not among the top {ALTERNATIVES}.</p>}
      <StrategyDetail token={token} tokens={tokens} index={index} texts={texts} />
    </div>
  );
}
