/**
 * Stop inside a step. The loop checks Stop between steps; a step of many forward passes (CNTP
 * trials, GRAD's corpus prefill) calls `checkpoint()` between its passes. On WASM inference blocks
 * the worker thread, so the Stop message can only arrive while a checkpoint yields to the event loop.
 */

/** Thrown by `StopCheck.checkpoint()` once Stop was requested; the loop ends the panel as 'stopped'. */
export class StopRequested extends Error {
  constructor() {
    super('stopped');
    this.name = 'StopRequested';
  }
}

/** What a strategy polls between the passes of one step. */
export interface StopSignal {
  /** Resolves after letting pending messages (Stop) in; rejects with StopRequested once Stop was asked. */
  checkpoint(): Promise<void>;
}

/** Longest time (ms) between two yields to the event loop: bounds Stop's latency, costs one task per interval. */
export const YIELD_INTERVAL_MS = 10;

/** A StopSignal over the service's flag; yields at most every YIELD_INTERVAL_MS. */
export class StopCheck implements StopSignal {
  private lastYield = performance.now();

  constructor(private readonly interrupted: () => boolean) {}

  async checkpoint(): Promise<void> {
    if (performance.now() - this.lastYield >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      this.lastYield = performance.now();
    }
    if (this.interrupted()) throw new StopRequested();
  }
}

/** Resolve after the event loop has run pending tasks (a macrotask turn). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
