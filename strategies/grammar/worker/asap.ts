/**
 * ASAp (Park et al. 2024, docs/algorithms.md#grammar; the update is restated from the paper's
 * description: PAPER-SUMMARY, our interpretation): a trie of sampled prefixes holding θ̂(w, t), an
 * over-approximation of the expected future grammaticality, 1 for allowed tokens until a sample
 * shows otherwise. Each node caches the model's p(·|w) over its allowed ids only, so a prefix
 * already in the trie costs no forward. Pure logic: the strategy (grammar.ts) and the toy oracles
 * (tests/grammar) drive it.
 */

/** One trie node: a prefix w of a sample, at DFA state `state`. */
export interface AsapNode {
  /** DFA state after w. */
  state: number;
  /** Tokens after the prompt. */
  depth: number;
  /** Allowed ids at w (ascending) and p(t|w) for each (unnormalised over the allowed set: the mass the mask removes is missing); null until w is forwarded. */
  ids: number[] | null;
  p: Float64Array | null;
  /** θ̂(w, t) of explored tokens (the others: 1 if allowed, 0 if not). */
  theta: Map<number, number>;
  children: Map<number, AsapNode>;
}

/** One complete sample. */
export interface AsapSample {
  ids: number[];
  /** Ended by EOS in an accepting state (false: truncated at the length limit). */
  grammatical: boolean;
}

export function newNode(state: number, depth: number): AsapNode {
  return { state, depth, ids: null, p: null, theta: new Map(), children: new Map() };
}

/** θ̂(w, t) for an allowed t (1 until explored). */
export function thetaOf(node: AsapNode, id: number): number {
  return node.theta.get(id) ?? 1;
}

/** Σ_t p(t|w)·θ̂(w,t) over w's allowed ids: the backed-up value of the edge into w. */
export function backedUp(node: AsapNode): number {
  if (!node.p || !node.ids) throw new Error('asap: a node on a sample path has no distribution');
  let s = 0;
  for (let j = 0; j < node.ids.length; j++) s += node.p[j]! * thetaOf(node, node.ids[j]!);
  return Math.min(1, Math.max(0, s));
}

/** q(t) ∝ p(t|w)·θ̂(w,t) over the allowed ids (weights, not normalised) and their sum. */
export function proposal(node: AsapNode): { ids: number[]; w: Float64Array; total: number } {
  const ids = node.ids!;
  const w = new Float64Array(ids.length);
  let total = 0;
  for (let j = 0; j < ids.length; j++) {
    w[j] = node.p![j]! * thetaOf(node, ids[j]!);
    total += w[j]!;
  }
  return { ids, w, total };
}

/** Inverse-CDF pick of index j with weight w[j] for a uniform u ∈ [0, 1); −1 when total is 0. */
export function pickIndex(w: Float64Array, total: number, u: number): number {
  if (!(total > 0)) return -1;
  const target = u * total;
  let acc = 0;
  let last = -1;
  for (let j = 0; j < w.length; j++) {
    if (w[j]! <= 0) continue;
    acc += w[j]!;
    last = j;
    if (target < acc) return j;
  }
  return last;
}

/**
 * The backward update after one sample: along the path, deepest first, θ̂(w, t) = 1 for EOS,
 * 0 when the sample was truncated right after t (its child was never expanded), else the backed-up
 * Σ p(t'|wt)·θ̂(wt, t'). θ̂ only shrinks: the new value is min(old, backed-up), which the exact
 * recursion already guarantees up to rounding.
 */
export function updatePath(path: readonly { node: AsapNode; id: number }[], eosId: number): void {
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, id } = path[i]!;
    let v: number;
    if (id === eosId) v = 1;
    else {
      const child = node.children.get(id);
      v = child && child.p ? backedUp(child) : 0;
    }
    node.theta.set(id, Math.min(thetaOf(node, id), v));
  }
}
