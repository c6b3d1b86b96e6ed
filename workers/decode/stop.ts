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

/** Yields to the event loop once `intervalMs` have passed since its last yield (else at once). */
export class IntervalYield {
  private lastYield = performance.now();

  constructor(private readonly intervalMs = YIELD_INTERVAL_MS) {}

  async tick(): Promise<void> {
    if (performance.now() - this.lastYield >= this.intervalMs) {
      await yieldToEventLoop();
      this.lastYield = performance.now();
    }
  }
}

/** A StopSignal over the service's flag; yields at most every YIELD_INTERVAL_MS. */
export class StopCheck implements StopSignal {
  private readonly yielder = new IntervalYield();

  constructor(private readonly interrupted: () => boolean) {}

  async checkpoint(): Promise<void> {
    await this.yielder.tick();
    if (this.interrupted()) throw new StopRequested();
  }
}

/** Resolvers waiting for the yield channel's next message, in order. */
const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;
let lastTimerYield = -Infinity;

/**
 * Longest time (ms) between two yields that go through a timer (`setTimeout(0)`), so timer tasks
 * get their turn too; the yields between them post to a MessageChannel.
 */
export const TIMER_YIELD_INTERVAL_MS = 50;

/**
 * Resolve after the event loop has run pending tasks (a macrotask turn). Mostly a message to our own
 * MessageChannel port, which lets queued messages (Stop) in: `setTimeout(0)` set from a timer's
 * callback is clamped to 4 ms once nested five deep, which the decode loop (one yield per step)
 * always was, and that cost every token 4 ms of idle time (a small model's greedy step is under 1 ms
 * on WASM). At most every TIMER_YIELD_INTERVAL_MS the yield is a timer, so that timers run as well
 * (and where task sources are not served in order, as in Node, every queued task gets in).
 */
export function yieldToEventLoop(): Promise<void> {
  const now = performance.now();
  if (typeof MessageChannel === 'undefined' || now - lastTimerYield >= TIMER_YIELD_INTERVAL_MS) {
    lastTimerYield = now;
    return new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // Node (unit tests): a listening port must not keep the process alive on its own.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  const ch = channel;
  return new Promise((resolve) => {
    waiting.push(resolve);
    ch.port2.postMessage(null);
  });
}
