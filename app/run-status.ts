/** The run status line's words, from the run state and how the panels on screen finished. */
import type { RunState } from '../protocol';
import type { PanelView } from './step-batching';

const STATUS: Record<RunState, string> = {
  idle: 'Ready',
  loading: 'Loading model…',
  running: 'Generating…',
  done: 'Done',
  error: 'Stopped by an error',
};

/** `Stopped` (not `Done`) when Stop ended the run, so the line agrees with the panels' "Finished: stopped". */
export function runStatusText(state: RunState, stopping: boolean, views: readonly PanelView[] | null, paused = false): string {
  if (stopping) return 'Stopping…';
  // A paused run (step mode) waits for the user; while it loads, the first step is on its way.
  if (paused && state === 'running') return 'Paused: Step (Space) or Run (R)';
  if (paused && state === 'loading') return 'Loading model… (step mode)';
  if (state === 'done' && views?.some((v) => v.stats?.finishReason === 'stopped')) return 'Stopped';
  return STATUS[state];
}
