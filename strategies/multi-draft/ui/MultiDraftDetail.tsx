/** Multi-draft detail of a token: the root candidates with p, q and the stage-wise residuals, then every chain's chips. */
import type { TokenRecord } from '../../../protocol';
import { multiDraftView, type MultiDraftView, type RootView } from './multi-draft-view';
import type { DraftView } from '../../speculative/ui/speculative-view';
import { formatProb } from '../../../app/format';
import { idText } from '../../../app/token-text';
import { DraftChips } from '../../speculative/ui/DraftChips';

interface Props {
  view: MultiDraftView;
  tokens: readonly TokenRecord[];
  index: number;
  texts: ReadonlyMap<number, string>;
}

/** The roots and chains of the iteration `index` belongs to (carried by its first token). */
export function iterationHead(tokens: readonly TokenRecord[], index: number, iteration: number): { roots: RootView[] | null; chains: DraftView[][] | null } | null {
  for (let i = index; i >= 0; i--) {
    const v = multiDraftView(tokens[i]?.annotations ?? {});
    if (!v || v.iteration !== iteration) return null;
    if (v.roots || v.chains) return { roots: v.roots, chains: v.chains };
  }
  return null;
}

function fateText(v: MultiDraftView): string {
  if (v.fate === 'accepted') return `Accepted draft from chain ${(v.chain ?? 0) + 1}: the target agreed with the draft here.`;
  if (v.fate === 'bonus') return `Bonus token: every token of chain ${(v.chain ?? 0) + 1} was accepted, so the target adds one of its own.`;
  if (v.chain === null) return `Residual: all ${v.candidates} first tokens were rejected, so this token is the target’s own (drawn from the last stage’s residual when sampling, the target’s argmax when greedy).`;
  return `Resampled: a draft of chain ${v.chain + 1} was rejected here, so this token comes from the target (residual max(0, p − q) when sampling).`;
}

function RootTable({ roots, texts }: { roots: RootView[]; texts: ReadonlyMap<number, string> }) {
  const sampled = roots.some((r) => r.r !== null);
  return (
    <table className="popover-table" data-testid="md-roots">
      <caption>First tokens (root candidates), in the order they were tried</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">token</th>
          <th scope="col">p</th>
          <th scope="col">q</th>
          {sampled && (
            <>
              <th scope="col">
                p<sub>i</sub>
              </th>
              <th scope="col">
                q<sub>i</sub>
              </th>
              <th scope="col">r</th>
              <th scope="col">residual mass</th>
            </>
          )}
          <th scope="col">fate</th>
        </tr>
      </thead>
      <tbody>
        {roots.map((r, i) => (
          <tr key={i} data-testid="md-root" data-fate={r.fate}>
            <td>{i + 1}</td>
            <td>{idText(texts, r.id, r.text)}</td>
            <td>{formatProb(r.p)}</td>
            <td>{formatProb(r.q)}</td>
            {sampled && (
              <>
                <td>{r.pStage === null ? '—' : formatProb(r.pStage)}</td>
                <td>{r.qStage === null ? '—' : formatProb(r.qStage)}</td>
                <td>{r.r === null ? '—' : formatProb(r.r)}</td>
                <td>{r.residualMass === null ? '—' : formatProb(r.residualMass)}</td>
              </>
            )}
            <td>{r.fate}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each chain's chips, the accepted one marked. */
export function ChainList({ chains, accepted, texts }: { chains: DraftView[][]; accepted: number | null; texts: ReadonlyMap<number, string> }) {
  return (
    <ol className="md-chains" aria-label="Draft chains">
      {chains.map((c, i) => (
        <li key={i} data-testid="md-chain" data-accepted={i === accepted || undefined}>
          <span className="chip-note">
            chain {i + 1}
            {i === accepted ? ' (accepted)' : ''}:{' '}
          </span>
          <DraftChips drafts={c} emitted={null} texts={texts} />
        </li>
      ))}
    </ol>
  );
}

/** Detail section for a multi-draft token. */
export function MultiDraftDetail({ view, tokens, index, texts }: Props) {
  const head = view.roots || view.chains ? { roots: view.roots, chains: view.chains } : iterationHead(tokens, index, view.iteration);
  return (
    <section className="detail" data-testid="popover-detail" aria-label="Multi-draft speculative decoding detail">
      <p className="detail-title">
        Iteration {view.iteration + 1}: {view.candidates} chain{view.candidates === 1 ? '' : 's'} of k = {view.k}, accepted {view.acceptedInIteration}
        {view.chain === null ? ' (every first token rejected)' : ` from chain ${view.chain + 1}`}
      </p>
      <p data-testid="md-fate" data-fate={view.fate}>
        {fateText(view)}
      </p>
      {view.fate === 'accepted' && view.p !== null && view.q !== null && (
        <dl className="popover-stats">
          <dt>p(d)</dt>
          <dd data-testid="md-p">{formatProb(view.p)}</dd>
          <dt>q(d)</dt>
          <dd data-testid="md-q">{formatProb(view.q)}</dd>
          {view.r !== null && (
            <>
              <dt>Draw r</dt>
              <dd>{formatProb(view.r)}</dd>
            </>
          )}
        </dl>
      )}
      {head?.roots && head.roots.length > 0 && <RootTable roots={head.roots} texts={texts} />}
      {head?.chains && head.chains.length > 0 && <ChainList chains={head.chains} accepted={view.chain} texts={texts} />}
      <p className="hint">
        Running acceptance α̂ = {view.alpha === null ? '—' : view.alpha.toFixed(2)}, tokens per target pass τ = {view.tau === null ? '—' : view.tau.toFixed(2)}
      </p>
    </section>
  );
}
