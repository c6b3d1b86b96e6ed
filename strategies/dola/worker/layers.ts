/**
 * DoLa's candidate premature layers (docs/algorithms.md#dola), as Hugging Face picks them from
 * `dola_layers`: "low" / "high" halves in steps of 2, or a list of indices below the final layer.
 * Layer 0 is the embedding output; with a tied LM head its lens is near-identity, so the halves
 * start at 2 (1 for a 2-layer model).
 */

/** The first layer the "low" half may use: 0 untied; tied: 2 when L > 2, 1 when L = 2, else 0. */
export function startLayer(numLayers: number, tied: boolean): number {
  if (!tied) return 0;
  if (numLayers > 2) return 2;
  return numLayers === 2 ? 1 : 0;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
}

/**
 * Candidate layers J for `spec` on a model with `numLayers` blocks (its lens has rows 0 … L).
 * Throws an Error with a user-facing message when the set is empty or a list entry is malformed.
 */
export function candidateLayers(spec: string, numLayers: number, tied: boolean): number[] {
  const L = numLayers;
  const half = Math.floor(L / 2);
  const s = spec.trim().toLowerCase();
  let layers: number[];
  if (s === 'low') {
    const start = startLayer(L, tied);
    layers = start === half ? [start] : L <= 40 ? range(start, half, 2) : range(start, 20, 2);
  } else if (s === 'high') {
    layers = L <= 40 ? range(half, L, 2) : range(L - 20, L, 2);
  } else {
    const parts = s.split(/[\s,]+/).filter((p) => p !== '');
    if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
      throw new Error(`layers must be low, high or a list of layer numbers like 0,2,4, got "${spec}"`);
    }
    // As Hugging Face: entries at or above the final layer are dropped; duplicates once.
    layers = [...new Set(parts.map(Number).filter((l) => l < L))].sort((a, b) => a - b);
    if (layers.length === 0) throw new Error(`layers "${spec}" names no layer below the final one (this model has layers 0 to ${L - 1} before its output layer ${L})`);
  }
  if (layers.length === 0) throw new Error(`layers "${spec}" gives no candidate layer on this ${L}-layer model: give a list such as ${range(0, L, 1).join(',')}`);
  return layers;
}

/** Index of the first maximum (DoLa picks the first layer among equals). */
export function firstMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
