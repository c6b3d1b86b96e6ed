import { LogitscopeError } from '../../../workers/errors';
import { contextLength } from '../../../workers/model/config-check';
import type { DecodingStrategy, StrategyContext, StrategyRun } from '../../types';
import { DraftExpert, type ExpertSequence } from './expert';
import { parseW2sSettings, w2sParams, type W2sSettings } from './settings';
import { W2sKernels } from './w2s-kernels';
import { W2sRun } from './w2s-run';

/** A run that fails its first step with `message` (the panel shows it; the others go on). */
function refuse(code: 'bad-request' | 'internal', message: string): StrategyRun {
  return { step: () => Promise.reject(new LogitscopeError(code, message)) };
}

/**
 * The expert context's ids: the expert prefix encoded as a prompt is (BOS where the tokenizer adds
 * it), then the prompt's ids without their BOS. Null for an empty prefix (E is S).
 */
export function expertContextIds(prefix: string, promptIds: readonly number[], encode: (text: string) => number[], bosId: number | null): number[] | null {
  if (prefix.trim() === '') return null;
  const head = encode(prefix);
  const rest = bosId !== null && promptIds[0] === bosId ? promptIds.slice(1) : promptIds;
  return [...head, ...rest];
}

function start(ctx: StrategyContext): StrategyRun {
  let s: W2sSettings;
  try {
    s = parseW2sSettings(ctx.params);
  } catch (e) {
    // A rule the schema cannot state (α in (−1, 0)): this panel fails, the others run.
    return { step: () => Promise.reject(e) };
  }
  if (!ctx.draft) return refuse('bad-request', 'weak-to-strong fusion needs a second model (the small model): choose a draft (e.g. builtin:stories-draft)');
  let expert: ExpertSequence | null = null;
  if (s.expertPrefix.trim() !== '') {
    const runner = ctx.draftCapabilities?.batched;
    if (!runner) return refuse('internal', 'weak-to-strong fusion needs the small model’s runner (batched forwards) for the expert context');
    const tok = runner.model.tokenizer;
    const ids = expertContextIds(s.expertPrefix, ctx.target.ids, (text) => tok.encode(text, false), tok.bosId)!;
    const limit = contextLength(runner.model.config);
    const need = ids.length + (ctx.maxNewTokens ?? 0);
    if (limit !== null && need > limit) {
      return refuse(
        'bad-request',
        `expertPrefix: the expert context (${ids.length} tokens: the expert prefix, then the prompt) plus ${ctx.maxNewTokens ?? 0} new tokens needs ${need} positions, more than the small model’s context of ${limit}: shorten the expert prefix or the run`,
      );
    }
    expert = new DraftExpert(runner, ids, ctx.stop);
  }
  return new W2sRun(ctx.target, ctx.draft, expert, s, new W2sKernels(ctx.target.gpu), ctx.rng, ctx.topK, ctx.textAfter);
}

/**
 * Dynamic Logits Fusion, weak-to-strong (Fan et al., NeurIPS 2024, https://arxiv.org/abs/2406.15480):
 * z_F = z_L + α·(z_E − z_S), α per token from {0, 0.1, …, alphaMax} so that KL(F ‖ L) matches
 * κ = KL(E ‖ S). With the built-in pair E is the draft reading an expert context (our interpretation).
 */
export const w2s: DecodingStrategy = {
  info: {
    id: 'w2s',
    label: 'Weak-to-strong (dynamic logits fusion)',
    description:
      'The large model’s logits plus α × the shift an expert context induces on the small model (z_E − z_S), with α chosen per token so the fused distribution moves as far from the large model as the expert moved from the small one (KL matching). Here the expert is the small (draft) model reading the expert prefix (our interpretation). Needs a second model sharing the tokenizer.',
    needsDraft: true,
    interpretation: true,
    params: w2sParams(),
  },
  start,
};
