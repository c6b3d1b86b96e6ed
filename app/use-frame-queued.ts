/**
 * Hook: a copy of `value` that catches up in its own animation frame (see frame-queue.ts), and no
 * more often than a main-thread budget allows: after an update that took `cost` ms to render, the
 * next one waits cost × (1/budget − 1), so this component uses about `budget` of the main thread
 * however slow the machine is.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { enqueueFrameJob } from './frame-queue';

/** Share of the main thread one chart may use while its data streams in (0..1). */
export const DEFAULT_FRAME_BUDGET = 0.03;

/** `value` as of this component's last frame slot; a newer value waits for the next allowed slot. */
export function useFrameQueued<T>(value: T, budget = DEFAULT_FRAME_BUDGET): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const pending = useRef(false);
  const mounted = useRef(true);
  const started = useRef<number | null>(null);
  const notBefore = useRef(0);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Time from the frame job to the commit of its render = what this update cost.
  useLayoutEffect(() => {
    if (started.current === null) return;
    const now = performance.now();
    const cost = now - started.current;
    started.current = null;
    notBefore.current = now + cost * (1 / Math.max(budget, 1e-3) - 1);
  }, [shown, budget]);

  useEffect(() => {
    latest.current = value;
    if (pending.current || Object.is(value, shown)) return;
    pending.current = true;
    const run = () =>
      enqueueFrameJob(() => {
        pending.current = false;
        if (!mounted.current) return;
        started.current = performance.now();
        setShown(latest.current);
      });
    const wait = notBefore.current - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else run();
  }, [value, shown]);
  return shown;
}
