import type * as ort from 'onnxruntime-web/webgpu';
import { Readout, type RowSummary } from '../../workers/decode/readout';
import type { TokenSequence } from '../../workers/decode/sequence';
import { Logits } from '../../workers/model/logits';

/** Summary of a hand-built logit row, computed naively; `tokenId` also reports that id's logit. */
export function summariseRow(row: readonly number[], k: number, tokenId: number | null = null): RowSummary {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
  const entropy = -row.reduce((s, z) => s + Math.exp(z - lse) * (z - lse), 0);
  const order = row.map((z, id) => ({ z, id })).sort((a, b) => b.z - a.z || a.id - b.id).slice(0, k);
  return { max, lse, entropy, topIds: order.map((o) => o.id), topLogits: order.map((o) => o.z), tokenLogit: tokenId === null ? null : row[tokenId]! };
}

/**
 * A fake model runner whose logits are a pure function of the ids so far. It tracks its "KV cache"
 * length like SequenceRunner: a forward feeds ids[cached..], truncate rolls `cached` back.
 */
export class FakeRunner implements TokenSequence {
  readonly ids: number[];
  forwards = 0;
  /** Positions held in the fake KV cache. */
  cached = 0;
  /** The ids fed by each forward. */
  feeds: number[][] = [];
  /** What workers/decode/fusion.ts needs of a runner: CPU logits, a CPU readout. */
  readonly gpu = null;
  readonly readout = new Readout(null);
  /** Raw logits handed out by forwardPending and not yet disposed. */
  liveLogits = 0;

  constructor(
    prompt: number[],
    private readonly logitsFor: (ids: readonly number[]) => number[],
  ) {
    this.ids = [...prompt];
  }

  commit(ids: number[]): void {
    this.ids.push(...ids);
  }

  private forward(): number {
    const start = this.cached;
    if (start >= this.ids.length) throw new Error('nothing to feed: commit a token first');
    this.feeds.push(this.ids.slice(start));
    this.cached = this.ids.length;
    this.forwards++;
    return start;
  }

  async next(k: number, tokenId?: number): Promise<RowSummary> {
    this.forward();
    return summariseRow(this.logitsFor(this.ids), k, tokenId ?? null);
  }

  async feed(k: number, tokenIds?: (number | null)[], lastRows?: number): Promise<RowSummary[]> {
    const start = this.forward();
    const fed = this.ids.length - start;
    const rows = lastRows ?? fed;
    if (rows < 1 || rows > fed) throw new Error(`lastRows ${rows} out of range 1..${fed}`);
    if (tokenIds && tokenIds.length !== rows) throw new Error(`tokenIds needs ${rows} entries, got ${tokenIds.length}`);
    const out: RowSummary[] = [];
    for (let r = 0; r < rows; r++) {
      const end = this.ids.length - rows + r + 1;
      out.push(summariseRow(this.logitsFor(this.ids.slice(0, end)), k, tokenIds?.[r] ?? null));
    }
    return out;
  }

  truncate(length: number): void {
    if (length < 0 || length > this.ids.length) throw new Error(`cannot truncate ${this.ids.length} ids to ${length}`);
    this.ids.length = length;
    this.cached = Math.min(this.cached, length);
  }

  /** CPU logits [1, pending, V] of the pending ids, row i after ids[..cached + i]. */
  async forwardPending(): Promise<Logits> {
    const start = this.forward();
    const rows = this.ids.slice(start).map((_, i) => this.logitsFor(this.ids.slice(0, start + i + 1)));
    const width = rows[0]!.length;
    const data = Float32Array.from(rows.flat());
    const tensor = { location: 'cpu', type: 'float32', data, dims: [1, rows.length, width], dispose: () => this.liveLogits-- };
    this.liveLogits++;
    return new Logits(tensor as unknown as ort.Tensor, 1, rows.length, width, width);
  }

  dispose(): void {}
}

/** Deterministic pseudo-random float in [0, 1) from a list of ints (FNV-1a then an avalanche). */
export function hashUnit(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x & 0xffff;
    h = Math.imul(h, 0x01000193);
    h ^= x >>> 16;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/** A toy "language model": V logits that depend on the last two ids (well separated, no ties). */
export function toyTarget(V: number, eos: number | null = null): (ids: readonly number[]) => number[] {
  return (ids) => {
    const a = ids[ids.length - 1] ?? 0;
    const b = ids[ids.length - 2] ?? 0;
    return Array.from({ length: V }, (_, i) => (i === eos ? -2 : 4 * hashUnit(a, b, i)));
  };
}

/**
 * A draft correlated with `target`: where hashUnit(context) < `agree` it ranks like the target,
 * elsewhere its favourite token is a different one.
 */
export function toyDraft(target: (ids: readonly number[]) => number[], agree: number): (ids: readonly number[]) => number[] {
  return (ids) => {
    const z = target(ids);
    if (hashUnit(ids.length, ids[ids.length - 1] ?? 0, 77) < agree) return z;
    const best = z.indexOf(Math.max(...z));
    const other = (best + 1) % z.length;
    return z.map((v, i) => (i === other ? Math.max(...z) + 1 : v));
  };
}

/** Greedy decoding of `logitsFor` from `prompt`: argmax (ties to the lower id), stopping after EOS. */
export function greedyReference(logitsFor: (ids: readonly number[]) => number[], prompt: number[], n: number, eosIds: readonly number[] = []): number[] {
  const ids = [...prompt];
  const out: number[] = [];
  while (out.length < n) {
    const z = logitsFor(ids);
    const id = z.indexOf(Math.max(...z));
    out.push(id);
    ids.push(id);
    if (eosIds.includes(id)) break;
  }
  return out;
}
