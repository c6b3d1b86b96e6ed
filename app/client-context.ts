/** React access to the worker client, for the model picker, local folders and the cache view. */
import { createContext, useContext } from 'react';
import type { WorkerClient } from './worker-client';

/** Provides the one WorkerClient (created in main.tsx). */
export const ClientContext = createContext<WorkerClient | null>(null);

/** The worker client; throws when rendered outside the provider (a wiring bug). */
export function useWorkerClient(): WorkerClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useWorkerClient: no ClientContext provider');
  return client;
}
