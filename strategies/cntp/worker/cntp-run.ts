import { processRow, type ProcessedRow } from '../../../workers/decode/fusion';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import { isSampling } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import type { StopSignal } from '../../../workers/decode/stop';
import type { EmittedToken, StepResult, StrategyRun } from '../../types';
import { punctuationIds } from './punctuation';
import { RunnerTrials, toDraw } from './runner-trials';
import type { CntpSettings } from './settings';
import { trialCount } from './trial-count';
import { runTrials, type TrialOutcome, type TrialStops } from './trials';

/**
 * One CNTP panel. Each step draws a token from the processed distribution exactly as the `sample`
 * strategy does (one uniform); when that distribution's entropy asks for N > 1 trials, the drawn
 * token starts trial 0, N − 1 more trials draw their first tokens from the same distribution, and
 * all N continue as one batch until punctuation, EOS or the cap. The lowest-perplexity trial is
 * emitted whole and its KV-cache row kept.
 */
export class CntpRun implements StrategyRun {
  private readonly stops: TrialStops;
  private steps = 0;

  constructor(
    private readonly runner: BatchedSequence,
    private readonly s: CntpSettings,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly stop?: StopSignal,
  ) {
    const tok = runner.model.tokenizer;
    const specials = new Set<number>(tok.eosIds);
    if (tok.bosId !== null) specials.add(tok.bosId);
    this.stops = { punctuation: punctuationIds((c) => tok.encode(c, false), specials), eos: new Set(tok.eosIds), cap: s.trialCap };
  }

  async step(): Promise<StepResult> {
    const logits = await this.runner.forwardPending();
    try {
      const uniform = isSampling(this.s.chain) ? this.rng.next() : null;
      const first = await processRow(this.runner, logits, logits.rowIndex(0, -1), { chain: this.s.chain, history: this.runner.ids, uniform, k: this.topK });
      const n = trialCount(first.processedEntropy, this.s.count);
      const tokens = n === 1 ? this.single(first) : await this.cautious(n, first, logits);
      this.steps++;
      return { tokens };
    } finally {
      logits.dispose();
    }
  }

  private single(first: ProcessedRow): EmittedToken[] {
    this.runner.commit([first.id]);
    return [{ id: first.id, base: first.raw, annotations: { kind: 'cntp', N: 1, processedEntropy: first.processedEntropy, step: this.steps } }];
  }

  private async cautious(n: number, first: ProcessedRow, logits: Logits): Promise<EmittedToken[]> {
    const backend = new RunnerTrials(this.runner, logits, this.s.chain, this.topK);
    let outcome: TrialOutcome;
    let bases: RowSummary[];
    try {
      outcome = await runTrials(n, toDraw(first), backend, this.rng, this.stops, this.stop);
      const won = outcome.trials[outcome.winner]!.draws;
      bases = await backend.adopt(outcome.winner, won);
    } finally {
      backend.dispose();
    }
    const tok = this.runner.model.tokenizer;
    const summary = {
      winner: outcome.winner,
      trials: outcome.trials.map((t, i) => ({ text: tok.decode(t.draws.map((d) => d.id)), perplexity: outcome.perplexities[i]!, tokens: t.draws.length, end: t.end })),
      batchForwards: outcome.forwards,
    };
    const draws = outcome.trials[outcome.winner]!.draws;
    return draws.map((d, i) => ({
      id: d.id,
      base: bases[i]!,
      annotations: i === 0 ? { kind: 'cntp', N: n, processedEntropy: first.processedEntropy, step: this.steps, ...summary } : { kind: 'cntp', N: n, step: this.steps, trialToken: i },
    }));
  }
}
