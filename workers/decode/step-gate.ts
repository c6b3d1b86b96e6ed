/**
 * Step mode's pacing of the decode loop (docs/step-mode.md): the loop asks the gate before every
 * round (each active panel one step). Running, the gate lets rounds through; paused, it holds the
 * loop until `step()` grants one round (whose steps record the logit lab) or `resume()` lets it run
 * again. Stop releases it. Switching never touches a panel's state, so the tokens are those of an
 * uninterrupted run.
 */
import type { StepEntry } from '../../protocol';

export class StepGate {
  private paused: boolean;
  /** Rounds granted by step() and not yet started. */
  private grants = 0;
  private wake: (() => void) | null = null;
  /** step() calls waiting for the end of the round they granted. */
  private waiting: ((entries: StepEntry[] | null) => void)[] = [];
  /** step() calls whose round is in progress. */
  private current: ((entries: StepEntry[] | null) => void)[] = [];
  private ended = false;

  constructor(paused: boolean) {
    this.paused = paused;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.grants = 0;
    // Steps asked for but not started are overtaken by running: they resolve to null.
    for (const resolve of this.waiting.splice(0)) resolve(null);
    this.notify();
  }

  /**
   * Pauses (if running) and grants one round; resolves to its entries when it ends, or to null if
   * the run ends first without taking it.
   */
  step(): Promise<StepEntry[] | null> {
    if (this.ended) return Promise.resolve(null);
    this.paused = true;
    this.grants++;
    const done = new Promise<StepEntry[] | null>((resolve) => this.waiting.push(resolve));
    this.notify();
    return done;
  }

  /**
   * Called by the loop before a round: waits while paused with no grant (until a grant, resume or
   * `released()`); resolves to true when the round is a granted step (its steps record the lab).
   */
  async beforeRound(released: () => boolean): Promise<boolean> {
    while (this.paused && this.grants === 0 && !released()) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (released() || !this.paused || this.grants === 0) return false;
    this.grants--;
    this.current = this.waiting.splice(0, 1);
    return true;
  }

  /** Called by the loop after a round with the entries of the panels that stepped. */
  roundEnded(entries: StepEntry[]): void {
    for (const resolve of this.current.splice(0)) resolve(entries);
  }

  /** Wakes a loop waiting in beforeRound (Stop). */
  release(): void {
    this.notify();
  }

  /** The run is over: pending step() calls resolve to null. */
  end(): void {
    this.ended = true;
    this.grants = 0;
    for (const resolve of [...this.current.splice(0), ...this.waiting.splice(0)]) resolve(null);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
