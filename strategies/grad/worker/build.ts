import type { StopSignal } from '../../../workers/decode/stop';
import { TransitionGraph } from './graph';

/** Reads next-token logits out of one forward pass over an equal-length batch (the prefill). */
export interface PrefillReader {
  /** Logit row width (lm_head rows), for the memory budget of a prefill. */
  readonly width: number;
  /**
   * One forward pass over `rows` ([batch][len], equal lengths, each row right-padded beyond its
   * tokens). For every (b, i) with `wanted[b][i]` returns the raw logit Z[b, i, rows[b][i + 1]];
   * null elsewhere. Only those numbers cross to the CPU.
   */
  nextLogits(rows: number[][], wanted: boolean[][]): Promise<(number | null)[][]>;
}

/** How to build the graph. */
export interface BuildOptions {
  /** Ids that never start or end an edge (BOS, EOS/padding, other special tokens). */
  skipIds: ReadonlySet<number>;
  /** Id written into padding positions (they are never read). */
  padId: number;
  /** Budget of one prefill's logits, batch × length × width elements; passages are grouped to fit. */
  maxLogitElems: number;
  /** At most this many passages per prefill (1 gives the sequential build). */
  maxRows?: number;
  /** Polled before every prefill after the first (Stop inside the build). */
  stop?: StopSignal;
}

/** The graph plus what building it cost. */
export interface BuildResult {
  graph: TransitionGraph;
  /** Forward passes run (1 when every passage fits one batch). */
  prefills: number;
  /** Positions whose next-token logit was read (one per candidate edge). */
  positions: number;
}

/** Group sequence indices (longest first) into batches whose padded logits fit the budget. */
export function planBatches(lengths: readonly number[], width: number, maxLogitElems: number, maxRows = Infinity): number[][] {
  if (!(width >= 1) || !(maxLogitElems >= 1)) throw new RangeError(`width and maxLogitElems must be positive, got ${width}, ${maxLogitElems}`);
  if (!(maxRows >= 1)) throw new RangeError(`maxRows must be at least 1, got ${maxRows}`);
  const order = lengths.map((n, i) => ({ n, i })).sort((a, b) => b.n - a.n || a.i - b.i);
  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const { n, i } of order) {
    const fits = current.length < maxRows && (current.length + 1) * longest * width <= maxLogitElems;
    if (current.length > 0 && !fits) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0) longest = n;
    current.push(i);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Which positions of `seq` yield an edge: i < n − 1 and neither c_i nor c_{i+1} is a skipped id. */
export function edgePositions(seq: readonly number[], skipIds: ReadonlySet<number>): boolean[] {
  return seq.map((c, i) => i + 1 < seq.length && !skipIds.has(c) && !skipIds.has(seq[i + 1]!));
}

/**
 * Build the transition graph over `sequences` (token ids of the retrieved passages) with as few
 * batched prefills as the memory budget allows: E(c_i, c_{i+1}) += max(0, Z[i, c_{i+1}])
 * (clamping is our reading: the paper states E ≥ 0). Rows are right-padded; under causal attention
 * the real positions never see the padding, and padding positions are never read. Edges are added
 * in passage order, so the batched and the sequential build sum identically.
 */
export async function buildGraph(sequences: readonly number[][], reader: PrefillReader, opts: BuildOptions): Promise<BuildResult> {
  const wanted = sequences.map((s) => edgePositions(s, opts.skipIds));
  const useful = sequences.map((_, i) => i).filter((i) => wanted[i]!.some(Boolean));
  const logits: (number | null)[][] = sequences.map(() => []);
  const batches = planBatches(
    useful.map((i) => sequences[i]!.length),
    reader.width,
    opts.maxLogitElems,
    opts.maxRows,
  ).map((b) => b.map((j) => useful[j]!));
  let positions = 0;
  for (const [n, batch] of batches.entries()) {
    if (n > 0) await opts.stop?.checkpoint();
    const len = Math.max(...batch.map((i) => sequences[i]!.length));
    const rows = batch.map((i) => [...sequences[i]!, ...new Array<number>(len - sequences[i]!.length).fill(opts.padId)]);
    const want = batch.map((i) => [...wanted[i]!, ...new Array<boolean>(len - sequences[i]!.length).fill(false)]);
    const out = await reader.nextLogits(rows, want);
    batch.forEach((i, b) => (logits[i] = out[b] ?? []));
    positions += want.flat().filter(Boolean).length;
  }
  const graph = new TransitionGraph();
  sequences.forEach((seq, s) => {
    wanted[s]!.forEach((w, i) => {
      if (!w) return;
      const z = logits[s]![i];
      if (z === null || z === undefined) throw new Error(`the prefill returned no logit for passage ${s}, position ${i}`);
      graph.add(seq[i]!, seq[i + 1]!, Math.max(0, z));
    });
  });
  return { graph, prefills: batches.length, positions };
}
