/** React access to the run controller (created once in main.tsx). */
import { createContext, useContext } from 'react';
import type { RunController } from './run-controller';

/** Provides the controller to components. */
export const ControllerContext = createContext<RunController | null>(null);

/** The controller; throws when rendered outside the provider (a wiring bug). */
export function useController(): RunController {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController: no ControllerContext provider');
  return controller;
}

/** Runs a controller promise from an event handler; failures are already shown by the store. */
export function fireAndForget(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}
