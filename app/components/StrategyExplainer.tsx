/**
 * A panel's strategy in one line, and a "?" that opens its short explanation: the rule, its
 * parameters (from the schema) and the papers. The content comes from the strategy's family
 * (strategies/<family>/ui/explain.tsx, through the UI registry); nothing here knows a strategy.
 */
import { useState } from 'react';
import { expectedText, type ParamSchema, type StrategyInfo } from '../../protocol';
import { explanationOf } from '../../strategies/ui-registry';

function ParamRow({ p }: { p: ParamSchema }) {
  return (
    <li>
      <code>{p.name}</code> ({expectedText(p)}, default <code>{String(p.default) || '—'}</code>): {p.help}
    </li>
  );
}

/** The one-line summary with its "?" (nothing for a strategy the catalog does not know yet). */
export function StrategyExplainer({ info, index }: { info: StrategyInfo | null; index: number }) {
  const [open, setOpen] = useState(false);
  if (!info) return null;
  const e = explanationOf(info.id);
  const summary = e?.summary ?? info.description;
  const id = `panel-${index}-explain`;
  const key = e ? info.params.filter((p) => e.keyParams.includes(p.name)) : info.params;
  const others = info.params.filter((p) => !key.includes(p));
  return (
    <div className="panel-summary">
      <p className="strategy-summary" data-testid="strategy-summary">
        <span>{summary}</span>
        <button
          type="button"
          className="quiet explain-toggle"
          aria-expanded={open}
          aria-controls={id}
          aria-label={`Explain ${info.label}`}
          title={`How ${info.label} works`}
          data-testid="explain-toggle"
          onClick={() => setOpen(!open)}
        >
          ?
        </button>
      </p>
      {open && (
        <section id={id} className="explanation" data-testid="explanation" aria-label={`How ${info.label} works`}>
          <p>{info.description}</p>
          {e && (
            <p className="formula" data-testid="explanation-formula">
              {e.formula}
            </p>
          )}
          {e?.interpretation && (
            <p className="interpretation" data-testid="explanation-interpretation">
              {e.interpretation}
            </p>
          )}
          {key.length > 0 && (
            <ul className="explain-params">
              {key.map((p) => (
                <ParamRow key={p.name} p={p} />
              ))}
            </ul>
          )}
          {others.length > 0 && <p className="hint">Also: {others.map((p) => p.name).join(', ')} (see Parameters).</p>}
          {e && e.papers.length > 0 && (
            <ul className="papers">
              {e.papers.map((p) => (
                <li key={p.url}>
                  <a href={p.url} target="_blank" rel="noreferrer noopener">
                    {p.cite}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
