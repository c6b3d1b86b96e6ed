/**
 * Spreads costly UI updates over animation frames: at most one queued job runs per frame, so N
 * charts that want to redraw at once take N frames of one chart each instead of one long frame.
 */

const queue: (() => void)[] = [];
let scheduled = false;

function runOne(): void {
  scheduled = false;
  queue.shift()?.();
  if (queue.length > 0) schedule();
}

function schedule(): void {
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(runOne);
  else setTimeout(runOne, 16);
}

/** Runs `job` in a later animation frame, after the jobs queued before it (one job per frame). */
export function enqueueFrameJob(job: () => void): void {
  queue.push(job);
  if (!scheduled) schedule();
}

/** Jobs waiting for their frame (for tests). */
export function pendingFrameJobs(): number {
  return queue.length;
}
