import { LogitscopeError } from '../../../workers/errors';
import { loadSampleCorpus, splitPassages } from '../../../workers/decode/corpus';
import type { KvCache } from '../../../workers/model/kv-cache';
import type { ForwardResult, TokenMix } from '../../../workers/model/session';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { StopSignal } from '../../../workers/decode/stop';
import type { LiveHypothesis, LiveState } from '../../../protocol';
import type { SuperposedAnnotations, SuperposedDraft, SuperposedLive } from '../annotations';
import type { DecodingStrategy, EmittedToken, StepResult, StrategyRun } from '../../types';
import { SuperposedNgram } from './ngram';
import { draftWeights, SuperposedSearch, type Draft, type SearchConfig, type StepLog } from './search';
import { parseSuperposedSettings, superposedParams, type SuperposedSettings } from './settings';

/** Tokens of a draft shown in a record (the last ones; earlier ones as "…"). */
const DRAFT_TAIL = 24;

/** A model runner that can feed a superposition (SequenceRunner on a model with a superposed-input graph). */
export type SuperposedSequence = BatchedSequence & {
  forwardSuperposed(mix: TokenMix[], cache: KvCache): Promise<ForwardResult>;
};

/** What the run needs of the tokenizer for the corpus. */
export interface CorpusTokenizer {
  encode(text: string): number[];
  /** Ids never counted (BOS, EOS and other special tokens). */
  specials: ReadonlySet<number>;
}

/** Where the corpus text comes from: the bundled corpus by name (fetched) plus the pasted text. */
export type CorpusSource = (s: SuperposedSettings) => Promise<string[]>;

/** The bundled corpus fetched from `origin`, then the pasted passages. */
export function siteCorpus(origin: string): CorpusSource {
  return async (s) => [...(await loadSampleCorpus(s.corpusName, origin)), ...splitPassages(s.corpus)];
}

interface StepRecord {
  log: StepLog;
  summary: RowSummary;
  /** Candidate texts, in log order. */
  texts: string[];
  mixTexts: string[];
}

/**
 * One superposed decoding panel (docs/algorithms.md#superposed): the first step feeds the prompt (ids),
 * every later one a single position of the model's superposed-input graph whose embedding is the drafts'
 * last tokens weighted by the drafts' probabilities, over ONE shared batch-1 KV cache (the method's
 * approximation). The forward's top tokenSample tokens are scored per draft with the n-gram model and the
 * search keeps k drafts. The panel's text follows the best draft: tokens are emitted once every running
 * draft agrees on them, the rest when the search ends; every draft is shown live.
 */
export class SuperposedRun implements StrategyRun {
  private readonly search: SuperposedSearch;
  private cache: KvCache | null = null;
  private ngram: SuperposedNgram | null = null;
  private built: { passages: number; ms: number } | null = null;
  private readonly steps: StepRecord[] = [];
  private emitted = 0;
  private readonly prompt: number[];

  constructor(
    private readonly runner: SuperposedSequence,
    private readonly s: SuperposedSettings,
    config: SearchConfig,
    private readonly tokenizer: CorpusTokenizer,
    private readonly corpus: CorpusSource,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string,
    private readonly stop?: StopSignal,
  ) {
    this.search = new SuperposedSearch(config);
    this.prompt = [...runner.ids];
  }

  private async build(vocab: number): Promise<SuperposedNgram> {
    const t0 = performance.now();
    const passages = await this.corpus(this.s);
    if (passages.length === 0) throw new LogitscopeError('bad-request', 'superposed decoding with α > 0 needs an n-gram corpus: pick a bundled corpus or paste some text (corpusName is none and corpus is empty), or set alpha to 0');
    const model = new SuperposedNgram(passages.map((p) => this.tokenizer.encode(p)), vocab, undefined, this.tokenizer.specials);
    if (model.tokens === 0) throw new LogitscopeError('bad-request', 'the n-gram corpus has no tokens this model knows');
    this.built = { passages: passages.length, ms: performance.now() - t0 };
    return model;
  }

  async step(): Promise<StepResult> {
    if (this.search.done) return { tokens: [] };
    await this.stop?.checkpoint();
    const k = Math.max(this.topK, this.s.tokenSample);
    const mix = this.search.nextMix();
    let summary: RowSummary;
    let next: KvCache;
    if (!mix) {
      const logits = await this.runner.forwardPending();
      try {
        if (this.s.alpha > 0) this.ngram ??= await this.build(logits.validVocab);
        [summary] = (await this.runner.readout.rows(logits, logits.rowIndex(0, -1), 1, k)) as [RowSummary];
      } finally {
        logits.dispose();
      }
      next = this.runner.tiledCache(1);
    } else {
      const out = await this.runner.forwardSuperposed([{ ids: mix.map((m) => m.id), weights: mix.map((m) => m.weight) }], this.cache!);
      this.cache!.dispose();
      this.cache = null;
      try {
        [summary] = (await this.runner.readout.rows(out.logits, 0, 1, k)) as [RowSummary];
      } catch (e) {
        out.cache.dispose();
        throw e;
      } finally {
        out.logits.dispose();
      }
      next = out.cache;
    }
    const ngram = this.ngram;
    const lookup = (tokens: readonly number[], ids: readonly number[]) => (ngram ? ngram.support([...this.prompt, ...tokens], ids) : ids.map(() => ({ g: 0, orders: [] })));
    const before = this.search.live.map((d) => d.tokens);
    const log = this.search.advance({ ids: summary.topIds, logits: summary.topLogits }, lookup);
    const texts = log.candidates.map((c) => this.textAfter([...this.prompt, ...before[c.draft]!], c.id));
    // The superposed tokens, each as it would read after the drafts that end with it.
    const mixTexts = log.mix.map((m) => {
      const d = before.find((t) => t.at(-1) === m.id) ?? [];
      return this.textAfter([...this.prompt, ...d.slice(0, -1)], m.id);
    });
    this.steps.push({ log, summary, texts, mixTexts });
    if (this.search.done) next.dispose();
    else this.cache = next;
    const emitted = this.emit();
    return { tokens: emitted, live: this.live() };
  }

  /** Text of a draft's tokens after the prompt: the last DRAFT_TAIL of them. */
  private draftText(tokens: readonly number[]): string {
    const from = Math.max(0, tokens.length - DRAFT_TAIL);
    const text = tokens
      .slice(from)
      .map((id, i) => this.textAfter([...this.prompt, ...tokens.slice(0, from + i)], id))
      .join('');
    return from > 0 ? `…${text}` : text;
  }

  private shown(d: Draft, weight: number): SuperposedDraft {
    return { text: this.draftText(d.tokens), score: d.score, weight };
  }

  private live(): LiveState {
    const s = this.search;
    const out = s.best();
    const weights = draftWeights(s.live.map((d) => d.score));
    const drafts: SuperposedLive['drafts'] = [
      ...s.live.map((d, i) => ({ ...this.shown(d, weights[i]!), state: 'running' as const, output: d === out })),
      ...s.finished.map((d) => ({ ...this.shown(d, 0), state: 'finished' as const, output: d === out })),
    ];
    const last = this.steps.at(-1)!;
    const superposed: SuperposedLive = { step: s.step, k: s.c.k, drafts, mix: last.log.mix.map((m, i) => ({ text: last.mixTexts[i]!, weight: m.weight })) };
    const cut = this.emitted;
    const hypotheses: LiveHypothesis[] = [...s.live.map((d) => ({ d, state: 'running' as const })), ...s.finished.map((d) => ({ d, state: 'finished' as const }))].map(({ d, state }) => ({
      text: d.tokens
        .slice(cut)
        .map((id, i) => this.textAfter([...this.prompt, ...d.tokens.slice(0, cut + i)], id))
        .join(''),
      score: d.score,
      state,
      group: 0,
    }));
    return { step: s.step, hypotheses, done: s.done, superposed };
  }

  /** The settled tokens not yet emitted, with their records. */
  private emit(): EmittedToken[] {
    const prefix = this.search.settledPrefix();
    if (prefix.length <= this.emitted) return [];
    const hyp = this.search.best()!;
    const out: EmittedToken[] = [];
    for (let i = this.emitted; i < prefix.length; i++) {
      const rec = this.steps[i]!;
      const rank = hyp.from[i]!;
      const cand = rec.log.candidates[rank]!;
      const onOutput = (d: number) => sameTokens(rec.log.drafts[d]!.tokens, prefix.slice(0, i));
      const annotations: SuperposedAnnotations = {
        kind: 'superposed',
        step: i,
        k: this.search.c.k,
        tokenSample: this.search.c.tokenSample,
        temperature: this.search.c.temperature,
        alpha: this.search.c.alpha,
        mix: rec.log.mix.map((m, j) => ({ id: m.id, text: rec.mixTexts[j]!, weight: m.weight })),
        drafts: rec.log.drafts.map((d) => ({ text: this.draftText(d.tokens), score: d.score, weight: d.weight })),
        draft: cand.draft,
        rank,
        lmProb: cand.lmProb,
        ngram: cand.ngram,
        stepScore: cand.step,
        score: cand.score,
        candidates: rec.log.candidates.map((c, j) => ({
          draft: c.draft,
          id: c.id,
          text: rec.texts[j]!,
          lmProb: c.lmProb,
          ngram: c.ngram,
          step: c.step,
          score: c.score,
          penalized: c.penalized,
          fate: c.fate,
          onOutput: onOutput(c.draft),
        })),
      };
      if (i === 0 && this.ngram && this.built) annotations.corpus = { passages: this.built.passages, tokens: this.ngram.tokens, buildMs: this.built.ms };
      if (this.search.done && i === prefix.length - 1) {
        const w = draftWeights(this.search.live.map((d) => d.score));
        annotations.final = {
          running: this.search.live.map((d, j) => this.shown(d, w[j]!)),
          finished: this.search.finished.map((d) => this.shown(d, 0)),
          stop: this.search.c.eos.has(prefix.at(-1)!) ? 'end of sequence' : this.search.live.length === 0 ? 'no draft left' : 'budget',
        };
      }
      out.push({ id: prefix[i]!, base: rec.summary, annotations });
    }
    this.runner.commit(prefix.slice(this.emitted));
    this.emitted = prefix.length;
    return out;
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = null;
  }
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The refusal for a model without a superposed-input graph. */
export const NO_SUPERPOSED_GRAPH =
  'superposed decoding needs a model with a superposed-input graph (onnx/model_superposed.onnx, fed a weighted mix of token embeddings): the built-in trained models (stories260K, stories-draft) and llama2.c imports have one, Hub exports do not. Choose stories260K or another strategy';

/**
 * Superposed decoding (Shen et al. 2024, https://arxiv.org/abs/2405.18400; released code
 * RAIVNLab/SuperposedDecoding): k drafts from one batch-1 forward per step over a superposition of their
 * last tokens' embeddings, disentangled by an n-gram model of a corpus (orders 2…6).
 */
export const superposed: DecodingStrategy = {
  info: {
    id: 'superposed',
    label: 'Superposed decoding',
    description:
      'k drafts from ONE batch-1 forward per step: the model is fed the drafts’ last tokens superposed (embeddings weighted by the drafts’ probabilities); an n-gram model of a corpus scores which draft each of the top tokens continues. The panel follows the best draft and lists them all (end rule and α = 0 handling are our interpretation).',
    needsDraft: false,
    interpretation: true,
    needsSuperposedInput: true,
    params: superposedParams(),
  },
  start(ctx) {
    const settings = parseSuperposedSettings(ctx.params);
    const runner = ctx.capabilities?.batched as SuperposedSequence | undefined;
    if (!runner || typeof runner.forwardSuperposed !== 'function') return { step: () => Promise.reject(new LogitscopeError('internal', 'superposed decoding needs a model runner (superposed forwards)')) };
    if (!runner.model.session.hasSuperposedInput) return { step: () => Promise.reject(new LogitscopeError('bad-request', `${NO_SUPERPOSED_GRAPH} (${runner.model.source.spec} has none)`)) };
    const tok = runner.model.tokenizer;
    const specials = new Set<number>(tok.eosIds);
    if (tok.bosId !== null) specials.add(tok.bosId);
    const config: SearchConfig = {
      k: settings.n,
      tokenSample: settings.tokenSample,
      temperature: settings.temperature,
      alpha: settings.alpha,
      penalty: settings.penalty,
      eos: new Set(ctx.eosIds ?? tok.eosIds),
      maxNewTokens: ctx.maxNewTokens ?? 64,
    };
    const tokenizer: CorpusTokenizer = { encode: (text) => tok.encode(text, false), specials };
    return new SuperposedRun(runner, settings, config, tokenizer, siteCorpus(self.location.origin), ctx.topK, ctx.textAfter ?? ((_c, id) => `#${id}`), ctx.stop);
  },
};
