/** Adds a panel: a strategy select and a button; says how many panels there are of the maximum. */
import { useState } from 'react';
import type { StrategyInfo } from '../../protocol';
import { useAppStore } from '../store';

interface Props {
  strategies: readonly StrategyInfo[];
  count: number;
  max: number;
  disabled: boolean;
}

/** "Add panel" control row. */
export function AddPanel({ strategies, count, max, disabled }: Props) {
  const [choice, setChoice] = useState('greedy');
  const full = count >= max;
  const known = strategies.some((s) => s.id === choice);
  return (
    <div className="add-panel">
      <label htmlFor="add-panel-strategy">Add a panel</label>
      <select id="add-panel-strategy" data-testid="add-panel-strategy" value={choice} disabled={disabled || full} onChange={(e) => setChoice(e.target.value)}>
        {strategies.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </select>
      <button type="button" data-testid="add-panel" disabled={disabled || full || !known} onClick={() => useAppStore.getState().panelAdded(choice)}>
        Add panel
      </button>
      <span className="hint" aria-live="polite">
        {count} of {max} panels{full ? ' (the maximum)' : ''}
      </span>
    </div>
  );
}
