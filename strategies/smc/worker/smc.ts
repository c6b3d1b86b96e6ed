import { LogitscopeError } from '../../../workers/errors';
import { gatherCacheRows } from '../../../workers/model/kv-ops';
import type { KvCache } from '../../../workers/model/kv-cache';
import type { Logits } from '../../../workers/model/logits';
import { processRows, type ProcessedRow } from '../../../workers/decode/fusion';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { StopSignal } from '../../../workers/decode/stop';
import { GREEDY_CHAIN, type ChainParams } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import { LIVE_TREE_STEPS, type LiveState, type ParamSchema, type ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import type { DecodingStrategy, EmittedToken, StepResult, StrategyRun } from '../../types';
import type { SmcAnnotations, SmcCompletion, SmcLive } from '../annotations';
import { AllDeadError, makeReward, normalized, SmcState, type Proposal, type RewardKind, type SmcConfig } from './smc-core';

/** Most particles a panel may run (one batch row each). */
export const MAX_PARTICLES = 16;

/** The schema: 8 particles, resample below N/2, the target proposal at temperature 1, a keyword reward. */
export function smcParams(): ParamSchema[] {
  return [
    { name: 'particles', label: 'Particles N', type: 'integer', default: 8, min: 1, max: MAX_PARTICLES, help: 'Partial texts carried together (one batch row each); 1 is plain sampling.' },
    { name: 'essThreshold', label: 'ESS threshold', type: 'number', default: 0.5, min: 0, max: 1, help: 'Resample (systematic) when the effective sample size falls below this fraction of N; 0 never resamples, 1 whenever the weights are not all equal.' },
    { name: 'proposal', label: 'Proposal', type: 'enum', default: 'target', options: ['target', 'draft'], help: 'Where each particle’s next token is drawn from: target = the target at temperature 1/α (then the model part of the weight update is log Σ p^α, the same for every particle); draft = the draft model at that temperature (needs a draft model; the target scores the drawn tokens: α·log p_T − log q).' },
    { name: 'reward', label: 'Reward', type: 'enum', default: 'keyword', options: ['likelihood', 'keyword', 'regex', 'length'], help: 'likelihood: none (only p^α); keyword: +1 per keyword present as a whole word; regex: a text matching the pattern gets weight 0 (forbidden); length: −|words − target| / 10 when a particle ends.' },
    { name: 'rewardText', label: 'Reward text', type: 'text', default: 'cat', maxLength: 200, help: 'keyword: comma-separated keywords; regex: the forbidden pattern (JavaScript syntax); length: the target word count; likelihood: ignored.' },
    { name: 'temperature', label: 'Temperature 1/α', type: 'number', default: 1, min: 0.05, max: 5, help: 'The target is p^α · exp(R): below 1 sharpens the model (power distribution), 1 keeps it. The proposal samples the target at this temperature.' },
  ];
}

export interface SmcSettings {
  particles: number;
  essThreshold: number;
  proposal: 'target' | 'draft';
  reward: RewardKind;
  rewardText: string;
  temperature: number;
}

/** Read params into settings; errors name the parameter and the value. */
export function parseSmcSettings(p: Record<string, ParamValue>): SmcSettings {
  const schema = smcParams();
  const s: SmcSettings = {
    particles: numberParam(schema, p, 'particles'),
    essThreshold: numberParam(schema, p, 'essThreshold'),
    proposal: stringParam(schema, p, 'proposal') as 'target' | 'draft',
    reward: stringParam(schema, p, 'reward') as RewardKind,
    rewardText: stringParam(schema, p, 'rewardText'),
    temperature: numberParam(schema, p, 'temperature'),
  };
  try {
    makeReward(s.reward, s.rewardText);
  } catch (e) {
    throw new LogitscopeError('bad-request', e instanceof Error ? e.message : String(e));
  }
  return s;
}

/** The proposal's chain: the target at temperature 1/α, every processor off (plain sampling's chain at that temperature). */
export function proposalChain(temperature: number): ChainParams {
  return { ...GREEDY_CHAIN, temperature };
}

/** One model's logits this step, its next KV cache (null after the prompt: tile it), and each particle's row. */
interface Forwarded {
  logits: Logits;
  next: KvCache | null;
  rowOf: (j: number) => number;
}

/** What the run keeps of one step. */
interface StepRecord {
  /** Per lane, the raw summary of the row it drew from (null when frozen). */
  raw: (RowSummary | null)[];
}

/**
 * One SMC panel: the particles are one batch of the target; each step feeds every particle's last
 * token in ONE forward, draws each running particle's next token from its row through the fused
 * sampler (processRows: the same kernels and uniforms as `sample`, so WebGPU and WASM agree bit for
 * bit), updates the log-weights, and resamples (systematic) when the ESS falls below the threshold,
 * gathering the KV rows by ancestor (copies). Uniform order per step: the running particles' draws
 * in particle order, then (only when it resamples) the resampling uniform. Tokens are emitted once
 * every particle that can still be the output agrees on them; at the end the rest of the
 * highest-weight completion (SmcState.best).
 */
export class SmcRun implements StrategyRun {
  readonly state: SmcState;
  private cache: KvCache | null = null;
  private draftCache: KvCache | null = null;
  private feed: number[] = [];
  private readonly records: StepRecord[] = [];
  private emitted = 0;
  private readonly prompt: number[];
  private readonly chain: ChainParams;

  constructor(
    private readonly runner: BatchedSequence,
    private readonly settings: SmcSettings,
    config: SmcConfig,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string,
    private readonly stop?: StopSignal,
    /** The draft model when it is the proposal (its own batch-N KV cache, gathered with the target's). */
    private readonly draft: BatchedSequence | null = null,
  ) {
    this.state = new SmcState(config);
    this.prompt = [...runner.ids];
    this.chain = proposalChain(settings.temperature);
  }

  async step(): Promise<StepResult> {
    const s = this.state;
    if (s.done) return { tokens: [] };
    await this.stop?.checkpoint();
    const n = s.c.particles;
    const running = s.running();
    // Proposal draws first, in particle order.
    const uniforms = running.map(() => this.rng.next());
    const target = await this.forward(this.runner, this.cache);
    this.cache = null;
    let draft: Forwarded | null = null;
    const raws: (RowSummary | null)[] = new Array<RowSummary | null>(n).fill(null);
    const proposals = new Map<number, Proposal>();
    try {
      if (this.draft) {
        draft = await this.forward(this.draft, this.draftCache);
        this.draftCache = null;
      }
      // q: the target at temperature 1/α, or the draft at that temperature.
      const q = draft ?? target;
      const drawn: ProcessedRow[] = await processRows(
        draft ? this.draft! : this.runner,
        q.logits,
        running.map((j, i) => ({ row: q.rowOf(j), opts: { chain: this.chain, history: [...this.prompt, ...s.particles[j]!.tokens], uniform: uniforms[i]!, k: this.topK } })),
      );
      for (let i = 0; i < running.length; i++) {
        const j = running[i]!;
        const d = drawn[i]!;
        // log p_T(y) needs y's raw target logit: in the top list, else read again with it.
        const raw = draft
          ? (await this.runner.readout.rows(target.logits, target.rowOf(j), 1, this.topK, [d.id]))[0]!
          : await this.runner.readout.withToken(target.logits, target.rowOf(j), d.raw, d.id, this.topK);
        raws[j] = raw;
        const z = raw.tokenLogit ?? raw.topLogits[raw.topIds.indexOf(d.id)]!;
        const p = s.particles[j]!;
        proposals.set(j, { id: d.id, lp: z - raw.lse, lq: d.processedLogprob, text: this.textAfter([...this.prompt, ...p.tokens], d.id) });
      }
    } catch (e) {
      target.next?.dispose();
      draft?.next?.dispose();
      throw e;
    } finally {
      target.logits.dispose();
      draft?.logits.dispose();
    }
    const next = target.next ?? this.runner.tiledCache(n);
    const nextDraft = draft ? (draft.next ?? this.draft!.tiledCache(n)) : null;
    this.records.push({ raw: raws });
    try {
      s.advance(proposals);
    } catch (e) {
      next.dispose();
      nextDraft?.dispose();
      if (e instanceof AllDeadError) throw new LogitscopeError('bad-request', `SMC: ${e.message}`);
      throw e;
    }
    if (s.done) {
      next.dispose();
      nextDraft?.dispose();
    } else {
      if (s.needsResampling()) {
        // Copies of the ancestors' KV rows (never aliases: each copy is written on its own next step).
        const a = s.resample(this.rng.next());
        this.cache = gatherCacheRows(this.runner.gpu, next, a);
        next.dispose();
        if (nextDraft) {
          this.draftCache = gatherCacheRows(this.draft!.gpu, nextDraft, a);
          nextDraft.dispose();
        }
      } else {
        this.cache = next;
        this.draftCache = nextDraft;
      }
      // Frozen particles feed their last token again: their rows are never read.
      this.feed = s.particles.map((p) => p.tokens.at(-1) ?? 0);
    }
    const tokens = this.emit();
    return { tokens, live: this.live() };
  }

  /**
   * One model's forward this step: the prompt (batch 1; every particle reads its last row) on the
   * first step, then every particle's last token in one batched forward over `cache` (disposed).
   */
  private async forward(model: BatchedSequence, cache: KvCache | null): Promise<Forwarded> {
    if (!cache) {
      const logits = await model.forwardPending();
      const row = logits.rowIndex(0, -1);
      return { logits, next: null, rowOf: () => row };
    }
    try {
      const out = await model.forwardBatch(
        this.feed.map((id) => [id]),
        cache,
      );
      return { logits: out.logits, next: out.cache, rowOf: (j) => out.logits.rowIndex(j, 0) };
    } finally {
      cache.dispose();
    }
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = null;
    this.draftCache?.dispose();
    this.draftCache = null;
  }

  /** The settled tokens not yet emitted, with their records. */
  private emit(): EmittedToken[] {
    const s = this.state;
    const prefix = s.settledPrefix();
    if (prefix.length <= this.emitted) return [];
    const owner = s.done ? s.best().particle : s.alive().find((p) => p.tokens.length >= prefix.length)!;
    const out: EmittedToken[] = [];
    for (let i = this.emitted; i < prefix.length; i++) {
      const log = s.steps[i]!;
      const lane = owner.lanes[i]!;
      const l = log.lanes[lane]!;
      const W = normalized(log.lanes.map((x) => x.logw));
      const a: SmcAnnotations = {
        kind: 'smc',
        step: i,
        particles: s.c.particles,
        alpha: s.c.alpha,
        proposal: this.settings.proposal,
        reward: this.settings.reward,
        lane,
        lp: l.lp,
        lq: l.lq,
        dw: l.dw,
        ess: log.ess,
        threshold: this.settings.essThreshold * s.c.particles,
        lanes: log.lanes.map((x, j) => ({ parent: x.parent, id: x.id, text: x.text, lp: x.lp, dw: x.dw, logw: x.logw, weight: W[j]!, reward: x.reward, state: x.state })),
      };
      if (log.ancestors) a.ancestors = log.ancestors;
      if (s.done && i === prefix.length - 1) {
        a.final = this.completions(0);
        a.essTrace = s.steps.map((x) => x.ess);
        a.resampledAt = s.steps.flatMap((x) => (x.ancestors ? [x.step] : []));
        a.stop = s.c.eos.has(prefix.at(-1)!) ? 'end of sequence' : 'budget';
      }
      out.push({ id: prefix[i]!, base: this.records[i]!.raw[lane]!, annotations: a });
    }
    this.runner.commit(prefix.slice(this.emitted));
    this.draft?.commit(prefix.slice(this.emitted));
    this.emitted = prefix.length;
    return out;
  }

  /** Every particle's text after its first `cut` tokens, best first. */
  private completions(cut: number): SmcCompletion[] {
    const s = this.state;
    const W = normalized(s.particles.map((p) => p.logw));
    const best = s.best().index;
    return s.particles
      .map((p, j): SmcCompletion => ({ particle: j, text: cut === 0 ? p.text : this.textOf(p.tokens.slice(cut), p.tokens.slice(0, cut)), logw: p.logw, weight: W[j]!, reward: p.reward, state: p.state, output: j === best }))
      .sort((x, y) => y.logw - x.logw || x.particle - y.particle);
  }

  private textOf(tokens: readonly number[], before: readonly number[]): string {
    const context = [...this.prompt, ...before];
    return tokens.map((id, i) => this.textAfter([...context, ...tokens.slice(0, i)], id)).join('');
  }

  /** The live lineage view of the last LIVE_TREE_STEPS steps. */
  private live(): LiveState {
    const s = this.state;
    const first = Math.max(0, s.steps.length - LIVE_TREE_STEPS);
    const smc: SmcLive = {
      particles: s.c.particles,
      threshold: this.settings.essThreshold * s.c.particles,
      first,
      steps: s.steps.slice(first).map((log) => {
        const W = normalized(log.lanes.map((x) => x.logw));
        return { ess: log.ess, resampled: log.ancestors !== null, lanes: log.lanes.map((x, j) => ({ parent: x.parent, id: x.id, text: x.text, weight: W[j]!, state: x.state })) };
      }),
      head: s.best().index,
      resamplings: s.resamplings,
      completions: this.completions(s.done ? 0 : this.emitted),
    };
    return { step: s.step, hypotheses: [], done: s.done, smc };
  }
}

/**
 * Sequential Monte Carlo reward-guided decoding (docs/algorithms.md#smc): N particles as one batch,
 * weighted by the tempered target p^α times a prefix reward, resampled when the ESS falls.
 */
export const smc: DecodingStrategy = {
  info: {
    id: 'smc',
    label: 'SMC reward-guided',
    description: 'Carry N partial texts (particles, one batch) sampled from the model; weight them by a reward (keywords, a forbidden pattern, a target length) and resample when the weights get uneven. The output is the highest-weight text. A token appears once every live particle agrees on it.',
    needsDraft: false,
    interpretation: true,
    params: smcParams(),
  },
  drivesDraft: (params) => params.proposal === 'draft',
  start(ctx) {
    let settings: SmcSettings;
    try {
      settings = parseSmcSettings(ctx.params);
    } catch (e) {
      // A refused setting fails this panel's first step, not the run (the other panels go on).
      return { step: () => Promise.reject(e instanceof Error ? e : new Error(String(e))) };
    }
    const runner = ctx.capabilities?.batched;
    if (!runner) return { step: () => Promise.reject(new LogitscopeError('internal', 'SMC needs a model runner (batched forwards)')) };
    const config: SmcConfig = {
      particles: settings.particles,
      essThreshold: settings.essThreshold,
      alpha: 1 / settings.temperature,
      reward: makeReward(settings.reward, settings.rewardText),
      proposal: settings.proposal,
      maxNewTokens: ctx.maxNewTokens ?? 64,
      eos: new Set(ctx.eosIds ?? []),
    };
    const draft = settings.proposal === 'draft' ? (ctx.draftCapabilities?.batched ?? null) : null;
    if (settings.proposal === 'draft' && !draft) {
      return { step: () => Promise.reject(new LogitscopeError('bad-request', 'proposal: the draft proposal needs a second model (draft); choose one, or set proposal to target')) };
    }
    return new SmcRun(runner, settings, config, ctx.rng, ctx.topK, ctx.textAfter ?? ((_c, id) => `#${id}`), ctx.stop, draft);
  },
};
