/**
 * Draft-length schedules of HF assisted generation (`num_assistant_tokens_schedule`,
 * `candidate_generator.py`; https://huggingface.co/blog/assisted-generation): "constant" keeps k,
 * "heuristic" adds 2 after an iteration whose k drafts were all accepted and otherwise subtracts 1,
 * never going below 1.
 */

/** Schedules a speculative panel can use. */
export const SCHEDULES = ['constant', 'heuristic'] as const;

/** One of SCHEDULES. */
export type ScheduleKind = (typeof SCHEDULES)[number];

/**
 * Upper bound on the heuristic k (tokens). HF has none besides max_length; ours keeps the
 * verification forward and the draft loop bounded when a draft agrees with the target for long.
 */
export const MAX_SCHEDULED_K = 32;

/** The draft length k used by the next iteration, adapted after each one. */
export class DraftSchedule {
  private current: number;

  /** @param kind constant or heuristic; @param k0 initial draft length, an integer in [1, MAX_SCHEDULED_K] */
  constructor(
    readonly kind: ScheduleKind,
    k0: number,
  ) {
    if (!SCHEDULES.includes(kind)) throw new RangeError(`schedule must be one of ${SCHEDULES.join(', ')}, got ${JSON.stringify(kind)}`);
    if (!Number.isInteger(k0) || k0 < 1 || k0 > MAX_SCHEDULED_K) throw new RangeError(`k must be an integer from 1 to ${MAX_SCHEDULED_K}, got ${k0}`);
    this.current = k0;
  }

  /** Draft length for the next iteration (≥ 1). */
  get k(): number {
    return this.current;
  }

  /**
   * Adapt after an iteration that drafted with k = `this.k` and accepted `accepted` drafts. Like HF,
   * "all accepted" compares with the scheduled k, so a draft cut short (EOS) counts as not all.
   */
  update(accepted: number): void {
    if (!Number.isInteger(accepted) || accepted < 0 || accepted > this.current) {
      throw new RangeError(`accepted must be an integer from 0 to k = ${this.current}, got ${accepted}`);
    }
    if (this.kind === 'constant') return;
    this.current = accepted === this.current ? Math.min(MAX_SCHEDULED_K, this.current + 2) : Math.max(1, this.current - 1);
  }
}
