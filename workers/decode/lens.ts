/**
 * The logit lens (docs/algorithms.md#logit-lens): for a model whose graph outputs `layer_logits`
 * (lm_head(finalNorm(h_l)) of every layer l at the last fed position: the built-in models and every
 * llama2.c import), the top tokens each layer would predict. Only a top list per layer crosses to
 * the CPU (the readout: a few hundred bytes), never a vocabulary row.
 */
import type { Logits } from '../model/logits';
import type { Readout } from './readout';

/** Top tokens of each layer's lens shown per token (popover, logit lab). */
export const LENS_TOP = 5;

/** One layer's lens at one position: its top ids with their probabilities under softmax(lens). */
export interface LensLayerTop {
  /** 0 = the embedding, L = the model's output. */
  layer: number;
  ids: number[];
  probs: number[];
}

/** The top-`k` of every layer row of `layers` (batch row `b`). */
export async function readLens(readout: Readout, layers: Logits, b = 0, k = LENS_TOP): Promise<LensLayerTop[]> {
  const rows = await readout.rows(layers, b * layers.seqLen, layers.seqLen, k);
  return rows.map((r, layer) => ({ layer, ids: r.topIds, probs: r.topLogits.map((z) => Math.exp(z - r.lse)) }));
}

/**
 * A runner's lens summaries by position: the lens recorded after feeding `context` (ids[0..p−1])
 * describes the prediction of the token at position p. The loop takes each emitted token's entry,
 * which counts only when its context is the emitted prefix (a search may forward other sequences);
 * a rollback (speculative rejection) drops the entries past the new length.
 */
export class LensLog {
  private readonly byPosition = new Map<number, { context: number[]; layers: Promise<LensLayerTop[]> }>();

  /** `layers` may still be in flight (read beside the step's own work); a failed read records nothing. */
  record(context: readonly number[], layers: Promise<LensLayerTop[]>): void {
    layers.catch(() => undefined);
    this.byPosition.set(context.length, { context: [...context], layers });
  }

  /**
   * The entry for the token after `prefix`, when it was recorded on that exact prefix; removed with
   * every earlier one (they can no longer be emitted).
   */
  async take(prefix: readonly number[]): Promise<LensLayerTop[] | undefined> {
    const entry = this.byPosition.get(prefix.length);
    for (const p of this.byPosition.keys()) if (p <= prefix.length) this.byPosition.delete(p);
    if (!entry || entry.context.some((id, i) => id !== prefix[i])) return undefined;
    return entry.layers.catch(() => undefined);
  }

  /** Forget the entries for positions past `length` (the sequence was truncated to `length` ids). */
  truncate(length: number): void {
    for (const p of this.byPosition.keys()) if (p > length) this.byPosition.delete(p);
  }
}
