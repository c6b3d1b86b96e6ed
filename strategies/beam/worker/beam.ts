import { LogitscopeError } from '../../../workers/errors';
import { gatherCacheRows } from '../../../workers/model/kv-ops';
import type { KvCache } from '../../../workers/model/kv-cache';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { StopSignal } from '../../../workers/decode/stop';
import type { LiveHypothesis, LiveState, ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, stringParam } from '../../../workers/params';
import type { BeamAnnotations, BeamCandidate, BeamFinished } from '../annotations';
import type { DecodingStrategy, EmittedToken, StepResult, StrategyRun } from '../../types';
import { buildTree, lastNode } from './beam-tree';
import { BeamSearch, DEAD, type BeamConfig, type EarlyStopping, type Hypothesis, type RowTop, type StepLog } from './beam-search';

/** Most beams a panel may run (one batch row each). */
export const MAX_BEAMS = 8;

/** The schema: 4 beams, λ_L = 1, HF's default early stopping (false), one group. */
export function beamParams(): ParamSchema[] {
  return [
    { name: 'numBeams', label: 'Beams', type: 'integer', default: 4, min: 1, max: MAX_BEAMS, help: 'Hypotheses kept each step (one batch row each); 1 is greedy.' },
    { name: 'lengthPenalty', label: 'Length penalty λ_L', type: 'number', default: 1, min: -5, max: 5, help: 'Finished hypotheses rank by S / ℓ^λ_L (S: sum of log-probabilities, ℓ: new tokens with the end token). Above 0 favours longer ones, below 0 shorter; 0 ranks by S.' },
    { name: 'earlyStopping', label: 'Early stopping', type: 'enum', default: 'false', options: ['false', 'true', 'never'], help: 'true: stop once numBeams hypotheses finished. false (Hugging Face’s default): stop when no running beam can beat the worst finished one at the current length. never: the canonical test at the longest length.' },
    { name: 'numBeamGroups', label: 'Beam groups', type: 'integer', default: 1, min: 1, max: MAX_BEAMS, help: 'Diverse beam search: the beams split into this many groups (it must divide the beam count), each penalised for tokens earlier groups chose this step.' },
    { name: 'diversityPenalty', label: 'Diversity penalty δ', type: 'number', default: 0, min: 0, max: 20, help: 'Subtracted from a token’s log-probability once per earlier group that chose it this step (groups > 1 only).' },
  ];
}

/** Read params into a search configuration; errors name the parameter and the value. */
export function parseBeamSettings(p: Record<string, ParamValue>): Omit<BeamConfig, 'maxNewTokens' | 'eos'> {
  const schema = beamParams();
  const numBeams = numberParam(schema, p, 'numBeams');
  const groups = numberParam(schema, p, 'numBeamGroups');
  if (numBeams % groups !== 0) throw new LogitscopeError('bad-request', `numBeamGroups must divide numBeams (${numBeams}), got ${groups}`);
  return {
    numBeams,
    groups,
    lengthPenalty: numberParam(schema, p, 'lengthPenalty'),
    earlyStopping: stringParam(schema, p, 'earlyStopping') as EarlyStopping,
    diversityPenalty: numberParam(schema, p, 'diversityPenalty'),
  };
}

/** A raw row summary as log-probabilities. */
function rowTop(s: RowSummary): RowTop {
  return { ids: s.topIds, lps: s.topLogits.map((z) => z - s.lse) };
}

/** What the run keeps of one step for the annotations. */
interface StepRecord {
  log: StepLog;
  /** Each beam's raw summary this step (the base record of a token chosen from it). */
  summaries: RowSummary[];
  /** Each beam's tokens before the step. */
  before: number[][];
  /** Candidate texts, in log order. */
  texts: string[];
}

/**
 * One beam search panel: the beams are one batch of the panel's model; each step feeds every beam's
 * last token in one forward, reads each row's top log-probabilities (lse and the top list from the
 * fused readout; the row never crosses), advances the search, and gathers the KV rows by parent
 * beam. Tokens are emitted once every hypothesis that can still become the output agrees on them,
 * the rest of the best hypothesis when the search ends.
 */
export class BeamRun implements StrategyRun {
  private readonly search: BeamSearch;
  private cache: KvCache | null = null;
  private feed: number[] = [];
  private readonly steps: StepRecord[] = [];
  private emitted = 0;
  private readonly prompt: number[];

  constructor(
    private readonly runner: BatchedSequence,
    config: BeamConfig,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string,
    private readonly stop?: StopSignal,
  ) {
    this.search = new BeamSearch(config);
    this.prompt = [...runner.ids];
  }

  async step(): Promise<StepResult> {
    if (this.search.done) return { tokens: [] };
    await this.stop?.checkpoint();
    const beams = this.search.c.numBeams;
    const k = Math.max(this.topK, this.search.rowTopSize);
    let summaries: RowSummary[];
    let next: KvCache;
    if (!this.cache) {
      const logits = await this.runner.forwardPending();
      try {
        const [s] = await this.runner.readout.rows(logits, logits.rowIndex(0, -1), 1, k);
        summaries = new Array<RowSummary>(beams).fill(s!);
      } finally {
        logits.dispose();
      }
      next = this.runner.tiledCache(beams);
    } else {
      const out = await this.runner.forwardBatch(
        this.feed.map((id) => [id]),
        this.cache,
      );
      this.cache.dispose();
      this.cache = null;
      try {
        summaries = await this.runner.readout.rows(out.logits, 0, beams, k);
      } catch (e) {
        out.cache.dispose();
        throw e;
      } finally {
        out.logits.dispose();
      }
      next = out.cache;
    }
    const before = this.search.live.map((h) => h.tokens);
    const { parents, tokens, log } = this.search.advance(summaries.map(rowTop));
    const texts = log.candidates.map((c) => this.textAfter([...this.prompt, ...before[c.parent]!], c.id));
    this.steps.push({ log, summaries, before, texts });
    if (this.search.done) {
      next.dispose();
    } else {
      this.cache = gatherCacheRows(this.runner.gpu, next, parents);
      next.dispose();
      this.feed = tokens;
    }
    const settled = this.emitted;
    const emitted = this.emit();
    // Once the search ends the whole output is emitted: the hypotheses stay shown after what was settled before.
    return { tokens: emitted, live: this.live(this.search.done ? settled : this.emitted) };
  }

  /** The hypotheses still held, as text after their first `cut` tokens (best first within running / finished), and the tree. */
  private live(cut: number): LiveState {
    const s = this.search;
    const ranked = s.ranked();
    const suffix = (tokens: readonly number[]) => this.text(tokens.slice(cut), tokens.slice(0, cut));
    const alive = s.done
      ? []
      : s.live
          .map((h, b) => ({ h, b }))
          .filter(({ b }) => !s.groupDone[Math.floor(b / s.perGroup)] && s.scores[b]! > DEAD / 2)
          .sort((x, y) => s.scores[y.b]! - s.scores[x.b]!);
    const running: LiveHypothesis[] = alive.map(({ h, b }) => ({ text: suffix(h.tokens), score: s.scores[b]!, state: 'running', group: Math.floor(b / s.perGroup) }));
    const head = s.done ? ranked[0] ?? null : alive[0]?.h ?? null;
    const tree = buildTree(
      this.steps.map((r) => r.log),
      this.steps.map((r) => r.texts),
      ranked,
      head,
      s.c.lengthPenalty,
    );
    const finished: LiveHypothesis[] = ranked.map((f) => {
      const h: LiveHypothesis = { text: suffix(f.tokens), score: f.score, state: 'finished', group: f.group, sum: f.sum, length: f.tokens.length };
      const last = lastNode(f);
      if (last && last.step >= tree.first) h.node = last.node;
      return h;
    });
    return { step: s.step, hypotheses: [...running, ...finished], done: s.done, tree };
  }

  /** The settled tokens not yet emitted, with their records. */
  private emit(): EmittedToken[] {
    const prefix = this.search.settledPrefix();
    if (prefix.length <= this.emitted) return [];
    const hyp = this.hypothesisOf(prefix);
    const out: EmittedToken[] = [];
    for (let i = this.emitted; i < prefix.length; i++) {
      const rec = this.steps[i]!;
      const cand = rec.log.candidates[hyp.from[i]!]!;
      const annotations: BeamAnnotations = {
        kind: 'beam',
        step: i,
        lp: hyp.lps[i]!,
        sum: hyp.lps.slice(0, i + 1).reduce((s, x) => s + x, 0),
        rank: rec.log.candidates.filter((c) => c.group === cand.group).indexOf(cand),
        numBeams: this.search.c.numBeams,
        groups: this.search.c.groups,
        candidates: rec.log.candidates.map((c, j): BeamCandidate => ({
          id: c.id,
          text: rec.texts[j]!,
          group: c.group,
          parent: c.parent,
          onOutput: sameTokens(rec.before[c.parent]!, prefix.slice(0, i)),
          lp: c.lp,
          penalty: c.penalty,
          score: c.score,
          fate: c.fate,
        })),
      };
      if (this.search.done && i === prefix.length - 1) {
        annotations.finished = this.search.ranked().map((f, j): BeamFinished => ({ text: this.text(f.tokens), sum: f.sum, length: f.tokens.length, score: f.score, group: f.group, output: j === 0 }));
        annotations.stop = this.stopReason(hyp);
      }
      out.push({ id: prefix[i]!, base: rec.summaries[cand.parent]!, annotations });
    }
    this.runner.commit(prefix.slice(this.emitted));
    this.emitted = prefix.length;
    return out;
  }

  private stopReason(best: Hypothesis): BeamAnnotations['stop'] {
    if (this.search.step >= this.search.c.maxNewTokens) return 'budget';
    if (this.search.c.earlyStopping === 'true') return 'early stopping';
    return this.search.c.eos.has(best.tokens.at(-1) ?? -1) && this.search.live.every((_, b) => this.search.scores[b]! <= DEAD / 2) ? 'end of sequence' : 'no better hypothesis possible';
  }

  /** A hypothesis whose tokens start with `prefix` (the best one once done). */
  private hypothesisOf(prefix: readonly number[]): Hypothesis {
    if (this.search.done) return this.search.best()!;
    const all = [...this.search.live, ...this.search.finished.flat()];
    return all.find((h) => sameTokens(h.tokens.slice(0, prefix.length), prefix))!;
  }

  /** Text of `tokens` after the prompt and `before` (new tokens already in front of them). */
  private text(tokens: readonly number[], before: readonly number[] = []): string {
    const context = [...this.prompt, ...before];
    return tokens.map((id, i) => this.textAfter([...context, ...tokens.slice(0, i)], id)).join('');
  }
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Beam search and diverse beam search with Hugging Face's semantics (docs/algorithms.md#beam-search):
 * numBeams hypotheses as one batch, scored by their sum of log-probabilities, finished ones ranked by
 * S / ℓ^λ_L; groups add Vijayakumar et al.'s Hamming diversity penalty.
 */
export const beam: DecodingStrategy = {
  info: {
    id: 'beam',
    label: 'Beam search',
    description: 'Keep the numBeams most probable partial texts each step (one batch), return the best finished one under the length penalty; with groups, diverse beam search. A token appears once every hypothesis still in the race agrees on it.',
    needsDraft: false,
    interpretation: false,
    params: beamParams(),
  },
  start(ctx) {
    const settings = parseBeamSettings(ctx.params);
    const runner = ctx.capabilities?.batched;
    if (!runner) return { step: () => Promise.reject(new LogitscopeError('internal', 'beam search needs a model runner (batched forwards)')) };
    const config: BeamConfig = { ...settings, maxNewTokens: ctx.maxNewTokens ?? 64, eos: new Set(ctx.eosIds ?? []) };
    return new BeamRun(runner, config, ctx.topK, ctx.textAfter ?? ((_c, id) => `#${id}`), ctx.stop);
  },
};
