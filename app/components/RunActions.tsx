/**
 * Generate, Step, Pause / Run and Stop, the run status line, and the inline validation messages.
 * Keys (outside text fields): Space = Step, R = Run, P = Pause (docs/step-mode.md).
 */
import { useEffect } from 'react';
import { fireAndForget, useController } from '../controller-context';
import type { RunController } from '../run-controller';
import { runStatusText } from '../run-status';
import { useAppStore } from '../store';

/** True when a key press belongs to what has focus (typing, a button's own Space, a list). */
function keyIsTaken(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  // Space on a button, link, summary or token activates that element.
  return e.key === ' ' && (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || t.getAttribute('role') === 'button' || t.tabIndex >= 0);
}

/** The step-mode keys, on the whole page. */
function useStepKeys(controller: RunController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyIsTaken(e)) return;
      const s = useAppStore.getState();
      if (s.stopping) return;
      const key = e.key.toLowerCase();
      if (key === ' ') {
        e.preventDefault();
        fireAndForget(controller.step());
      } else if (key === 'r' && (s.activeRunId === null || s.runPaused)) {
        e.preventDefault();
        fireAndForget(controller.resumeRun());
      } else if (key === 'p' && s.activeRunId !== null && !s.runPaused) {
        e.preventDefault();
        fireAndForget(controller.pauseRun());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

/** Run buttons; Stop is enabled while a run is loading or generating. */
export function RunActions() {
  const controller = useController();
  const runState = useAppStore((s) => s.runState);
  const stopping = useAppStore((s) => s.stopping);
  const paused = useAppStore((s) => s.runPaused);
  const errors = useAppStore((s) => s.validationErrors);
  const views = useAppStore((s) => s.panelViews);
  const busy = runState === 'loading' || runState === 'running';
  useStepKeys(controller);
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
        <button
          type="button"
          data-testid="step"
          disabled={stopping}
          title="One step for every panel, with its logit lab (Space); starts a run paused when none is going"
          aria-keyshortcuts="Space"
          onClick={() => fireAndForget(controller.step())}
        >
          Step
        </button>
        {busy && paused ? (
          <button type="button" data-testid="resume" disabled={stopping} title="Go on without stopping after each step (R)" aria-keyshortcuts="R" onClick={() => fireAndForget(controller.resumeRun())}>
            Run
          </button>
        ) : (
          <button type="button" data-testid="pause" disabled={!busy || stopping} title="Pause after the current step; then Step or Run (P)" aria-keyshortcuts="P" onClick={() => fireAndForget(controller.pauseRun())}>
            Pause
          </button>
        )}
        <button type="button" data-testid="stop" disabled={!busy || stopping} onClick={() => fireAndForget(controller.stopRun())}>
          {stopping ? 'Stopping…' : 'Stop'}
        </button>
        <span className="run-status" role="status">
          {runStatusText(runState, stopping, views, paused)}
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
