/** Details of one token: probability, rank, entropy, top-10 alternatives and the strategy's detail. */
import { useLayoutEffect, useMemo, useState, type KeyboardEvent, type Ref, type RefObject } from 'react';
import type { TokenRecord } from '../../protocol';
import { formatNats, formatProb, visibleTokenText } from '../format';
import { rankOf } from '../heatmap';
import { PROVENANCE, provenanceOf } from '../provenance';
import { useAppStore } from '../store';
import { tokenElement } from '../token-nav';
import { mergedTextIndex, textIndex } from '../token-text';
import { ProbBars } from './detail/ProbBars';
import { Icon } from './Icon';
import { LensTable } from './LensView';
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
  /** Pinned by a click or Enter: stays until closed, and shows a close button. */
  pinned: boolean;
  onClose: () => void;
  onMouseEnter: () => void;
  onMouseLeave: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
}

const GAP = 8;
const ALTERNATIVES = 10;
/** Smallest height (px) a capped popover gets, even when its token sits at the window's edge. */
const MIN_HEIGHT = 120;

/**
 * Where the popover goes: below its token, else above; when it fits neither (tall details, large
 * presentation type), on the roomier side with its height capped to that room (it scrolls), so it
 * never covers its own token, which must stay clickable to pin or unpin it.
 */
function place(anchor: HTMLElement, width: number, height: number): { top: number; left: number; maxHeight?: number } {
  const r = anchor.getBoundingClientRect();
  const below = r.bottom + GAP;
  const roomBelow = window.innerHeight - GAP - below;
  const roomAbove = r.top - 2 * GAP;
  const left = Math.min(Math.max(GAP, r.left), Math.max(GAP, window.innerWidth - width - GAP));
  if (height <= roomBelow) return { top: below, left };
  if (height <= roomAbove) return { top: r.top - GAP - height, left };
  if (roomBelow >= roomAbove) return { top: below, left, maxHeight: Math.max(MIN_HEIGHT, roomBelow) };
  const maxHeight = Math.max(MIN_HEIGHT, roomAbove);
  return { top: Math.max(GAP, r.top - GAP - maxHeight), left, maxHeight };
}

/** Text of every id the run has seen (this panel first). */
function useTexts(tokens: readonly TokenRecord[]): ReadonlyMap<number, string> {
  const views = useAppStore((s) => s.panelViews);
  return useMemo(() => (views ? mergedTextIndex([tokens, ...views.map((v) => v.tokens)]) : textIndex(tokens)), [tokens, views]);
}

/**
 * A tooltip (role="tooltip"), fixed-positioned under (or above) its token, scrollable when tall;
 * pinned, it becomes a non-modal dialog with a close button (a tooltip may hold no controls).
 */
export function TokenPopover({ ref, id, token, tokens, container, index, pinned, onClose, onMouseEnter, onMouseLeave, onKeyDown }: Props) {
  const [pos, setPos] = useState<{ top: number; left: number; maxHeight?: number } | null>(null);
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const texts = useTexts(tokens);

  useLayoutEffect(() => {
    const update = () => {
      const a = tokenElement(container.current, index);
      // Its natural height (not one a previous cap gave it), within the stylesheet's cap (detail.css: min(80vh, 640px)).
      const natural = el ? el.scrollHeight + el.offsetHeight - el.clientHeight : 0;
      if (a && el) setPos(place(a, el.offsetWidth, Math.min(natural, window.innerHeight * 0.8, 640)));
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
      role={pinned ? 'dialog' : 'tooltip'}
      aria-label={pinned ? `Details of token ${index + 1} (pinned)` : undefined}
      className={pinned ? 'popover pinned' : 'popover'}
      // A capped popover scrolls; Chromium would make such a scroller a Tab stop of its own before the
      // close button. Arrow keys still scroll it while focus is on the close button inside.
      tabIndex={-1}
      data-testid="token-popover"
      data-pinned={pinned}
      style={pos ? { top: pos.top, left: pos.left, maxHeight: pos.maxHeight } : { visibility: 'hidden' }}
      onMouseEnter={onMouseEnter}
      onMouseLeave={onMouseLeave}
      onKeyDown={onKeyDown}
    >
      <p className="popover-token">
        <span className="token-text">{visibleTokenText(token.text)}</span>
        <span className="token-id">
          token {index + 1} · id {token.id}
        </span>
        {pinned && (
          <button type="button" className="icon popover-close" aria-label={`Close the details of token ${index + 1}`} title="Close (Escape)" data-testid="popover-close" onClick={onClose}>
            <Icon name="remove" />
          </button>
        )}
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
      <LensTable token={token} tokens={tokens} testId="popover-lens" />
    </div>
  );
}
