import type { RowSummary } from '../../../workers/decode/readout';
import { LogitscopeError } from '../../../workers/errors';
import type { StepResult, StrategyRun } from '../../types';
import type { BranchingModel } from '../../../workers/decode/branching';
import type { SearchAnnotations } from '../annotations';
import { scoreCandidates } from './cs-score';
import { HiddenContext } from './hidden-context';

/** Contrastive-search settings, validated by the strategy's ParamSchema. */
export interface CsSettings {
  /** Candidates per step, 1..16. */
  k: number;
  /** Degeneration weight α in [0, 1]. */
  alpha: number;
  /** Top-k size of the base summaries (≥ 10, for the token records). */
  topK: number;
}

/** The JSON of one contrastive-search token (../annotations.ts). */
export type CsAnnotations = SearchAnnotations;

/** Why a model without `last_hidden_state` cannot run contrastive search. */
export const NO_HIDDEN_STATE =
  'Contrastive search needs the last-layer hidden state of every token, and this model exports no last_hidden_state output (standard Hub ONNX exports do not; the built-in models do). Re-export it with a last_hidden_state output.';

/**
 * One panel of SimCTG contrastive search: per step, the top-k candidates go through ONE batched
 * forward (batch k, length 1, over the tiled cache), giving each one's hidden state and next-step
 * logits; the winner's cache row and logits are kept, so the next step needs no extra pass.
 */
export class ContrastiveSearchRun implements StrategyRun {
  private row: RowSummary | null = null;
  private context: HiddenContext | null = null;

  constructor(
    private readonly model: BranchingModel,
    private readonly settings: CsSettings,
  ) {}

  async step(): Promise<StepResult> {
    if (!this.model.hasHiddenState) throw new LogitscopeError('model-invalid', NO_HIDDEN_STATE);
    const width = Math.max(this.settings.topK, this.settings.k);
    const [row, context] = await this.prepared(width);
    const ids = row.topIds.slice(0, this.settings.k);
    if (ids.length === 0) throw new Error('the logit row has no finite entry');
    try {
      const hidden = await this.model.branch(ids);
      const candidates = ids.map((id, i) => ({ id, prob: Math.exp(row.topLogits[i]! - row.lse), hidden: hidden[i]! }));
      const { scored, winner } = scoreCandidates(candidates, context, this.settings.alpha);
      const id = ids[winner]!;
      const contextLength = context.length;
      this.row = await this.model.choose(winner, width);
      context.append(hidden[winner]!);
      const annotations: CsAnnotations = { kind: 'contrastive-search', alpha: this.settings.alpha, k: this.settings.k, chosenRank: winner, departedFromGreedy: winner !== 0, contextLength, candidates: scored };
      return { tokens: [{ id, base: row, annotations: { ...annotations } }] };
    } finally {
      this.model.close();
    }
  }

  /** The current row and context, running the prompt's forward (with hidden states) on the first step. */
  private async prepared(width: number): Promise<[RowSummary, HiddenContext]> {
    if (this.row && this.context) return [this.row, this.context];
    const { row, hidden } = await this.model.prefill(width);
    const first = hidden[0];
    if (!first) throw new Error('the prompt forward returned no hidden states');
    const context = new HiddenContext(first.length);
    for (const h of hidden) context.append(h);
    this.row = row;
    this.context = context;
    return [row, context];
  }
}
