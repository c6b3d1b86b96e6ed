/** Speculative / prompt-lookup detail of a token: its fate, p vs q, the acceptance draw, the iteration's drafts. */
import type { TokenRecord } from '../../../protocol';
import { acceptanceRatio, speculativeView, type DraftView, type SpeculativeView } from './speculative-view';
import { formatProb } from '../../../app/format';
import { idText } from '../../../app/token-text';
import { DraftChips } from './DraftChips';
import { ProbBars } from '../../../app/components/detail/ProbBars';
import { DraftFreeDetail } from '../../draft-free/ui/DraftFreeDetail';

interface Props {
  view: SpeculativeView;
  tokens: readonly TokenRecord[];
  index: number;
  texts: ReadonlyMap<number, string>;
}

/** The drafts of the iteration `index` belongs to (carried by its first token). */
export function iterationDrafts(tokens: readonly TokenRecord[], index: number, iteration: number): DraftView[] | null {
  for (let i = index; i >= 0; i--) {
    const v = speculativeView(tokens[i]?.annotations ?? {});
    if (!v || v.iteration !== iteration) return null;
    if (v.drafts) return v.drafts;
  }
  return null;
}

function Draw({ p, q, r }: { p: number; q: number; r: number | null }) {
  const ratio = acceptanceRatio(p, q);
  return (
    <>
      <ProbBars
        rows={[
          { key: 'p', label: 'p (target)', value: p },
          { key: 'q', label: 'q (draft)', value: q },
        ]}
      />
      <dl className="popover-stats">
        <dt>p(d)</dt>
        <dd data-testid="spec-p">{formatProb(p)}</dd>
        <dt>q(d)</dt>
        <dd data-testid="spec-q">{formatProb(q)}</dd>
        <dt>min(1, p/q)</dt>
        <dd data-testid="spec-ratio">{formatProb(ratio)}</dd>
        {r !== null && (
          <>
            <dt>Draw r</dt>
            <dd data-testid="spec-r">
              {formatProb(r)} {r < ratio ? '< ratio: accept' : '≥ ratio: reject'}
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

function fateText(v: SpeculativeView, rejected: DraftView | undefined, texts: ReadonlyMap<number, string>): string {
  if (v.drafted === 0) return 'Target step: nothing was drafted in this iteration.';
  if (v.fate === 'accepted') return 'Draft accepted: the target agreed with the draft here.';
  if (v.fate === 'bonus') return 'Bonus token: every draft was accepted, so the target adds one of its own.';
  const which = rejected ? ` “${idText(texts, rejected.id, rejected.text)}”` : '';
  return `Resampled: the draft${which} was rejected here, so this token comes from the target (residual max(0, p − q) when sampling).`;
}

/** Detail section for a speculative token. */
export function SpeculativeDetail({ view, tokens, index, texts }: Props) {
  const drafts = view.drafts ?? iterationDrafts(tokens, index, view.iteration);
  const rejected = drafts?.find((d) => d.fate === 'rejected');
  const draw =
    view.fate === 'accepted' && view.p !== null && view.q !== null
      ? { p: view.p, q: view.q, r: view.r }
      : view.fate === 'resampled' && rejected && rejected.p !== null
        ? { p: rejected.p, q: rejected.q, r: rejected.r }
        : null;
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Speculative decoding detail">
      <p className="detail-title">
        Iteration {view.iteration + 1}: drafted {view.drafted} of k = {view.k}, accepted {view.acceptedInIteration}
      </p>
      <p data-testid="spec-fate" data-fate={view.drafted === 0 ? 'target-step' : view.fate}>
        {fateText(view, rejected, texts)}
      </p>
      {draw && (
        <>
          <p className="popover-caption">{view.fate === 'accepted' ? 'This draft' : 'The rejected draft'}</p>
          <Draw {...draw} />
        </>
      )}
      {drafts && drafts.length > 0 && <DraftChips drafts={drafts} emitted={null} texts={texts} />}
      <DraftFreeDetail tokens={tokens} index={index} iteration={view.iteration} texts={texts} />
      <p className="hint">
        Running acceptance α̂ = {view.alpha === null ? '—' : view.alpha.toFixed(2)}, tokens per target pass τ = {view.tau === null ? '—' : view.tau.toFixed(2)}
      </p>
    </section>
  );
}
