/**
 * One k-chain recursive speculative decoding iteration (docs/algorithms.md#multi-draft):
 *   1. draft root: one draft forward over its pending ids; the processed q_1 is kept and read dense;
 *      `drafts` distinct root candidates c^1..c^K (sampling: drawn without replacement, K uniforms;
 *      greedy: the K largest processed logits, so c^1 is the single-draft greedy draft);
 *   2. chains: the draft cache tiled K times, L − 1 batched draft forwards extend every chain
 *      (sampling: one uniform per live chain per depth, chains in order; greedy: argmax);
 *   3. ONE batched target forward, row r = [pending ids…, c^r_1..c^r_L], over the target cache tiled K times;
 *   4. root: recursive rejection over c^1..c^K with the dense p_1 and q_1 (greedy: accept the candidate
 *      equal to argmax p_1); all rejected → emit the residual draw (greedy: argmax p_1);
 *   5. accepted chain r: §5 verification of c^r_2..c^r_L on row r (processed rows, residual against
 *      the kept draft rows), then the correction / bonus token;
 *   6. both runners keep batch row r of their batched caches (row select), truncated to committed − 1.
 * Uniform stream of an iteration (sampling): K candidate draws; per depth 2..L, one per live chain in
 * chain order; r_1.. of the root stages (+ one residual draw when all are rejected); then r_2.. of the
 * accepted chain (+ one residual or bonus draw).
 */
import { processRow, processRows, sampleResidual, type ProcessedDistribution, type ProcessedRow, type ProcessRowsItem } from '../../../workers/decode/fusion';
import type { BatchedSequence, TokenSequence } from '../../../workers/decode/sequence';
import type { KvCache } from '../../../workers/model/kv-cache';
import type { Logits } from '../../../workers/model/logits';
import { isSampling, type ChainParams } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import type { StopSignal } from '../../../workers/decode/stop';
import type { EmittedToken } from '../../types';
import type { DraftFate, DraftRecord, EmitFate } from '../../speculative/annotations';
import { emittedRows } from '../../speculative/worker/emitted-rows';
import type { SpeculationMetrics } from '../../speculative/worker/metrics';
import { acceptRatio } from '../../speculative/worker/verify';
import type { MultiDraftAnnotations, MultiDraftRoot, RootFate } from '../annotations';
import { denseOf, type DenseRow } from './dense';
import { drawWithoutReplacement, greedyRoot, recursiveRejection, type RsdStage } from './rsd';

/** A model runner as the iteration drives it: batched forwards, tiled caches, row select, its cache length. */
export type MdRunner = TokenSequence & Pick<BatchedSequence, 'forwardBatch' | 'tiledCache' | 'adoptRow'> & { readonly cachedLength: number };

/** Pending ids above this many are prefilled by a forward of their own before the batched verification. */
export const BATCH_PENDING_LIMIT = 64;

/** processRow draws only with a uniform; rows kept for their distribution pass this one and ignore the draw. */
const NO_DRAW = 0;

/** What one iteration works with. */
export interface MultiDraftParts {
  target: MdRunner;
  draft: MdRunner;
  chain: ChainParams;
  rng: Rng;
  topK: number;
  eosIds: readonly number[];
  /** Chains asked for (K). */
  drafts: number;
  /** Chain length (L). */
  k: number;
  metrics: SpeculationMetrics;
  textAfter?: (context: readonly number[], id: number) => string;
  /** Polled between the iteration's forwards (Stop). */
  stop?: StopSignal;
}

/** The chains after drafting: tokens (cut after an EOS), the batch rows fed, q values, kept draft rows. */
interface Chains {
  roots: number[];
  /** The dense q_1 (sampling only; greedy reads the top of the processed row instead). */
  rootQ: DenseRow | null;
  tokens: number[][];
  fed: number[][];
  q: number[][];
  /** Depth ≥ 2 kept q rows per chain (sampling only). */
  kept: ProcessedDistribution[][];
  /** The draft's batched cache (null when L = 1). */
  cache: KvCache | null;
}

/** What the verification decided. */
interface Decision {
  /** Accepted chain, or null. */
  chain: number | null;
  /** Accepted tokens of that chain (0 when the root was rejected). */
  accepted: number;
  /** Correction / bonus token (null after an accepted EOS). */
  next: number | null;
  nextFate: EmitFate;
  pNext: number | null;
  /** p_1 of a root candidate or of the emitted root token. */
  rootP: (id: number) => number;
  stages: RsdStage[];
  /** p and r of the accepted chain's verified tokens (index 0 = its root). */
  pD: number[];
  r: (number | undefined)[];
  /** Every root residual was drawn (all rejected). */
  rootResidual: boolean;
}

function disposeAll(rows: readonly (ProcessedRow | null)[]): void {
  for (const r of rows) r?.distribution?.dispose();
}

async function draftChains(parts: MultiDraftParts): Promise<Chains> {
  const { draft, chain, rng } = parts;
  const sampling = isSampling(chain);
  const logits = await draft.forwardPending();
  let root: ProcessedRow;
  try {
    const k = sampling ? 1 : parts.drafts;
    root = await processRow(draft, logits, logits.rowIndex(0, -1), { chain, history: draft.ids, uniform: sampling ? NO_DRAW : null, keep: sampling, k });
  } finally {
    logits.dispose();
  }
  let rootQ: DenseRow | null = null;
  let roots: number[];
  let qs: number[];
  if (sampling) {
    try {
      rootQ = await denseOf(draft, root.distribution!);
    } finally {
      root.distribution?.dispose();
    }
    const dense = rootQ;
    roots = drawWithoutReplacement(dense.probs, parts.drafts, () => rng.next());
    qs = roots.map((c) => dense.probs[c]!);
  } else {
    // The top of the processed row: logit descending, ties to the lower id, kept tokens only (= greedyCandidates).
    const top = root.processedTop;
    roots = top.ids.slice(0, parts.drafts);
    qs = roots.map((_, i) => root.processedProb * Math.exp(top.logits[i]! - top.logits[0]!));
  }
  const eos = (id: number) => parts.eosIds.includes(id);
  const out: Chains = { roots, rootQ, tokens: roots.map((c) => [c]), fed: roots.map((c) => [c]), q: qs.map((q) => [q]), kept: roots.map(() => []), cache: null };
  if (parts.k === 1) return out;
  try {
    out.cache = draft.tiledCache(roots.length);
    for (let depth = 2; depth <= parts.k; depth++) {
      await parts.stop?.checkpoint();
      const res = await draft.forwardBatch(
        out.fed.map((f) => [f[f.length - 1]!]),
        out.cache,
      );
      out.cache.dispose();
      out.cache = res.cache;
      const live = out.tokens.map((t, r) => r).filter((r) => !eos(out.tokens[r]![out.tokens[r]!.length - 1]!) && out.tokens[r]!.length === depth - 1);
      let rows: ProcessedRow[];
      try {
        const items: ProcessRowsItem[] = live.map((r) => ({
          row: res.logits.rowIndex(r, 0),
          opts: { chain, history: [...draft.ids, ...out.fed[r]!], uniform: sampling ? rng.next() : null, keep: sampling, k: 1 },
        }));
        rows = await processRows(draft, res.logits, items);
      } finally {
        res.logits.dispose();
      }
      const byChain = new Map(live.map((r, j) => [r, rows[j]!]));
      out.fed.forEach((f, r) => {
        const row = byChain.get(r);
        if (!row) {
          f.push(f[f.length - 1]!);
          return;
        }
        f.push(row.id);
        out.tokens[r]!.push(row.id);
        out.q[r]!.push(row.processedProb);
        if (row.distribution) out.kept[r]!.push(row.distribution);
      });
    }
  } catch (e) {
    disposeChains(out);
    throw e;
  }
  return out;
}

function disposeChains(c: Chains): void {
  for (const list of c.kept) for (const d of list) d.dispose();
  c.cache?.dispose();
  c.cache = null;
}

/** ONE batched target forward over every chain; returns its logits and cache, and the pending count P. */
async function verifyForward(target: MdRunner, fed: readonly number[][]): Promise<{ logits: Logits; cache: KvCache; pending: number }> {
  if (target.ids.length - target.cachedLength > BATCH_PENDING_LIMIT) {
    // A long prompt: prefill all but its last id once, so the K rows do not each carry it.
    const last = target.ids[target.ids.length - 1]!;
    target.truncate(target.ids.length - 1);
    (await target.forwardPending()).dispose();
    target.commit([last]);
  }
  const cached = target.cachedLength;
  const pendingIds = target.ids.slice(cached);
  let tiled: KvCache | null = null;
  if (cached > 0) {
    target.truncate(cached);
    try {
      tiled = target.tiledCache(fed.length);
    } finally {
      target.commit(pendingIds);
    }
  }
  try {
    const out = await target.forwardBatch(
      fed.map((f) => [...pendingIds, ...f]),
      tiled,
    );
    return { logits: out.logits, cache: out.cache, pending: pendingIds.length };
  } finally {
    tiled?.dispose();
  }
}

async function decide(parts: MultiDraftParts, c: Chains, logits: Logits, pending: number): Promise<Decision> {
  const { target, chain, rng } = parts;
  const sampling = isSampling(chain);
  const committed = target.ids;
  const rootRow = await processRow(target, logits, logits.rowIndex(0, pending - 1), { chain, history: committed, uniform: sampling ? NO_DRAW : null, keep: sampling, ...(sampling ? {} : { tokenIds: c.roots }), k: 1 });
  let stages: RsdStage[] = [];
  let root: { accepted: number | null; token: number };
  let rootP: (id: number) => number;
  if (sampling) {
    let dense: DenseRow;
    try {
      dense = await denseOf(target, rootRow.distribution!);
    } finally {
      rootRow.distribution?.dispose();
    }
    const res = recursiveRejection(dense.probs, c.rootQ!.probs, c.roots, () => rng.next());
    stages = res.stages;
    root = res;
    rootP = (id) => dense.probs[id]!;
  } else {
    root = greedyRoot(rootRow.id, c.roots);
    rootP = (id) => (id === rootRow.id ? rootRow.processedProb : (rootRow.tokenProcessedProbs[c.roots.indexOf(id)] ?? 0));
  }
  const base = { rootP, stages };
  if (root.accepted === null) {
    return { ...base, chain: null, accepted: 0, next: root.token, nextFate: 'resampled', pNext: sampling ? null : rootP(root.token), pD: [], r: [], rootResidual: true };
  }
  const r0 = root.accepted;
  const d = c.tokens[r0]!;
  const pD = [rootP(d[0]!)];
  const rs: (number | undefined)[] = [stages[stages.length - 1]?.r];
  const eos = parts.eosIds.includes(d[0]!);
  if (eos) return { ...base, chain: r0, accepted: 1, next: null, nextFate: 'bonus', pNext: null, pD, r: rs, rootResidual: false };
  // §5 on row r0 for depths 2..L, then the correction / bonus.
  const rowAt = (j: number) => logits.rowIndex(r0, pending - 1 + j);
  const items: ProcessRowsItem[] = d.slice(1).map((di, i) => ({ row: rowAt(i + 1), opts: { chain, history: [...committed, ...d.slice(0, i + 1)], uniform: sampling ? NO_DRAW : null, tokenIds: [di], keep: sampling, k: 1 } }));
  const bonusItem: ProcessRowsItem = { row: rowAt(d.length), opts: { chain, history: [...committed, ...d], uniform: null, k: 1 } };
  if (!sampling) items.push(bonusItem);
  const rows = await processRows(target, logits, items);
  try {
    for (let i = 1; i < d.length; i++) {
      const row = rows[i - 1]!;
      const p = row.tokenProcessedProbs[0]!;
      pD.push(p);
      if (!sampling) {
        if (row.id !== d[i]) return { ...base, chain: r0, accepted: i, next: row.id, nextFate: 'resampled', pNext: row.processedProb, pD, r: rs, rootResidual: false };
      } else {
        const ri = rng.next();
        rs.push(ri);
        if (!(ri < acceptRatio(p, c.q[r0]![i]!))) {
          const next = (await sampleResidual(target, row.distribution!, c.kept[r0]![i - 1]!, rng.next())).id;
          return { ...base, chain: r0, accepted: i, next, nextFate: 'resampled', pNext: null, pD, r: rs, rootResidual: false };
        }
      }
      if (parts.eosIds.includes(d[i]!)) return { ...base, chain: r0, accepted: i + 1, next: null, nextFate: 'bonus', pNext: null, pD, r: rs, rootResidual: false };
    }
    const bonus = sampling ? await processRow(target, logits, bonusItem.row, { ...bonusItem.opts, uniform: rng.next() }) : rows[d.length - 1]!;
    return { ...base, chain: r0, accepted: d.length, next: bonus.id, nextFate: 'bonus', pNext: bonus.processedProb, pD, r: rs, rootResidual: false };
  } finally {
    disposeAll(rows);
  }
}

/** What one iteration emitted. */
export interface MultiDraftResult {
  tokens: EmittedToken[];
  accepted: number;
}

/** A root candidate's fate: greedy compares every candidate with argmax p at once; sampling stops at the first acceptance. */
function rootFate(dec: Decision, i: number): RootFate {
  if (i === dec.chain) return 'accepted';
  if (dec.stages.length === 0) return 'rejected';
  return dec.stages[i] ? 'rejected' : 'unverified';
}

type TextOf = ((r: number, i: number) => string | undefined) | null;

function chainRecords(c: Chains, dec: Decision, texts: TextOf): DraftRecord[][] {
  return c.tokens.map((tokens, r) =>
    tokens.map((id, i) => {
      let fate: DraftFate = 'discarded';
      let p: number | null = null;
      let rr: number | undefined;
      if (r === dec.chain) {
        fate = i < dec.accepted ? 'accepted' : i === dec.accepted && dec.nextFate === 'resampled' ? 'rejected' : 'discarded';
        p = dec.pD[i] ?? null;
        rr = dec.r[i];
      } else if (i === 0) {
        fate = rootFate(dec, r) === 'rejected' ? 'rejected' : 'discarded';
        p = dec.rootP(id);
        rr = dec.stages[r]?.r;
      }
      const rec: DraftRecord = { id, fate, p, q: c.q[r]![i]! };
      if (rr !== undefined) rec.r = rr;
      const text = texts?.(r, i);
      if (text !== undefined) rec.text = text;
      return rec;
    }),
  );
}

function rootRecords(c: Chains, dec: Decision, texts: TextOf): MultiDraftRoot[] {
  return c.roots.map((id, i) => {
    const stage = dec.stages[i];
    const rec: MultiDraftRoot = { id, fate: rootFate(dec, i), p: dec.rootP(id), q: c.q[i]![0]! };
    if (stage) {
      rec.pStage = stage.p;
      rec.qStage = stage.q;
      rec.r = stage.r;
      if (stage.residualMass !== undefined) rec.residualMass = stage.residualMass;
    }
    const text = texts?.(i, 0);
    if (text !== undefined) rec.text = text;
    return rec;
  });
}

/**
 * One iteration: draft K chains, verify them in one batched target forward, recursive rejection at
 * the root, §5 on the accepted chain, row select and rollback of both runners.
 */
export async function runMultiDraftIteration(parts: MultiDraftParts): Promise<MultiDraftResult> {
  const { target, draft } = parts;
  const committed = [...target.ids];
  const n = committed.length;
  const c = await draftChains(parts);
  let verify: { logits: Logits; cache: KvCache; pending: number } | null = null;
  try {
    await parts.stop?.checkpoint();
    verify = await verifyForward(target, c.fed);
    const dec = await decide(parts, c, verify.logits, verify.pending);
    const row = dec.chain ?? 0;
    const emitted = [...(dec.chain === null ? [] : c.tokens[dec.chain]!.slice(0, dec.accepted)), ...(dec.next === null ? [] : [dec.next])];
    const base = await emittedRows(target.readout, verify.logits, verify.logits.rowIndex(row, verify.pending - 1), emitted, parts.topK);
    target.adoptRow(verify.cache, row, n + emitted.length - 1, emitted);
    if (c.cache) draft.adoptRow(c.cache, row, Math.min(n + emitted.length - 1, n + parts.k - 1), emitted);
    else draft.commit(emitted);
    const verifiedLength = dec.chain === null ? (c.tokens[0]?.length ?? 0) : c.tokens[dec.chain]!.length;
    parts.metrics.record(verifiedLength, dec.accepted, emitted.length);
    const textAfter = parts.textAfter;
    const texts = textAfter ? (r: number, i: number) => textAfter(committed.concat(c.tokens[r]!.slice(0, i)), c.tokens[r]![i]!) : null;
    const shared: Omit<MultiDraftAnnotations, 'fate' | 'p' | 'q'> = {
      kind: 'multi-draft',
      iteration: parts.metrics.iterations - 1,
      k: parts.k,
      draftCount: parts.drafts,
      candidates: c.roots.length,
      chain: dec.chain,
      acceptedInIteration: dec.accepted,
      alpha: parts.metrics.alpha,
      tau: parts.metrics.tau(target.forwards),
    };
    const tokens = emitted.map((id, i): EmittedToken => {
      const isDraft = dec.chain !== null && i < dec.accepted;
      const a: MultiDraftAnnotations = { ...shared, fate: isDraft ? 'accepted' : dec.nextFate, p: isDraft ? dec.pD[i]! : dec.pNext, q: isDraft ? c.q[dec.chain!]![i]! : null };
      const r = isDraft ? dec.r[i] : undefined;
      if (r !== undefined) a.r = r;
      if (i === 0) Object.assign(a, { roots: rootRecords(c, dec, texts), chains: chainRecords(c, dec, texts) });
      return { id, base: base[i]!, annotations: { ...a } };
    });
    return { tokens, accepted: dec.accepted };
  } finally {
    verify?.logits.dispose();
    verify?.cache.dispose();
    disposeChains(c);
  }
}
