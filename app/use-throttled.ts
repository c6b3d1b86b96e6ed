/** Hook: a value that follows its input at most once per `ms` (trailing: the last input always lands). */
import { useEffect, useRef, useState } from 'react';

/**
 * The throttled copy of `value`. `ms` ≤ 0 passes it straight through; `paused` holds the copy
 * where it is (e.g. while the consumer is off screen) until it is unpaused.
 */
export function useThrottled<T>(value: T, ms: number, paused = false): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (paused || ms <= 0 || Object.is(value, shown)) return;
    const wait = Math.max(0, last.current + ms - performance.now());
    const id = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(id);
  }, [value, shown, ms, paused]);
  return ms <= 0 ? value : shown;
}
