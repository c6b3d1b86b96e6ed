/**
 * The toy linear LM of the superposed tests: a deterministic pseudo-random bigram table [vocab][vocab]
 * (logits of a superposition = Σ W(v)·table[v]; a one-hot mix is the token's row, like the real graph).
 */
export function bigramTable(vocab: number, seed: number): number[][] {
  let x = seed;
  const r = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4;
  return Array.from({ length: vocab }, () => Array.from({ length: vocab }, r));
}
