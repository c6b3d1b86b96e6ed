import type { LabTag } from '../../workers/decode/lab';
import { MirostatState } from '../../workers/processors/mirostat';
import { Readout, type RowSummary } from '../../workers/decode/readout';
import type { TokenSequence } from '../../workers/decode/sequence';

/** Summary of a hand-built logit row (finite entries only), computed naively. */
export function summarise(row: number[], k = 10): RowSummary {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
  const entropy = -row.reduce((s, z) => s + Math.exp(z - lse) * (z - lse), 0);
  const order = row.map((z, id) => ({ z, id })).sort((a, b) => b.z - a.z || a.id - b.id).slice(0, k);
  return { max, lse, entropy, topIds: order.map((o) => o.id), topLogits: order.map((o) => o.z), tokenLogit: null };
}

/** A fake model: logits are a pure function of the sequence so far. */
export class FakeSequence implements TokenSequence {
  readonly ids: number[];
  forwards = 0;
  fedUpTo = 0;
  feeds: number[][] = [];
  disposed = false;
  /** CPU only: a null device and a CPU readout, as on WASM. */
  readonly gpu = null;
  readonly readout = new Readout(null);
  /** The panel's logit lab log when a test records one (workers/decode/lab.ts). */
  lab: LabTag | null = null;
  /** The run's Mirostat v2 state, as a SequenceRunner keeps one. */
  readonly mirostat = new MirostatState();

  constructor(prompt: number[], private readonly logitsFor: (ids: number[]) => number[]) {
    this.ids = [...prompt];
  }

  commit(ids: number[]): void {
    this.ids.push(...ids);
  }

  async next(k: number): Promise<RowSummary> {
    const pending = this.ids.slice(this.fedUpTo);
    if (pending.length === 0) throw new Error('nothing to feed');
    this.feeds.push(pending);
    this.fedUpTo = this.ids.length;
    this.forwards++;
    return summarise(this.logitsFor(this.ids), k);
  }

  async feed(k: number): Promise<RowSummary[]> {
    const start = this.fedUpTo;
    const pending = this.ids.slice(start);
    if (pending.length === 0) throw new Error('nothing to feed');
    this.feeds.push(pending);
    this.fedUpTo = this.ids.length;
    this.forwards++;
    return pending.map((_, i) => summarise(this.logitsFor(this.ids.slice(0, start + i + 1)), k));
  }

  forwardPending(): Promise<never> {
    return Promise.reject(new Error('FakeSequence has no raw logits'));
  }

  truncate(length: number): void {
    this.ids.length = length;
    this.fedUpTo = Math.min(this.fedUpTo, length);
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** Detokenizer over a tiny alphabet: id i is the letter 'a' + i, id 9 is '<eos>'. */
export const letters = { decode: (ids: number[]) => ids.map((i) => (i === 9 ? '<eos>' : String.fromCharCode(97 + i))).join('') };
