import { logitFusionCpu } from '../../kernels/reference/logitFusion';
import { drawCpu, keepCpu, type KeptRow } from '../../kernels/reference/sample';
import { isSampling, processorValues, warpOf, type ChainParams } from '../../workers/processors/chain';

/**
 * CPU reference of the whole processor chain over one Float32Array logit row, with exact Hugging
 * Face semantics (docs/algorithms.md#processor-chain): repetition penalty over the distinct ids of `history`
 * (prompt included; always, greedy too), then, only when sampling, temperature → the warpers of
 * kernels/warpers/index.ts in their order (top-k → top-p → min-p → …), min_tokens_to_keep 1. Entries at or beyond `validVocab` (default: the row length) are masked.
 * Returns the kept row: final processed logits (-inf = removed) and the integer sampling weights'
 * total. This is the same code the WASM backend runs (kernels/reference), bit-exact with the GPU.
 */
export function processChainCpu(row: Float32Array, chain: ChainParams, history: readonly number[], validVocab = row.length): KeptRow {
  const sampling = isSampling(chain);
  const fused = logitFusionCpu(
    { data: row, validVocab },
    { historyIds: history, processors: processorValues(chain, sampling), contrast: null, sparseIds: [], sparseValues: [] },
  );
  return keepCpu(fused.y, sampling ? warpOf(chain) : null);
}

/**
 * The token the chain picks: argmax of the processed row (ties → lowest id) when not sampling (or
 * `uniform` is null), else the inverse-CDF draw of `uniform` in [0, 1) over the kept tokens in id order.
 */
export function pickChainCpu(row: Float32Array, chain: ChainParams, history: readonly number[], uniform: number | null, validVocab = row.length): number {
  const kept = processChainCpu(row, chain, history, validVocab);
  return uniform === null || !isSampling(chain) ? kept.argmax : drawCpu(kept, uniform);
}
