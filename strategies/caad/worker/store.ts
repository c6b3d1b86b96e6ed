/**
 * The reference store of CAAD / RAD (docs/algorithms.md#caad) and its retrieval math, pure:
 *   key_i = h_i / ‖h_i‖ (final-normed hidden state at the position BEFORE reference token i+1)
 *   val_i = sparse log-probabilities at that position (top 64, floor = the 64th), see `entryValues`
 *   S = top-N keys by cos(q, key), kept when cos ≥ σ_min; a_j = softmax(cos_j / T)
 *   r(v) = Σ_j a_j · val_j(v)  (an id an entry does not list counts as that entry's floor)
 *   g = max_j cos_j;  z′(v) = z(v) + λ·g·(r(v) − mean_top64(r))
 * Every id no kept entry lists has r = R0 = Σ_j a_j·floor_j, one constant; adding a constant to
 * every logit leaves softmax and argmax unchanged, so the term is applied as the sparse row
 * r(v) − R0 over the listed ids (zero elsewhere), which equals the formula above up to that
 * constant (λ·g·(R0 − mean_top64(r)) added to every logit). mean_top64 is reported, not needed.
 */
import { sortedIndexOf } from '../../../workers/decode/sorted';

/** Entries of the top-k readout stored per position (and the centring's width). */
export const STORE_TOP = 64;

/**
 * Most positions the store holds (our cap): a brute-force cosine scan of 4096 × d floats per step
 * stays well under a millisecond for the built-in models (d ≤ 288); references past it are skipped.
 */
export const MAX_STORE_ENTRIES = 4096;

/** Most tokens of one reference fed in its teacher-forced forward (longer ones are cut). */
export const MAX_REFERENCE_TOKENS = 256;

/** One stored position. */
export interface StoreEntry {
  /** Reference index and the position in it (index of the context's last token). */
  reference: number;
  position: number;
  /** The reference's next token there. */
  next: number;
  /** Listed ids, ascending, with their values (log-probabilities). */
  ids: Int32Array;
  values: Float32Array;
  /** Value of every id the entry does not list. */
  floor: number;
}

/** A kept neighbour of a query. */
export interface Neighbour {
  index: number;
  cos: number;
  /** a_j. */
  weight: number;
}

/** The aggregated retrieval row of one step. */
export interface Retrieval {
  neighbours: Neighbour[];
  /** g = max cos (0 when none kept). */
  gate: number;
  /** Largest cosine over the store, or null when it is empty. */
  best: number | null;
  /** Union of the kept entries' ids, ascending. */
  ids: number[];
  /** r(ids[j]). */
  r: number[];
  /** r of every other id. */
  r0: number;
  /** mean of the STORE_TOP largest r over the vocabulary (unlisted ids count as r0). */
  mean: number;
}

/** 1/‖h‖ in float64, 0 for a zero vector; throws on a non-finite entry. */
export function inverseNorm(h: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < h.length; i++) ss += (h[i] ?? 0) ** 2;
  if (!Number.isFinite(ss)) throw new RangeError('hidden state has a non-finite entry (NaN or ±inf)');
  return ss > 0 ? 1 / Math.sqrt(ss) : 0;
}

/**
 * The stored values at one reference position, from the teacher-forced row's top log-probabilities
 * (`topIds`, `logprobs`: descending, at most STORE_TOP) and the reference's next token `next` with
 * its log-probability `nextLogprob`.
 *   answerWeight μ = 0: val = log p over the top ids, floor = the last (64th) log p (ALGORITHMS §6.9).
 *   μ > 0 (our interpretation): val = log(μ·[v = next] + (1 − μ)·p(v)) over the top ids and `next`,
 *   floor = log((1 − μ)·p_64), so the reference's own continuation leads the stored distribution.
 */
export function entryValues(topIds: readonly number[], logprobs: readonly number[], next: number, nextLogprob: number, answerWeight: number): { ids: Int32Array; values: Float32Array; floor: number } {
  if (topIds.length === 0 || topIds.length !== logprobs.length) throw new RangeError('entryValues needs matching, non-empty top ids and log-probabilities');
  if (!(answerWeight >= 0 && answerWeight < 1)) throw new RangeError(`answerWeight must be in [0, 1), got ${answerWeight}`);
  const m = new Map<number, number>();
  const n = Math.min(topIds.length, STORE_TOP);
  for (let j = 0; j < n; j++) m.set(topIds[j]!, logprobs[j]!);
  const last = logprobs[n - 1]!;
  let floor = last;
  if (answerWeight > 0) {
    const mix = (lp: number) => Math.log1p(-answerWeight) + lp;
    for (const [id, lp] of m) m.set(id, mix(lp));
    const pNext = Math.exp(Math.min(nextLogprob, 0));
    m.set(next, Math.log(answerWeight + (1 - answerWeight) * pNext));
    floor = mix(last);
  }
  const ids = [...m.keys()].sort((a, b) => a - b);
  return { ids: Int32Array.from(ids), values: Float32Array.from(ids.map((id) => m.get(id)!)), floor };
}

/** Unit keys and their entries; brute-force cosine search on the CPU (float64 dot products). */
export class ReferenceStore {
  private keys: Float32Array;
  readonly entries: StoreEntry[] = [];

  constructor(readonly dim: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    this.keys = new Float32Array(dim * 64);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether the store is at MAX_STORE_ENTRIES. */
  get full(): boolean {
    return this.entries.length >= MAX_STORE_ENTRIES;
  }

  /** Add a position: its hidden state (normalised here) and its entry. */
  add(h: ArrayLike<number>, entry: StoreEntry): void {
    if (h.length !== this.dim) throw new RangeError(`h must have length ${this.dim}, got ${h.length}`);
    if (this.full) throw new RangeError(`the store holds at most ${MAX_STORE_ENTRIES} entries`);
    const row = this.entries.length;
    if ((row + 1) * this.dim > this.keys.length) {
      const grown = new Float32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const inv = inverseNorm(h);
    for (let i = 0; i < this.dim; i++) this.keys[row * this.dim + i] = (h[i] ?? 0) * inv;
    this.entries.push(entry);
  }

  /** cos(q, key_i) for every entry (0 for a zero query). */
  similarities(q: ArrayLike<number>): Float64Array {
    if (q.length !== this.dim) throw new RangeError(`q must have length ${this.dim}, got ${q.length}`);
    const inv = inverseNorm(q);
    const out = new Float64Array(this.entries.length);
    for (let j = 0; j < out.length; j++) {
      let dot = 0;
      const base = j * this.dim;
      for (let i = 0; i < this.dim; i++) dot += (q[i] ?? 0) * this.keys[base + i]!;
      out[j] = Math.max(-1, Math.min(1, dot * inv));
    }
    return out;
  }
}

/** The retrieval settings a step needs. */
export interface RetrievalSettings {
  neighbours: number;
  minSimilarity: number;
  temperature: number;
}

/**
 * Top-N entries by cosine (ties → the earlier entry), kept when cos ≥ σ_min, weighted by
 * softmax(cos / T), and their aggregated row r. No kept neighbour: an empty retrieval (identity).
 */
export function retrieve(store: ReferenceStore, q: ArrayLike<number>, s: RetrievalSettings): Retrieval {
  const sims = store.similarities(q);
  const order = Array.from(sims.keys()).sort((a, b) => sims[b]! - sims[a]! || a - b);
  const best = order.length > 0 ? sims[order[0]!]! : null;
  const kept = order.slice(0, s.neighbours).filter((j) => sims[j]! >= s.minSimilarity);
  if (kept.length === 0) return { neighbours: [], gate: 0, best, ids: [], r: [], r0: 0, mean: 0 };
  const top = sims[kept[0]!]!;
  const w = kept.map((j) => Math.exp((sims[j]! - top) / s.temperature));
  const wSum = w.reduce((a, b) => a + b, 0);
  const neighbours = kept.map((j, i) => ({ index: j, cos: sims[j]!, weight: w[i]! / wSum }));
  return { ...aggregate(neighbours, neighbours.map((n) => store.entries[n.index]!)), neighbours, gate: top, best };
}

/** r over the union of the entries' ids, r0 for the rest, and mean_top64(r). */
export function aggregate(neighbours: readonly { weight: number }[], entries: readonly StoreEntry[]): { ids: number[]; r: number[]; r0: number; mean: number } {
  const union = new Set<number>();
  for (const e of entries) for (const id of e.ids) union.add(id);
  const ids = [...union].sort((a, b) => a - b);
  const r0 = entries.reduce((s, e, j) => s + neighbours[j]!.weight * e.floor, 0);
  const r = ids.map((id) =>
    entries.reduce((s, e, j) => {
      const at = sortedIndexOf(e.ids, id);
      return s + neighbours[j]!.weight * (at < 0 ? e.floor : e.values[at]!);
    }, 0),
  );
  const sorted = [...r].sort((a, b) => b - a).slice(0, STORE_TOP);
  while (sorted.length < STORE_TOP) sorted.push(r0);
  const mean = sorted.reduce((a, b) => a + b, 0) / STORE_TOP;
  return { ids, r, r0, mean };
}


/** r(id) of a retrieval (r0 for an unlisted id). */
export function rOf(ret: Retrieval, id: number): number {
  const j = ret.ids.indexOf(id);
  return j < 0 ? ret.r0 : ret.r[j]!;
}
