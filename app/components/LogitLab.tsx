/**
 * Step mode's logit lab for one panel (docs/step-mode.md): the candidates of the last step's
 * decision as bars through the stages of the chain that applied (raw softmax → penalties → contrast
 * or sparse term → temperature → each warper → final), what each stage removed, and the choice (with
 * its uniform when it was a draw); below, the strategy's own detail of the token (drafts with q and p,
 * CNTP's trials, contrastive search's scores...). The numbers are the worker's (protocol/lab.ts).
 */
import { useState } from 'react';
import type { LabRow, LabStep, TokenRecord } from '../../protocol';
import { formatProb, visibleTokenText } from '../format';
import { textIndex } from '../token-text';
import { LensTable } from './LensView';
import { StrategyDetail } from './StrategyDetail';

interface Props {
  panelIndex: number;
  lab: LabStep | null | undefined;
  tokens: readonly TokenRecord[];
  /** A run is paused or in step mode with no step taken yet: say how to take one. */
  waiting: boolean;
}

/** A row's button: `token N` for an emitted token's own row, else which model's row, counted. */
function rowName(rows: readonly LabRow[], i: number, tokenCount: number): string {
  const row = rows[i]!;
  if (row.source === 'record') return `token ${tokenCount - rows.length + i + 1}`;
  if (row.label) return row.label;
  const n = rows.slice(0, i + 1).filter((r) => r.model === row.model).length;
  return `${row.model} row ${n}`;
}

/** The lab of the panel's last step taken in step mode. */
export function LogitLab({ panelIndex, lab, tokens, waiting }: Props) {
  const rows = lab?.rows ?? [];
  // The last target row is the decision the emitted token came from (drafts propose before it).
  const lastTarget = rows.map((r) => r.model).lastIndexOf('target');
  const [picked, setPicked] = useState<number | null>(null);
  const at = picked !== null && picked < rows.length ? picked : lastTarget >= 0 ? lastTarget : rows.length - 1;
  const row = rows[at];
  // A `record` row is one emitted token of the step (the last ones on screen); a chain row belongs to the step's last token.
  const tokenAt = row?.source === 'record' ? tokens.length - rows.length + at : tokens.length - 1;
  const token = tokens[tokenAt] ?? tokens[tokens.length - 1];
  if (!row) {
    return (
      <section className="logit-lab empty" data-testid={`logit-lab-${panelIndex}`} aria-label={`Logit lab of panel ${panelIndex + 1}`}>
        <h3>Logit lab</h3>
        <p className="muted">
          {lab
            ? 'This strategy’s last step processed no row through the sampling chain; its own detail is below.'
            : waiting
              ? 'Press Step (Space) to take one step: each panel then shows how its next token was chosen.'
              : 'Steps taken with Step (Space) show here how each token was chosen.'}
        </p>
        {lab && token && (
          <>
            <StrategyDetail token={token} tokens={tokens} index={tokens.length - 1} texts={textIndex(tokens)} />
            <LensTable token={token} tokens={tokens} testId={`lab-lens-${panelIndex}`} />
          </>
        )}
      </section>
    );
  }
  const order = row.candidates.map((_, i) => i).sort((a, b) => row.stages[0]!.probs[b]! - row.stages[0]!.probs[a]! || a - b);
  const final = row.stages[row.stages.length - 1]!;
  const chosenAt = row.candidates.findIndex((c) => c.id === row.chosen);
  const chosen = row.candidates[chosenAt]!;
  return (
    <section className="logit-lab" data-testid={`logit-lab-${panelIndex}`} data-chosen={row.chosen} aria-label={`Logit lab of panel ${panelIndex + 1}`}>
      <h3>
        Logit lab <span className="muted">· token {tokenAt + 1}</span>
      </h3>
      {rows.length > 1 && (
        <div className="lab-rows" role="group" aria-label="Rows this step processed">
          {rows.map((_, i) => (
            <button key={i} type="button" className="quiet" aria-pressed={i === at} onClick={() => setPicked(i)}>
              {rowName(rows, i, tokens.length)}
            </button>
          ))}
          {lab?.truncated && <span className="muted">(more rows not recorded)</span>}
        </div>
      )}
      <div className="lab-table-wrap">
        <table className="lab-table">
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              {row.stages.map((st, s) => (
                <th scope="col" key={st.id} data-stage={st.id}>
                  {s === row.stages.length - 1 && row.stages.length > 1 ? `${st.label} = final` : st.label}
                  {st.kept !== null && <span className="lab-kept">{st.kept} kept</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {order.map((c) => {
              const cand = row.candidates[c]!;
              return (
                <tr key={cand.id} data-id={cand.id} data-chosen={cand.id === row.chosen || undefined}>
                  <th scope="row" title={`id ${cand.id}`}>
                    {cand.id === row.chosen && <span aria-label="chosen">▶ </span>}
                    <code>{visibleTokenText(cand.text)}</code>
                  </th>
                  {row.stages.map((st, s) => {
                    const p = st.probs[c]!;
                    const removed = p === 0 && (s === 0 || row.stages[s - 1]!.probs[c]! > 0);
                    return (
                      <td key={st.id} data-prob={p} className={p === 0 ? (removed ? 'removed' : 'gone') : undefined} title={removed ? `removed by ${st.label}` : undefined}>
                        {p > 0 ? (
                          <>
                            <span className="lab-bar" style={{ width: `${Math.max(1, p * 100)}%` }} aria-hidden="true" />
                            <span className="lab-num">{formatProb(p)}</span>
                          </>
                        ) : removed ? (
                          <span className="lab-num">out</span>
                        ) : (
                          <span className="lab-num" aria-label="removed earlier">
                            ·
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {row.stages.length > 1 && (
        <p className="lab-legend muted">
          Each column: the candidates’ probabilities after that stage (bars), and how many of all ids it kept. <span className="removed-word">out</span> = removed by
          that stage; · = removed before.
        </p>
      )}
      <p className="lab-choice" data-testid={`lab-choice-${panelIndex}`}>
        {row.source === 'record' ? (
          row.chosen === row.candidates[order[0]!]!.id ? (
            <>
              Chose <code>{visibleTokenText(chosen.text)}</code>, the most probable under the raw softmax (p = {formatProb(final.probs[chosenAt]!)}).
            </>
          ) : (
            <>
              Chose <code>{visibleTokenText(chosen.text)}</code> (raw p = {formatProb(final.probs[chosenAt]!)}) by the strategy’s own rule, not the raw argmax: see its detail below.
            </>
          )
        ) : row.sampled && row.uniform !== null ? (
          <>
            Drew <code>{visibleTokenText(chosen.text)}</code> (p = {formatProb(final.probs[chosenAt]!)}) with the uniform u = <span data-testid={`lab-uniform-${panelIndex}`}>{row.uniform.toFixed(4)}</span>: the
            first of the {final.kept} kept ids, in id order, where the running sum of p passes u.
          </>
        ) : (
          <>
            Took the most probable after the chain: <code>{visibleTokenText(chosen.text)}</code> (p = {formatProb(final.probs[chosenAt]!)}).
          </>
        )}
      </p>
      {token && row.model === 'target' && (at === lastTarget || row.source === 'record') && (
        <>
          <StrategyDetail token={token} tokens={tokens} index={tokenAt} texts={textIndex(tokens)} />
          <LensTable token={token} tokens={tokens} testId={`lab-lens-${panelIndex}`} />
        </>
      )}
    </section>
  );
}
