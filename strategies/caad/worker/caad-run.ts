import { LogitscopeError } from '../../../workers/errors';
import { processRows, type ProcessRowOptions, type ProcessedRow } from '../../../workers/decode/fusion';
import { changesGreedyLogits, isSampling } from '../../../workers/processors/chain';
import type { Logits } from '../../../workers/model/logits';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Rng } from '../../../workers/rng';
import type { CaadAnnotations } from '../annotations';
import type { StepResult, StrategyRun } from '../../types';
import type { CaadSettings } from './settings';
import { MAX_REFERENCE_TOKENS, ReferenceStore, STORE_TOP, entryValues, retrieve, rOf, type Retrieval } from './store';
import type { BuiltStore, StoreCache } from './store-cache';

/** Ids listed with their shift per token. */
const SHIFT_SHOWN = 8;
/** Tokens of reference context shown per neighbour. */
const CONTEXT_TOKENS = 8;

/** What CAAD needs of the model beyond the panel's sequence (a SequenceRunner; fakes in unit tests). */
export interface CaadModel {
  /**
   * One teacher-forced forward over `ids` from an empty cache: per position i, the hidden state and
   * the row summary (top STORE_TOP, plus the logit of ids[i + 1] when there is one).
   */
  teacherForce(ids: number[]): Promise<{ hidden: Float32Array[]; rows: RowSummary[] }>;
  /** Feed the panel's pending ids: the logits (caller disposes) and the hidden state of the last position. */
  forwardPending(): Promise<{ logits: Logits; hidden: Float32Array }>;
  /** Readback bytes so far (the panel's readout), to report what the build cost. */
  readonly bytes: number;
}

/** What the run needs of the tokenizer. */
export interface CaadTokenizer {
  /** Text → ids as the prompt is encoded (BOS included when the tokenizer adds one). */
  encode(text: string): number[];
  /** Ids → text (a neighbour's context snippet). */
  decode(ids: number[]): string;
}

/** The reference passages (bundled corpus plus pasted text). */
export type ReferenceSource = (settings: CaadSettings) => Promise<string[]>;

/**
 * One CAAD / RAD panel (docs/algorithms.md#caad): on the first step every reference is fed once
 * (teacher forcing) and its positions stored; every step reads the current position's hidden state,
 * retrieves the nearest stored positions and adds λ·g·(r − mean r) to the logits as the fused
 * sparse term (after the repetition penalty, before temperature), then decodes with the chain. The
 * same row is also processed without the term, in the same submit, to name the model's own pick.
 */
export class CaadRun implements StrategyRun {
  private store: ReferenceStore | null = null;
  private refs: number[][] = [];
  private built: BuiltStore['built'] | null = null;
  /** The store came from an earlier run (the cache), not this one's build. */
  private reused = false;

  constructor(
    private readonly seq: TokenSequence,
    private readonly model: CaadModel,
    private readonly s: CaadSettings,
    private readonly tokenizer: CaadTokenizer,
    private readonly source: ReferenceSource,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string = (_c, id) => `#${id}`,
    /** Stores of earlier runs and the model they belong to; absent: every run builds its own. */
    private readonly cache?: { stores: StoreCache; model: object },
  ) {}

  /** The store for this run's references: an earlier run's over the same model, references and μ, or a new one. */
  private async storeFor(vocab: number): Promise<ReferenceStore> {
    const passages = await this.source(this.s);
    const key = JSON.stringify([passages, this.s.answerWeight, vocab]);
    const hit = this.cache?.stores.get(this.cache.model, key);
    if (hit) {
      this.refs = hit.refs;
      this.built = hit.built;
      this.reused = true;
      return hit.store;
    }
    const store = await this.build(passages, vocab);
    this.cache?.stores.set(this.cache.model, key, { store, refs: this.refs, built: this.built! });
    return store;
  }

  private async build(passages: string[], vocab: number): Promise<ReferenceStore> {
    const t0 = performance.now();
    const bytes0 = this.model.bytes;
    if (passages.length === 0) throw new LogitscopeError('bad-request', 'CAAD needs references: pick a bundled corpus or paste some text (corpusName is none and corpus is empty)');
    let store: ReferenceStore | null = null;
    let capped = false;
    for (const [ref, text] of passages.entries()) {
      let ids = this.tokenizer.encode(text).filter((id) => Number.isInteger(id) && id >= 0 && id < vocab);
      if (ids.length > MAX_REFERENCE_TOKENS) {
        ids = ids.slice(0, MAX_REFERENCE_TOKENS);
        capped = true;
      }
      this.refs.push(ids);
      if (ids.length < 2) continue;
      if (store?.full) {
        capped = true;
        break;
      }
      const { hidden, rows } = await this.model.teacherForce(ids);
      for (let i = 0; i + 1 < ids.length; i++) {
        const row = rows[i]!;
        const h = hidden[i]!;
        store ??= new ReferenceStore(h.length);
        if (store.full) {
          capped = true;
          break;
        }
        const next = ids[i + 1]!;
        const at = row.topIds.indexOf(next);
        const nextLogit = at >= 0 ? row.topLogits[at]! : row.tokenLogit;
        if (nextLogit === null || nextLogit === undefined) throw new LogitscopeError('internal', `no logit for reference token ${next}`);
        const top = row.topIds.slice(0, STORE_TOP);
        const v = entryValues(top, row.topLogits.slice(0, STORE_TOP).map((z) => z - row.lse), next, nextLogit - row.lse, this.s.answerWeight);
        store.add(h, { reference: ref, position: i, next, ...v });
      }
    }
    this.built = { references: passages.length, ms: performance.now() - t0, bytes: this.model.bytes - bytes0, capped };
    // An empty store (every reference shorter than two tokens) retrieves nothing: the model alone.
    return store ?? new ReferenceStore(1);
  }

  async step(): Promise<StepResult> {
    const history = [...this.seq.ids];
    const { logits, hidden } = await this.model.forwardPending();
    let withTerm: ProcessedRow;
    let without: ProcessedRow;
    let ret: Retrieval;
    const first = this.store === null;
    try {
      this.store ??= await this.storeFor(logits.validVocab);
      ret = this.store.size > 0 ? retrieve(this.store, hidden, this.s) : { neighbours: [], gate: 0, best: null, ids: [], r: [], r0: 0, mean: 0 };
      const at = logits.rowIndex(0, -1);
      const uniform = isSampling(this.s.chain) ? this.rng.next() : null;
      const opts: ProcessRowOptions = { chain: this.s.chain, history, uniform, k: this.topK };
      if (this.active(ret)) {
        // r − R0 over the listed ids; every other id gets 0, i.e. the common constant (see store.ts).
        const sparse = { ids: ret.ids, values: ret.r.map((x) => x - ret.r0), scale: this.s.lambda * ret.gate };
        // The model alone first: the logit lab opens on the last row, the decision that was emitted.
        [without, withTerm] = (await processRows(this.seq, logits, [
          { row: at, opts: { ...opts, labLabel: 'model alone', mirostatPeek: true } },
          { row: at, opts: { ...opts, sparse, labLabel: 'with the retrieval term' } },
        ])) as [ProcessedRow, ProcessedRow];
      } else {
        [withTerm] = (await processRows(this.seq, logits, [{ row: at, opts }])) as [ProcessedRow];
        without = withTerm;
      }
    } finally {
      logits.dispose();
    }
    const id = withTerm.id;
    this.seq.commit([id]);
    const active = this.active(ret);
    const flipped = id !== without.id;
    const shiftOf = (v: number) => (active ? this.s.lambda * ret.gate * (rOf(ret, v) - ret.mean) : 0);
    const order = ret.ids.map((v, j) => ({ v, r: ret.r[j]! })).sort((a, b) => b.r - a.r || a.v - b.v);
    const annotations: CaadAnnotations = {
      kind: 'caad',
      provenance: !active ? 'no retrieval' : flipped ? 'flipped by retrieval' : 'agreed',
      lambda: this.s.lambda,
      gate: ret.gate,
      bestSimilarity: ret.best,
      neighbours: ret.neighbours.map((n) => {
        const e = this.store!.entries[n.index]!;
        const ids = this.refs[e.reference] ?? [];
        return {
          similarity: n.cos,
          weight: n.weight,
          reference: e.reference,
          position: e.position,
          context: this.tokenizer.decode(ids.slice(Math.max(0, e.position + 1 - CONTEXT_TOKENS), e.position + 1)),
          nextId: e.next,
          next: this.textAfter(ids.slice(0, e.position + 1), e.next),
        };
      }),
      shift: order.slice(0, SHIFT_SHOWN).map((o) => ({ id: o.v, text: this.textAfter(history, o.v), shift: o.r - ret.mean })),
      tokenShift: shiftOf(id),
      processedProb: withTerm.processedProb,
      sampled: withTerm.sampled,
      modelChoice: { id: without.id, text: this.textAfter(history, without.id), prob: without.processedProb },
      probWithout: !flipped ? without.processedProb : withTerm.sampled || changesGreedyLogits(this.s.chain) ? null : rawProb(withTerm.raw, id),
    };
    if (first && this.built && this.store) {
      annotations.store = { references: this.built.references, entries: this.store.size, dim: this.store.size > 0 ? this.store.dim : 0, capped: this.built.capped, buildMs: this.built.ms, readbackBytes: this.built.bytes };
      if (this.reused) annotations.store.reused = true;
    }
    return { tokens: [{ id, base: withTerm.raw, annotations }] };
  }

  /** Whether the term applies: λ > 0 and a neighbour kept. */
  private active(ret: Retrieval): boolean {
    return this.s.lambda > 0 && ret.neighbours.length > 0;
  }
}

/** Probability of `id` under the raw row summary, when the id is in its top list. */
function rawProb(raw: RowSummary, id: number): number | null {
  const j = raw.topIds.indexOf(id);
  return j < 0 ? null : Math.exp(raw.topLogits[j]! - raw.lse);
}
