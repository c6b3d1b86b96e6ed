// Hand-built token records and annotations shaped like the worker's (protocol/annotations.ts, tagged by `kind`).
import type { PanelStats, RunRecord, TokenAnnotations, TokenRecord } from '../../protocol';

/** A token with `prob` at rank `rank` (1-based) in a 10-entry top list; other fields derived. */
export function token(
  id: number,
  prob: number,
  opts: { rank?: number; entropy?: number; annotations?: TokenAnnotations; text?: string } = {},
): TokenRecord {
  const rank = opts.rank ?? 1;
  const top = Array.from({ length: 10 }, (_, i) => ({ id: 1000 + i, text: `alt${i}`, prob: 0.05 }));
  if (rank >= 1 && rank <= 10) top[rank - 1] = { id, text: opts.text ?? `t${id}`, prob };
  return { id, text: opts.text ?? `t${id}`, prob, logprob: Math.log(prob), entropy: opts.entropy ?? 1, top, annotations: opts.annotations ?? {} };
}

/** Stats of a panel that generated `n` tokens with `target` forwards. */
export function stats(n: number, target = n, draft = 0): PanelStats {
  return {
    newTokens: n,
    targetForwards: target,
    draftForwards: draft,
    wallMs: 1000,
    tokensPerSecond: n,
    readbackBytes: 0,
    finishReason: 'max',
    timeToFirstTokenMs: 5,
  };
}

/** A version-1 record with the given panels. */
export function record(panels: RunRecord['panels']): RunRecord {
  return {
    format: 'logitscope-run',
    version: 1,
    prompt: 'Once',
    promptTokens: [256, 79],
    model: { source: 'builtin:tiny-llama', vocabSize: 258, tokenizerVocabSize: 258, dtype: 'fp32', backend: 'webgpu' },
    draft: null,
    seed: 0,
    maxNewTokens: 8,
    createdAt: '2026-01-01T00:00:00.000Z',
    panels,
  };
}

/** Annotations of a speculative iteration's tokens: `fates` of the emitted tokens, drafts on the first. */
export function iteration(
  iterationNo: number,
  drafts: { id: number; fate: 'accepted' | 'rejected' | 'discarded'; p: number | null; q: number; r?: number }[],
  emitted: ('accepted' | 'resampled' | 'bonus')[],
) {
  const accepted = drafts.filter((d) => d.fate === 'accepted').length;
  return emitted.map((fate, i) => ({
    kind: 'speculative' as const,
    iteration: iterationNo,
    fate,
    k: 4,
    drafted: drafts.length,
    acceptedInIteration: accepted,
    p: fate === 'accepted' ? drafts[i]!.p : null,
    q: fate === 'accepted' ? drafts[i]!.q : null,
    alpha: 0.5,
    tau: 2,
    ...(i === 0 ? { drafts } : {}),
  }));
}
