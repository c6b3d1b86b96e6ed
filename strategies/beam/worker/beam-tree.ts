/**
 * The live search tree of a beam search (protocol `LiveTree`): the candidates of the last
 * `LIVE_TREE_STEPS` steps, each linked to the node of the beam it extends. Pure, over the search's step
 * logs, so unit tests build it from a toy search.
 */
import { LIVE_TREE_STEPS, type LiveTree, type LiveTreeNode } from '../../../protocol';
import type { Hypothesis, StepLog } from './beam-search';

/** Key of a step's candidate. */
function key(step: number, index: number): string {
  return `${step}:${index}`;
}

/** The step and candidate index of a hypothesis's last token, or null for an empty one. */
export function lastNode(h: Pick<Hypothesis, 'tokens' | 'from'>): { step: number; node: number } | null {
  const node = h.from.at(-1);
  return node === undefined ? null : { step: h.tokens.length - 1, node };
}

/**
 * The tree of the last `maxSteps` of `logs` (log i = step i). `texts[i][j]`: the text of step i's
 * candidate j. `finished`: the finished hypotheses still held (their last nodes are `finished`, other
 * candidates that finished once are `pruned`). `head`: the hypothesis to highlight.
 */
export function buildTree(
  logs: readonly StepLog[],
  texts: readonly (readonly string[])[],
  finished: readonly Pick<Hypothesis, 'tokens' | 'from'>[],
  head: Pick<Hypothesis, 'tokens' | 'from'> | null,
  lengthPenalty: number,
  maxSteps = LIVE_TREE_STEPS,
): LiveTree {
  const first = Math.max(0, logs.length - maxSteps);
  const held = new Set<string>();
  for (const f of finished) {
    const n = lastNode(f);
    if (n) held.add(key(n.step, n.node));
  }
  const steps = logs.slice(first).map((log, i): LiveTreeNode[] => {
    const step = first + i;
    const prev = step > 0 ? logs[step - 1]!.candidates : null;
    return log.candidates.map((c, j): LiveTreeNode => {
      const parent = prev && i > 0 ? prev.findIndex((p) => p.fate === 'kept' && p.beam === c.parent && p.group === c.group) : -1;
      const state = c.fate === 'finished' ? (held.has(key(step, j)) ? 'finished' : 'pruned') : c.fate;
      const node: LiveTreeNode = { parent, id: c.id, text: texts[step]?.[j] ?? '', lp: c.lp, score: c.score, group: c.group, state };
      if (c.penalty > 0) node.penalty = c.penalty;
      if (c.fate === 'kept' && c.beam !== null) node.beam = c.beam;
      return node;
    });
  });
  const h = head ? lastNode(head) : null;
  return { first, steps, head: h && h.step >= first ? h : null, lengthPenalty };
}
