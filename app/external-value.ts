/**
 * A value that lives outside React and the app store (module state of small, self-contained
 * features: the cached-models list, a waiting app update, a link's pending consent), read by
 * components through `useSyncExternalStore`.
 */
import { useSyncExternalStore } from 'react';

/** Read, replace, and subscribe from components. */
export interface ExternalValue<T> {
  get(): T;
  /** Replace the value and re-render the components that use it. */
  set(value: T): void;
  /** The current value in a component (re-rendered on `set`). */
  use(): T;
}

/** A new external value starting at `initial`. */
export function externalValue<T>(initial: T): ExternalValue<T> {
  let current = initial;
  const listeners = new Set<() => void>();
  const subscribe = (onChange: () => void) => {
    listeners.add(onChange);
    return () => {
      listeners.delete(onChange);
    };
  };
  return {
    get: () => current,
    set(value) {
      current = value;
      for (const l of listeners) l();
    },
    use: () => useSyncExternalStore(subscribe, () => current),
  };
}
