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
export function runStatusText(state: RunState, stopping: boolean, views: readonly PanelView[] | null): string {
  if (stopping) return 'Stopping…';
  if (state === 'done' && views?.some((v) => v.stats?.finishReason === 'stopped')) return 'Stopped';
  return STATUS[state];
}
