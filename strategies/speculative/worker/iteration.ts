import type { TokenSequence } from '../../../workers/decode/sequence';
import type { EmittedToken } from '../../types';
import type { SpeculationMetrics } from './metrics';
import type { DraftFate, DraftRecord, EmitFate, SpeculativeAnnotations } from '../annotations';
import type { Proposal, Proposer, Verdict, Verifier } from './types';

/** The parts one speculative iteration works with. */
export interface IterationParts {
  target: TokenSequence;
  /** The request's second model, if any: kept in step with the committed ids. */
  draft: TokenSequence | null;
  proposer: Proposer;
  verifier: Verifier;
  eosIds: readonly number[];
  metrics: SpeculationMetrics;
  /** Decodes a draft in place, so the timeline shows its text (drafts rejected or cut are never emitted). */
  textAfter?: (context: readonly number[], id: number) => string;
}

/** The JSON of an emitted token and of one draft (../annotations.ts). */
export type { DraftRecord, SpeculativeAnnotations };

/** What one iteration emitted and decided (drafts committed, rollback done). */
export interface IterationResult {
  tokens: EmittedToken[];
  /** n_acc after the EOS cut. */
  accepted: number;
}

/**
 * Bring a runner to exactly `keep` ids with the last one not yet fed: truncate to the common prefix
 * (at most keep.length − 1, which rolls the KV cache back on the GPU) and commit the rest. The next
 * forward then feeds every committed token the model has not seen (docs/algorithms.md#speculative-decoding, draft catch-up).
 */
export function rollback(seq: TokenSequence, keep: readonly number[]): void {
  const limit = Math.min(seq.ids.length, keep.length - 1);
  let common = 0;
  while (common < limit && seq.ids[common] === keep[common]) common++;
  seq.truncate(common);
  seq.commit(keep.slice(common));
}

/** n_acc and the next token after cutting the accepted drafts after their first EOS (then no next). */
function cutAtEos(d: readonly number[], v: Verdict, eosIds: readonly number[]): { accepted: number; next: number | null } {
  const eosAt = d.slice(0, v.accepted).findIndex((id) => eosIds.includes(id));
  return eosAt >= 0 ? { accepted: eosAt + 1, next: null } : { accepted: v.accepted, next: v.next };
}

function draftRecords(p: Proposal, v: Verdict, accepted: number, eosCut: boolean, texts: readonly string[] | null): DraftRecord[] {
  return p.d.map((id, i) => {
    const fate: DraftFate = i < accepted ? 'accepted' : i === accepted && !eosCut ? 'rejected' : 'discarded';
    const rec: DraftRecord = { id, fate, p: v.pD[i] ?? null, q: p.q[i]! };
    const text = texts?.[i];
    if (text !== undefined) rec.text = text;
    const r = v.r?.[i];
    if (r !== undefined) rec.r = r;
    return rec;
  });
}

/**
 * One iteration (docs/algorithms.md#speculative-decoding): propose L ≤ k drafts, commit them to the target, verify them
 * in ONE target forward, cut after an accepted EOS, roll both runners back to the committed ids and
 * commit the correction / bonus token. Returns the emitted tokens with their raw target summaries.
 */
export async function runIteration(parts: IterationParts, k: number): Promise<IterationResult> {
  const { target, draft } = parts;
  const committed = [...target.ids];
  const proposal = await parts.proposer.propose(k);
  const d = proposal.d;
  target.commit(d);
  let verification;
  try {
    verification = await parts.verifier.verify(target, proposal);
  } finally {
    for (const q of proposal.residualRows ?? []) q.dispose();
  }
  const { base, verdict } = verification;
  const { accepted, next } = cutAtEos(d, verdict, parts.eosIds);
  const keep = committed.concat(d.slice(0, accepted), next === null ? [] : [next]);
  rollback(target, keep);
  if (draft) rollback(draft, keep);
  const emittedIds = keep.slice(committed.length);
  parts.metrics.record(d.length, accepted, emittedIds.length);
  const shared: Omit<SpeculativeAnnotations, 'fate' | 'p' | 'q'> = {
    kind: 'speculative',
    iteration: parts.metrics.iterations - 1,
    k: proposal.k,
    drafted: d.length,
    acceptedInIteration: accepted,
    alpha: parts.metrics.alpha,
    tau: parts.metrics.tau(target.forwards),
  };
  const textAfter = parts.textAfter;
  const draftTexts = textAfter ? d.map((id, i) => textAfter(committed.concat(d.slice(0, i)), id)) : null;
  const tokens = emittedIds.map((id, i): EmittedToken => {
    const isDraft = i < accepted;
    const fate: EmitFate = isDraft ? 'accepted' : accepted < d.length ? 'resampled' : 'bonus';
    const annotations: SpeculativeAnnotations = { ...shared, fate, p: isDraft ? verdict.pD[i]! : verdict.pNext, q: isDraft ? proposal.q[i]! : null };
    const r = isDraft ? verdict.r?.[i] : undefined;
    if (r !== undefined) annotations.r = r;
    if (i === 0) Object.assign(annotations, proposal.info, { drafts: draftRecords(proposal, verdict, accepted, next === null, draftTexts) });
    return { id, base: base[i]!, annotations: { ...annotations } };
  });
  return { tokens, accepted };
}
