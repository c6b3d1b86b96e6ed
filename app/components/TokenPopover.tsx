/** Details of one token: text, probability, log-probability, entropy, top-10 alternatives. */
import { useLayoutEffect, useState, type Ref, type RefObject } from 'react';
import type { TokenRecord } from '../../workers/protocol';
import { formatNats, formatProb, visibleTokenText } from '../format';

interface Props {
  ref: Ref<HTMLDivElement>;
  id: string;
  token: TokenRecord;
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
  const top = below + height > window.innerHeight && r.top - GAP - height > 0 ? r.top - GAP - height : below;
  const left = Math.min(Math.max(GAP, r.left), Math.max(GAP, window.innerWidth - width - GAP));
  return { top, left };
}

/** A tooltip (role="tooltip"), fixed-positioned under (or above) its token. */
export function TokenPopover({ ref, id, token, container, index, onMouseEnter, onMouseLeave }: Props) {
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const [el, setEl] = useState<HTMLDivElement | null>(null);

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
  }, [container, index, el]);

  const top = token.top.slice(0, ALTERNATIVES);
  const chosenListed = top.some((t) => t.id === token.id);
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
        <span className="token-id">id {token.id}</span>
      </p>
      <dl className="popover-stats">
        <dt>Probability</dt>
        <dd data-testid="popover-prob">{formatProb(token.prob)}</dd>
        <dt>Log-probability</dt>
        <dd data-testid="popover-logprob">{formatNats(token.logprob)}</dd>
        <dt>Entropy at this step</dt>
        <dd data-testid="popover-entropy">{formatNats(token.entropy)}</dd>
      </dl>
      <p className="popover-caption">Top {ALTERNATIVES} alternatives</p>
      <ol className="alternatives">
        {top.map((alt) => {
          const chosen = alt.id === token.id;
          return (
            <li key={alt.id} className={chosen ? 'alt chosen' : 'alt'} data-testid="popover-alt" aria-current={chosen || undefined}>
              <span className="alt-text">{visibleTokenText(alt.text)}</span>
              <span className="alt-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(0, Math.min(1, alt.prob)) * 100}%` }} />
              </span>
              <span className="alt-prob">
                {formatProb(alt.prob)}
                {chosen && <span className="visually-hidden"> (chosen)</span>}
              </span>
            </li>
          );
        })}
      </ol>
      {!chosenListed && <p className="hint">The chosen token is not among the top {ALTERNATIVES}.</p>}
    </div>
  );
}
