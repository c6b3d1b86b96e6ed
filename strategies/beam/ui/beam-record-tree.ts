/**
 * The final state of a beam search from its tokens' annotations (the run record), for when the
 * stream's last live state is missing: an imported or shared run, or a run whose last step event
 * reached the page after the run's end. The record holds the steps up to the output's last token
 * (each with its candidates), and the finished hypotheses on the last token.
 */
import { LIVE_TREE_STEPS, type LiveState, type LiveTreeNode, type ParamValue, type TokenRecord } from '../../../protocol';
import { beamView, type BeamView } from './beam-view';

/** The ended search's LiveState from a beam panel's tokens, or null when they do not hold one (not beam search, stopped, truncated). */
export function liveFromTokens(tokens: readonly TokenRecord[], params: Readonly<Record<string, ParamValue>> = {}): LiveState | null {
  if (tokens.length === 0) return null;
  const views: BeamView[] = [];
  for (const t of tokens) {
    const v = beamView(t.annotations as Readonly<Record<string, unknown>>);
    if (!v || v.step !== views.length) return null;
    views.push(v);
  }
  const finished = views.at(-1)!.finished;
  if (!finished || finished.length === 0) return null;
  const perGroup = Math.max(1, Math.floor(views[0]!.numBeams / Math.max(1, views[0]!.groups)));
  const lambda = typeof params.lengthPenalty === 'number' ? params.lengthPenalty : 1;
  // Each step's kept candidates take their group's beams in order (the search's running update).
  const beamsOf = (v: BeamView): (number | undefined)[] => {
    const taken = new Map<number, number>();
    return v.candidates.map((c) => {
      if (c.fate !== 'kept') return undefined;
      const n = taken.get(c.group) ?? 0;
      taken.set(c.group, n + 1);
      return c.group * perGroup + n;
    });
  };
  const first = Math.max(0, views.length - LIVE_TREE_STEPS);
  let prevBeams = first > 0 ? beamsOf(views[first - 1]!) : [];
  const steps: LiveTreeNode[][] = [];
  const nodeOf: (number | undefined)[] = finished.map(() => undefined);
  for (let step = first; step < views.length; step++) {
    const v = views[step]!;
    const beams = beamsOf(v);
    steps.push(
      v.candidates.map((c, j): LiveTreeNode => {
        const parent = step > first ? prevBeams.findIndex((b) => b === c.parent) : -1;
        const held = c.fate === 'finished' ? finished.findIndex((f, k) => nodeOf[k] === undefined && f.length === step + 1 && f.sum === c.score && f.group === c.group) : -1;
        if (held >= 0) nodeOf[held] = j;
        const node: LiveTreeNode = { parent, id: c.id, text: c.text, lp: c.lp, score: c.score, group: c.group, state: c.fate === 'finished' ? (held >= 0 ? 'finished' : 'pruned') : c.fate };
        if (c.penalty > 0) node.penalty = c.penalty;
        if (beams[j] !== undefined) node.beam = beams[j];
        return node;
      }),
    );
    prevBeams = beams;
  }
  const out = finished.findIndex((f) => f.output);
  // As the stream shows them: the text after what every finished hypothesis starts with.
  const shared = finished.length > 1 ? sharedPrefix(finished.map((f) => f.text)) : 0;
  const outNode = out >= 0 ? nodeOf[out] : undefined;
  return {
    step: views.length,
    done: true,
    hypotheses: finished.map((f, k) => {
      const h: LiveState['hypotheses'][number] = { text: f.text.slice(shared), score: f.score, state: 'finished', group: f.group, sum: f.sum, length: f.length };
      if (nodeOf[k] !== undefined) h.node = nodeOf[k];
      return h;
    }),
    tree: {
      first,
      steps,
      head: outNode !== undefined ? { step: finished[out]!.length - 1, node: outNode } : null,
      lengthPenalty: lambda,
    },
  };
}

/** Length of the prefix every text starts with (in UTF-16 units, not splitting a surrogate pair). */
export function sharedPrefix(texts: readonly string[]): number {
  const first = texts[0] ?? '';
  let n = 0;
  while (n < first.length && texts.every((t) => t[n] === first[n])) n++;
  if (n > 0 && n < first.length && /[\uD800-\uDBFF]/.test(first[n - 1]!)) n--;
  return n;
}

/**
 * What a panel shows as its search state: the stream's last live state, unless the run is over and
 * that state is not the search's end (or is missing), when the tokens' record gives the ended search.
 */
export function shownLive(live: LiveState | null | undefined, tokens: readonly TokenRecord[], params: Readonly<Record<string, ParamValue>>, streaming: boolean): LiveState | null {
  if (streaming || live?.done) return live ?? null;
  return liveFromTokens(tokens, params) ?? live ?? null;
}
