/**
 * Running speculative metrics of one panel (docs/algorithms.md#speculative-metrics): acceptance rate α̂ = accepted
 * drafts / drafted tokens, and mean accepted length τ = emitted tokens / target forward passes
 * (the correction / bonus token included, so τ ∈ [1, k + 1] per iteration).
 */
export class SpeculationMetrics {
  /** Iterations run so far. */
  iterations = 0;
  /** Drafted tokens (sum of L over iterations). */
  drafted = 0;
  /** Accepted drafts (sum of n_acc). */
  accepted = 0;
  /** Emitted tokens (accepted drafts plus one correction / bonus each). */
  emitted = 0;

  /** Count one iteration. */
  record(drafted: number, accepted: number, emitted: number): void {
    this.iterations++;
    this.drafted += drafted;
    this.accepted += accepted;
    this.emitted += emitted;
  }

  /** α̂ ∈ [0, 1], or null before anything was drafted. */
  get alpha(): number | null {
    return this.drafted > 0 ? this.accepted / this.drafted : null;
  }

  /** τ: emitted tokens per target forward (`targetForwards` includes the prompt's). */
  tau(targetForwards: number): number | null {
    return targetForwards > 0 ? this.emitted / targetForwards : null;
  }
}
