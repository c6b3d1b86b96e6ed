/**
 * How many of `n` items to render now. A stream that grows by a few tokens per frame (a run)
 * renders them at once; a jump by thousands (an imported run file, 6 × 2048 tokens) is rendered
 * `step` items per frame, so the page never freezes while a large record appears, and every item
 * is in the DOM a few frames later (for find-in-page, screenshots and print).
 */
import { useEffect, useState } from 'react';

/** Tokens added per frame per stream while catching up (six streams: 6 × step spans per frame). */
export const PROGRESSIVE_STEP = 128;

/** The number of items to render this frame (≤ `n`); reaches `n` within ⌈n / step⌉ frames. */
export function useProgressiveCount(n: number, step = PROGRESSIVE_STEP): number {
  const [shown, setShown] = useState(0);
  const now = n - shown <= step ? n : shown;
  useEffect(() => {
    if (shown === n) return;
    // Catch up by `step` (or all at once when the rest is small, which is already on screen).
    const id = requestAnimationFrame(() => setShown((s) => (n - s <= step ? n : Math.min(n, s + step))));
    return () => cancelAnimationFrame(id);
  }, [n, shown, step]);
  return now;
}
