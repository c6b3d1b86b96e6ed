/** Generate and Stop, the run status line, and the inline validation messages. */
import { fireAndForget, useController } from '../controller-context';
import { runStatusText } from '../run-status';
import { useAppStore } from '../store';

/** Run buttons; Stop is enabled while a run is loading or generating. */
export function RunActions() {
  const controller = useController();
  const runState = useAppStore((s) => s.runState);
  const stopping = useAppStore((s) => s.stopping);
  const errors = useAppStore((s) => s.validationErrors);
  const views = useAppStore((s) => s.panelViews);
  const busy = runState === 'loading' || runState === 'running';
  return (
    <div className="run-actions">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="generate"
          disabled={busy}
          title="Generate (Ctrl+Enter in the prompt)"
          aria-keyshortcuts="Control+Enter"
          onClick={() => fireAndForget(controller.startRun())}
        >
          Generate
        </button>
        <button type="button" data-testid="stop" disabled={!busy || stopping} onClick={() => fireAndForget(controller.stopRun())}>
          {stopping ? 'Stopping…' : 'Stop'}
        </button>
        <span className="run-status" role="status">
          {runStatusText(runState, stopping, views)}
        </span>
      </div>
      {errors.length > 0 && (
        <div className="validation" id="validation-message" role="alert" data-testid="validation-message">
          {errors.length === 1 ? (
            <p>{errors[0]?.message}</p>
          ) : (
            <ul>
              {errors.map((e, i) => (
                <li key={i}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
