/**
 * The beam tree view's pure parts (BeamTree.tsx): the highlighted path, the re-ranking of finished
 * hypotheses under another λ_L, and the left-to-right layout (a column per step, a row per candidate
 * in its group's score order).
 */
import type { LiveHypothesis, LiveTree, LiveTreeNode } from '../../../protocol';

/** Geometry in SVG user units (px). */
export const NODE_W = 84;
export const NODE_H = 20;
export const COL_GAP = 28;
export const ROW_GAP = 4;
export const ROOT_W = 46;
export const PAD = 6;
/** Most candidates drawn per step: past it, pruned ones are left out (kept and finished ones always drawn). */
export const MAX_ROWS = 24;

/** A finished hypothesis's score under length penalty λ: S / ℓ^λ. */
export function normalizedScore(sum: number, length: number, lambda: number): number {
  return sum / Math.pow(length, lambda);
}

/** A finished hypothesis with what re-ranking needs, its score under λ (`at`) and its index in the list (`source`). */
export type RankedFinished = LiveHypothesis & { sum: number; length: number; at: number; source: number };

/**
 * The finished hypotheses that carry S and ℓ, best first under λ (ties keep their order).
 */
export function rerank(hypotheses: readonly LiveHypothesis[], lambda: number): RankedFinished[] {
  return hypotheses
    .map((h, source) => ({ h, source }))
    .filter((x): x is { h: LiveHypothesis & { sum: number; length: number }; source: number } => x.h.state === 'finished' && x.h.sum !== undefined && x.h.length !== undefined && x.h.length > 0)
    .map(({ h, source }) => ({ ...h, at: normalizedScore(h.sum, h.length, lambda), source }))
    .sort((a, b) => b.at - a.at || a.source - b.source);
}

/**
 * Per held step, the index of the highlighted hypothesis's node (−1 where it has none: after its end,
 * or when `head` is not held). Walks the parent links back from `head`.
 */
export function pathOf(tree: LiveTree, head: { step: number; node: number } | null): number[] {
  const path = tree.steps.map(() => -1);
  if (!head) return path;
  let i = head.step - tree.first;
  let node = head.node;
  while (i >= 0 && i < tree.steps.length && node >= 0 && node < tree.steps[i]!.length) {
    path[i] = node;
    node = tree.steps[i]![node]!.parent;
    i--;
  }
  return path;
}

export interface PlacedNode {
  /** Held-step index (column) and index in that step's candidates. */
  col: number;
  index: number;
  x: number;
  y: number;
  node: LiveTreeNode;
  onPath: boolean;
  /** A running beam after the last step taken (the current frontier). */
  frontier: boolean;
}

export interface PlacedEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  state: LiveTreeNode['state'];
  onPath: boolean;
  penalized: boolean;
}

export interface TreeLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** The prompt node (only when step 0 is held). */
  root: { x: number; y: number } | null;
  /** Candidates not drawn (MAX_ROWS). */
  hidden: number;
}

/** Left edge of column `col`. */
export function columnX(col: number): number {
  return PAD + ROOT_W + COL_GAP + col * (NODE_W + COL_GAP);
}

/** Top of row `row`. */
export function rowY(row: number): number {
  return PAD + row * (NODE_H + ROW_GAP);
}

/** Place every drawn node and edge. `path`: pathOf(tree, head); `done`: the search has ended (no frontier). */
export function layoutTree(tree: LiveTree, path: readonly number[], done: boolean, maxRows = MAX_ROWS): TreeLayout {
  const nodes: PlacedNode[] = [];
  const edges: PlacedEdge[] = [];
  const at: Map<number, PlacedNode>[] = [];
  let hidden = 0;
  let rows = 1;
  const last = tree.steps.length - 1;
  tree.steps.forEach((step, col) => {
    const placed = new Map<number, PlacedNode>();
    let row = 0;
    step.forEach((node, index) => {
      const onPath = path[col] === index;
      if (row >= maxRows && node.state === 'pruned' && !onPath) {
        hidden++;
        return;
      }
      const p: PlacedNode = { col, index, x: columnX(col), y: rowY(row), node, onPath, frontier: !done && col === last && node.state === 'kept' };
      placed.set(index, p);
      nodes.push(p);
      row++;
    });
    rows = Math.max(rows, row);
    at.push(placed);
  });
  const root = tree.first === 0 && tree.steps.length > 0 ? { x: PAD, y: rowY(0) } : null;
  for (const p of nodes) {
    const parent = p.col > 0 ? at[p.col - 1]!.get(p.node.parent) : undefined;
    const from = parent ? { x: parent.x + NODE_W, y: parent.y + NODE_H / 2 } : p.col === 0 && root ? { x: root.x + ROOT_W, y: root.y + NODE_H / 2 } : null;
    if (!from) continue;
    edges.push({ x1: from.x, y1: from.y, x2: p.x, y2: p.y + NODE_H / 2, state: p.node.state, onPath: p.onPath, penalized: (p.node.penalty ?? 0) > 0 });
  }
  return {
    width: columnX(tree.steps.length) - COL_GAP + PAD,
    height: rowY(rows) - ROW_GAP + PAD,
    nodes,
    edges,
    root,
    hidden,
  };
}

/** A one-line label for a token: line breaks as ↵, tabs as →, cut to `max` characters. */
export function tokenLabel(text: string, max = 7): string {
  if (text === '') return '∅';
  const one = text.replace(/\r?\n/g, '↵').replace(/\t/g, '→');
  const chars = Array.from(one);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : one;
}

/** A one-line label for a hypothesis's text: its end (where hypotheses differ), cut to `max` characters. */
export function tailLabel(text: string, max = 40): string {
  if (text === '') return '∅';
  const chars = Array.from(text.replace(/\r?\n/g, '↵').replace(/\t/g, '→'));
  return chars.length > max ? `…${chars.slice(chars.length - max + 1).join('')}` : chars.join('');
}
