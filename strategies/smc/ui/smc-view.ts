/** SMC annotations (`kind: 'smc'`, ../annotations.ts), fields read defensively; −∞ arrives as null from a JSON file. */
import type { SmcAnnotations, SmcCompletion, SmcLane, SmcLiveStep } from '../annotations';
import { bool, count, list, num, obj, oneOf, str } from '../../../app/annotations/read';
import { LIVE_TREE_STEPS, type LiveState } from '../../../protocol';

export type SmcView = Omit<SmcAnnotations, 'kind'>;

const STATES = ['running', 'finished', 'dead'] as const;
const REWARDS = ['likelihood', 'keyword', 'regex', 'length'] as const;

/** A log-weight: a number, or −∞ (written as null in a JSON file). */
function logw(v: unknown): number | undefined {
  if (v === null || v === -Infinity) return -Infinity;
  return num(v);
}

function lane(v: unknown): SmcLane | undefined {
  const o = obj(v);
  const parent = typeof o?.parent === 'number' && Number.isInteger(o.parent) && o.parent >= -1 ? o.parent : undefined;
  const state = oneOf(o?.state, STATES);
  const w = logw(o?.logw);
  if (parent === undefined || !state || w === undefined) return undefined;
  const id = o?.id === null ? null : count(o?.id);
  if (id === undefined) return undefined;
  return { parent, id, text: str(o?.text) ?? '', lp: num(o?.lp) ?? 0, dw: logw(o?.dw) ?? 0, logw: w, weight: num(o?.weight) ?? 0, reward: logw(o?.reward) ?? 0, state };
}

function completion(v: unknown): SmcCompletion | undefined {
  const o = obj(v);
  const particle = count(o?.particle);
  const state = oneOf(o?.state, STATES);
  const w = logw(o?.logw);
  if (particle === undefined || !state || w === undefined) return undefined;
  return { particle, text: str(o?.text) ?? '', logw: w, weight: num(o?.weight) ?? 0, reward: logw(o?.reward) ?? 0, state, output: bool(o?.output) ?? false };
}

/** The SMC view of a token's annotations, or null. */
export function smcView(a: Readonly<Record<string, unknown>>): SmcView | null {
  if (a.kind !== 'smc') return null;
  const step = count(a.step);
  const particles = count(a.particles);
  const l = count(a.lane);
  const ess = num(a.ess);
  const lanes = list(a.lanes, lane, 16);
  if (step === undefined || !particles || l === undefined || ess === undefined || !lanes || lanes.length === 0) return null;
  const view: SmcView = {
    step,
    particles,
    alpha: num(a.alpha) ?? 1,
    proposal: oneOf(a.proposal, ['target', 'draft'] as const) ?? 'target',
    reward: oneOf(a.reward, REWARDS) ?? 'likelihood',
    lane: l,
    lp: num(a.lp) ?? 0,
    lq: num(a.lq) ?? 0,
    dw: logw(a.dw) ?? 0,
    ess,
    threshold: num(a.threshold) ?? particles / 2,
    lanes,
  };
  const anc = list(a.ancestors, count, 16);
  if (anc && anc.length > 0) view.ancestors = anc;
  const final = list(a.final, completion, 16);
  if (final && final.length > 0) view.final = final;
  const trace = list(a.essTrace, num, 100000);
  if (trace) view.essTrace = trace;
  const at = list(a.resampledAt, count, 100000);
  if (at) view.resampledAt = at;
  const stop = oneOf(a.stop, ['end of sequence', 'budget'] as const);
  if (stop) view.stop = stop;
  return view;
}

/** The lineage steps of a panel's SMC tokens (the record), up to the token at `upTo`; null when they do not hold one. */
export function stepsFromViews(views: readonly (SmcView | null)[]): SmcLiveStep[] | null {
  const out: SmcLiveStep[] = [];
  for (const v of views) {
    if (!v || v.step !== out.length) return null;
    out.push({ ess: v.ess, resampled: v.ancestors !== undefined, lanes: v.lanes.map((x) => ({ parent: x.parent, id: x.id, text: x.text, weight: x.weight, state: x.state })) });
  }
  return out;
}

/**
 * The ended particle system from an SMC panel's tokens (the run record), for when the stream's live
 * state is missing (an imported or shared run): the lineage up to the output's last token and the
 * final weighted set; null when the tokens do not hold one.
 */
export function smcLiveFromTokens(tokens: readonly { annotations: unknown }[]): LiveState | null {
  if (tokens.length === 0) return null;
  const views = tokens.map((t) => smcView((t.annotations ?? {}) as Readonly<Record<string, unknown>>));
  const steps = stepsFromViews(views);
  const last = views.at(-1);
  if (!steps || !last?.final) return null;
  const first = Math.max(0, steps.length - LIVE_TREE_STEPS);
  return {
    step: last.essTrace?.length ?? steps.length,
    hypotheses: [],
    done: true,
    smc: { particles: last.particles, threshold: last.threshold, first, steps: steps.slice(first), head: last.lane, resamplings: last.resampledAt?.length ?? 0, completions: last.final },
  };
}
