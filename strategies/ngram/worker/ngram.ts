import { LogitscopeError } from '../../../workers/errors';
import { processRows, type ProcessRowOptions, type ProcessedRow } from '../../../workers/decode/fusion';
import { loadSampleCorpus, splitPassages } from '../../../workers/decode/corpus';
import { changesGreedyLogits, isSampling } from '../../../workers/processors/chain';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Rng } from '../../../workers/rng';
import type { NgramAnnotations } from '../annotations';
import type { DecodingStrategy, StepResult, StrategyRun } from '../../types';
import { NgramModel, styleValue, topStyle, type StyleRow } from './ngram-model';
import { ngramParams, parseNgramSettings, type NgramSettings } from './settings';

/** Style predictions listed per token. */
const TOP_STYLE_SHOWN = 5;

/** What the run needs of the model's tokenizer. */
export interface StyleTokenizer {
  encode(text: string): number[];
  /** Ids never counted (BOS, EOS and other special tokens). */
  specials: ReadonlySet<number>;
}

/** Where the corpus text comes from: the bundled corpus by name (fetched) plus the pasted text. */
export type CorpusSource = (settings: NgramSettings) => Promise<string[]>;

/** The bundled corpus fetched from `origin`, then the pasted passages. */
export function siteCorpus(origin: string): CorpusSource {
  return async (s) => [...(await loadSampleCorpus(s.corpusName, origin)), ...splitPassages(s.corpus)];
}

/** Probability of `id` under the raw row summary, when the id is in its top list. */
function rawProb(raw: RowSummary, id: number): number | null {
  const j = raw.topIds.indexOf(id);
  return j < 0 ? null : Math.exp(raw.topLogits[j]! - raw.lse);
}

/**
 * One n-gram injection panel (docs/algorithms.md#n-gram-injection): on the first step the style corpus is
 * tokenized with the model's tokenizer and counted; every step adds λ·s(v) to the logits after the
 * repetition penalty and before temperature, as the fused sparse term (the constant part of s is
 * dropped: it shifts every logit alike), then decodes with the chain (greedy by default). The same
 * row is also processed without the style term, in the same submit, to name the model's own pick.
 */
export class NgramRun implements StrategyRun {
  private model: NgramModel | null = null;
  private built: { passages: number; ms: number } | null = null;

  constructor(
    private readonly seq: TokenSequence,
    private readonly s: NgramSettings,
    private readonly tokenizer: StyleTokenizer,
    private readonly corpus: CorpusSource,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string = (_c, id) => `#${id}`,
  ) {}

  private async build(vocab: number): Promise<NgramModel> {
    const t0 = performance.now();
    const passages = await this.corpus(this.s);
    if (passages.length === 0) throw new LogitscopeError('bad-request', 'n-gram injection needs a style corpus: pick a bundled corpus or paste some text (corpusName is none and corpus is empty)');
    const model = new NgramModel(
      passages.map((p) => this.tokenizer.encode(p)),
      vocab,
      this.s.n,
      this.s.smoothing,
      this.tokenizer.specials,
    );
    if (model.tokens === 0) throw new LogitscopeError('bad-request', 'the style corpus has no tokens this model knows');
    this.built = { passages: passages.length, ms: performance.now() - t0 };
    return model;
  }

  async step(): Promise<StepResult> {
    const history = [...this.seq.ids];
    const logits = await this.seq.forwardPending();
    let withStyle: ProcessedRow;
    let without: ProcessedRow;
    let row: StyleRow;
    const first = this.model === null;
    try {
      this.model ??= await this.build(logits.validVocab);
      row = this.model.row(history);
      const at = logits.rowIndex(0, -1);
      const uniform = isSampling(this.s.chain) ? this.rng.next() : null;
      const opts: ProcessRowOptions = { chain: this.s.chain, history, uniform, k: this.topK };
      const active = this.s.lambda > 0 && row.ids.length > 0;
      if (active) {
        const sparse = { ids: row.ids, values: row.values.map((v) => v - row.base), scale: this.s.lambda };
        // The model alone first: the logit lab opens on the last row, the decision that was emitted.
        [without, withStyle] = (await processRows(this.seq, logits, [
          { row: at, opts: { ...opts, labLabel: 'model alone', mirostatPeek: true } },
          { row: at, opts: { ...opts, sparse, labLabel: 'with the style term' } },
        ])) as [ProcessedRow, ProcessedRow];
      } else {
        [withStyle] = (await processRows(this.seq, logits, [{ row: at, opts }])) as [ProcessedRow];
        without = withStyle;
      }
    } finally {
      logits.dispose();
    }
    const id = withStyle.id;
    this.seq.commit([id]);
    const s = styleValue(row, id);
    const flipped = id !== without.id;
    const probWithout = !flipped ? without.processedProb : withStyle.sampled ? null : rawProbIfPlain(this.s, withStyle.raw, id);
    const annotations: NgramAnnotations = {
      kind: 'ngram',
      provenance: this.s.lambda === 0 || row.ids.length === 0 ? 'no style term' : flipped ? 'flipped by style' : 'model choice',
      lambda: this.s.lambda,
      orders: row.orders,
      styleProb: Math.exp(s),
      lift: this.s.lambda * (s - row.base),
      processedProb: withStyle.processedProb,
      sampled: withStyle.sampled,
      modelChoice: { id: without.id, text: this.textAfter(history, without.id), prob: without.processedProb },
      probWithout,
      topStyle: topStyle(row, TOP_STYLE_SHOWN).map((t) => ({ ...t, text: this.textAfter(history, t.id) })),
    };
    if (first && this.built && this.model) annotations.corpus = { passages: this.built.passages, tokens: this.model.tokens, order: this.s.n, buildMs: this.built.ms };
    return { tokens: [{ id, base: withStyle.raw, annotations }] };
  }
}

/** The raw probability stands for "without the style term" only when the chain leaves greedy rows raw. */
function rawProbIfPlain(s: NgramSettings, raw: RowSummary, id: number): number | null {
  return changesGreedyLogits(s.chain) ? null : rawProb(raw, id);
}

/**
 * n-gram style injection (Ahmed 2026, https://arxiv.org/abs/2601.16224): z′ = z + λ·log P_style(v |
 * last n−1 tokens), an interpolated add-k n-gram model of a style corpus, added after the repetition
 * penalty and before temperature. Smoothing, order weights and the floor are our interpretation.
 */
export const ngram: DecodingStrategy = {
  info: {
    id: 'ngram',
    label: 'n-gram style injection',
    description:
      'The model’s logits plus λ × the log-probability of an n-gram model counted over a style text (bundled or pasted), so tokens the style text often uses next are favoured (smoothing and order weights are our interpretation).',
    needsDraft: false,
    interpretation: true,
    params: ngramParams(),
  },
  start(ctx) {
    const settings = parseNgramSettings(ctx.params);
    const tok = ctx.capabilities?.batched?.model.tokenizer;
    if (!tok) return { step: () => Promise.reject(new LogitscopeError('internal', 'n-gram injection needs the model’s tokenizer (a model runner)')) };
    const specials = new Set<number>(tok.eosIds);
    if (tok.bosId !== null) specials.add(tok.bosId);
    const tokenizer: StyleTokenizer = { encode: (text) => tok.encode(text, false), specials };
    return new NgramRun(ctx.target, settings, tokenizer, siteCorpus(self.location.origin), ctx.rng, ctx.topK, ctx.textAfter);
  },
};
