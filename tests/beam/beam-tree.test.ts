import { describe, expect, it } from 'vitest';
import type { LiveHypothesis, LiveTree } from '../../protocol';
import { BeamSearch, type BeamConfig, type StepLog } from '../../strategies/beam/worker/beam-search';
import { top, toyLm } from './toy-lm';
import { buildTree, lastNode } from '../../strategies/beam/worker/beam-tree';
import { columnX, layoutTree, NODE_W, normalizedScore, pathOf, rerank, tailLabel, tokenLabel } from '../../strategies/beam/ui/beam-tree-layout';
import { liveFromTokens, sharedPrefix, shownLive } from '../../strategies/beam/ui/beam-record-tree';
import type { BeamAnnotations } from '../../strategies/beam/annotations';
import type { TokenRecord } from '../../protocol';

function run(cfg: Partial<BeamConfig>, seed = 3, V = 7) {
  const lm = toyLm(V, seed);
  const c: BeamConfig = { numBeams: 3, lengthPenalty: 1, earlyStopping: 'never', groups: 1, diversityPenalty: 0, maxNewTokens: 8, eos: new Set([0]), ...cfg };
  const search = new BeamSearch(c);
  const logs: StepLog[] = [];
  while (!search.done) logs.push(search.advance(search.live.map((h) => top(lm(h.tokens.at(-1) ?? 1)))).log);
  const texts = logs.map((l) => l.candidates.map((x) => `t${x.id}`));
  return { search, logs, texts };
}

/** The ids along the parent links from `head`, first step first. */
function idsToRoot(tree: LiveTree, head: { step: number; node: number }): number[] {
  const path = pathOf(tree, head);
  return path.filter((n) => n >= 0).map((n, i) => tree.steps[i]![n]!.id);
}

describe('beam tree (worker side)', () => {
  it('links each node to the kept node of its parent beam; the output path spells the output', () => {
    for (const cfg of [{}, { numBeams: 4, groups: 2, diversityPenalty: 1.5 }, { numBeams: 2, lengthPenalty: 0, earlyStopping: 'false' as const }]) {
      const { search, logs, texts } = run(cfg);
      const best = search.best()!;
      const tree = buildTree(logs, texts, search.ranked(), best, search.c.lengthPenalty);
      expect(tree.first).toBe(0);
      expect(tree.steps).toHaveLength(logs.length);
      expect(tree.head).toEqual({ step: best.tokens.length - 1, node: best.from.at(-1) });
      expect(idsToRoot(tree, tree.head!)).toEqual(best.tokens);
      expect(tree.steps[0]!.every((n) => n.parent === -1)).toBe(true);
      tree.steps.forEach((step, i) => {
        step.forEach((n, j) => {
          expect(n.text).toBe(texts[i]![j]);
          if (i > 0) {
            const parent = tree.steps[i - 1]![n.parent]!;
            expect(parent.state).toBe('kept');
            expect(parent.beam).toBe(logs[i]!.candidates[j]!.parent);
            // S adds up along the edge.
            expect(n.score).toBeCloseTo(parent.score + n.lp, 9);
          }
        });
      });
      // Finished nodes are exactly the finished hypotheses still held.
      const finishedNodes = tree.steps.flatMap((s, i) => s.map((n, j) => ({ n, at: `${i}:${j}` }))).filter((x) => x.n.state === 'finished');
      expect(finishedNodes.map((x) => x.at).sort()).toEqual(search.ranked().map((f) => `${lastNode(f)!.step}:${lastNode(f)!.node}`).sort());
      // Penalties are reported only with groups.
      const penalized = tree.steps.flat().some((n) => (n.penalty ?? 0) > 0);
      expect(penalized).toBe((cfg as Partial<BeamConfig>).groups === 2);
    }
  });

  it('keeps only the last maxSteps steps', () => {
    const { search, logs, texts } = run({ maxNewTokens: 12, earlyStopping: 'never' });
    expect(logs.length).toBeGreaterThan(5);
    const tree = buildTree(logs, texts, search.ranked(), search.best(), 1, 4);
    expect(tree.steps).toHaveLength(4);
    expect(tree.first).toBe(logs.length - 4);
    expect(tree.steps[0]!.every((n) => n.parent === -1)).toBe(true);
    expect(tree.steps[1]!.every((n) => n.parent >= 0)).toBe(true);
    // A head whose last token is before the window is not held.
    const early = { tokens: [1], from: [0] };
    expect(buildTree(logs, texts, [], early, 1, 4).head).toBeNull();
  });
});

/** The output's token records as BeamRun writes their annotations (only what the tree reads). */
function recordOf(r: ReturnType<typeof run>): TokenRecord[] {
  const best = r.search.best()!;
  return best.tokens.map((id, i): TokenRecord => {
    const log = r.logs[i]!;
    const annotations: BeamAnnotations = {
      kind: 'beam',
      step: i,
      lp: best.lps[i]!,
      sum: 0,
      rank: 0,
      numBeams: r.search.c.numBeams,
      groups: r.search.c.groups,
      candidates: log.candidates.map((c, j) => ({ id: c.id, text: r.texts[i]![j]!, group: c.group, parent: c.parent, onOutput: false, lp: c.lp, penalty: c.penalty, score: c.score, fate: c.fate })),
    };
    if (i === best.tokens.length - 1) {
      annotations.finished = r.search.ranked().map((f, k) => ({ text: f.tokens.map((t) => `t${t}`).join(''), sum: f.sum, length: f.tokens.length, score: f.score, group: f.group, output: k === 0 }));
    }
    return { id, text: `t${id}`, prob: 1, logprob: 0, entropy: 0, top: [], annotations };
  });
}

describe('beam tree from the run record', () => {
  it('rebuilds the worker tree of the output steps from the tokens annotations', () => {
    let compared = 0;
    for (let seed = 1; seed <= 12; seed++) {
      for (const cfg of [{}, { numBeams: 4, groups: 2, diversityPenalty: 1.5 }, { numBeams: 2, earlyStopping: 'false' as const }]) {
        const r = run(cfg, seed);
        const best = r.search.best()!;
        const tokens = recordOf(r);
        const live = liveFromTokens(tokens, { lengthPenalty: 1 })!;
        const n = best.tokens.length;
        const expected = buildTree(r.logs.slice(0, n), r.texts, r.search.ranked(), best, 1);
        expect(live.tree).toEqual(expected);
        expect(live.done).toBe(true);
        expect(live.hypotheses.map((h) => h.sum)).toEqual(r.search.ranked().map((f) => f.sum));
        expect(idsToRoot(live.tree!, live.tree!.head!)).toEqual(best.tokens);
        compared++;
      }
    }
    expect(compared).toBe(36);
  });

  it('holds nothing for a stopped run or another strategy; the stream wins while it runs or once it ended', () => {
    const r = run({});
    const tokens = recordOf(r);
    expect(liveFromTokens(tokens.slice(0, -1))).toBeNull();
    expect(liveFromTokens([{ ...tokens[0]!, annotations: { kind: 'greedy' } as never }])).toBeNull();
    const streamed = { step: 2, hypotheses: [], done: false };
    expect(shownLive(streamed, tokens, {}, true)).toBe(streamed);
    expect(shownLive({ ...streamed, done: true }, tokens, {}, false)!.hypotheses).toEqual([]);
    expect(shownLive(streamed, tokens, {}, false)!.done).toBe(true);
    expect(shownLive(streamed, tokens.slice(0, -1), {}, false)).toBe(streamed);
  });
});

describe('beam tree (UI side)', () => {
  const node = (parent: number, id: number, state: 'kept' | 'finished' | 'pruned', score: number) => ({ parent, id, text: `t${id}`, lp: -1, score, group: 0, state });
  const tree: LiveTree = {
    first: 0,
    lengthPenalty: 1,
    head: { step: 2, node: 0 },
    steps: [
      [node(-1, 1, 'kept', -1), node(-1, 2, 'kept', -1.5), node(-1, 3, 'pruned', -2)],
      [node(1, 4, 'kept', -2), node(0, 5, 'finished', -2.1), node(0, 6, 'kept', -2.2), node(1, 7, 'pruned', -3)],
      [node(2, 8, 'finished', -2.9), node(0, 9, 'pruned', -3.5)],
    ],
  };

  it('walks the path back from the head', () => {
    expect(pathOf(tree, { step: 2, node: 0 })).toEqual([0, 2, 0]);
    expect(pathOf(tree, { step: 1, node: 1 })).toEqual([0, 1, -1]);
    expect(pathOf(tree, null)).toEqual([-1, -1, -1]);
    expect(pathOf({ ...tree, first: 5 }, { step: 3, node: 0 })).toEqual([-1, -1, -1]);
  });

  it('lays steps out left to right with an edge per drawn node and the path marked', () => {
    const layout = layoutTree(tree, pathOf(tree, tree.head), true);
    expect(layout.nodes).toHaveLength(9);
    expect(layout.edges).toHaveLength(9); // three from the prompt, the rest from their parents
    expect(layout.root).not.toBeNull();
    for (const p of layout.nodes) expect(p.x).toBe(columnX(p.col));
    expect(columnX(1) - columnX(0)).toBeGreaterThan(NODE_W);
    expect(layout.nodes.filter((p) => p.onPath).map((p) => p.node.id)).toEqual([1, 6, 8]);
    expect(layout.edges.filter((e) => e.onPath)).toHaveLength(3);
    expect(layout.nodes.some((p) => p.frontier)).toBe(false);
    expect(layout.width).toBeGreaterThan(columnX(2));
    // While running, the last step's kept nodes are the frontier.
    const running = layoutTree({ ...tree, steps: tree.steps.slice(0, 2) }, [0, 2], false);
    expect(running.nodes.filter((p) => p.frontier).map((p) => p.node.id)).toEqual([4, 6]);
  });

  it('caps pruned candidates per step, never the path or the kept ones', () => {
    const layout = layoutTree(tree, [0, 2, 0], true, 1);
    expect(layout.hidden).toBe(3);
    expect(layout.nodes.map((p) => p.node.id).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6, 8]);
    // Drawn nodes of a column get consecutive rows.
    const col1 = layout.nodes.filter((p) => p.col === 1).map((p) => p.y);
    expect(new Set(col1).size).toBe(col1.length);
  });

  it('re-ranks finished hypotheses by S / ℓ^λ', () => {
    const hyps: LiveHypothesis[] = [
      { text: 'r', score: -1, state: 'running', group: 0 },
      { text: 'long', score: -0.5, state: 'finished', group: 0, sum: -4, length: 8 },
      { text: 'short', score: -1, state: 'finished', group: 0, sum: -2, length: 2 },
      { text: 'old', score: -1, state: 'finished', group: 0 },
    ];
    expect(rerank(hyps, 1).map((h) => h.text)).toEqual(['long', 'short']);
    expect(rerank(hyps, 0).map((h) => h.text)).toEqual(['short', 'long']);
    expect(rerank(hyps, 0).map((h) => h.source)).toEqual([2, 1]);
    expect(rerank(hyps, 1)[0]!.at).toBeCloseTo(-0.5, 12);
    expect(normalizedScore(-4, 8, 2)).toBeCloseTo(-4 / 64, 12);
  });

  it('labels tokens on one line, cut; hypotheses by their end', () => {
    expect(tokenLabel('')).toBe('∅');
    expect(tokenLabel('a\nb\tc')).toBe('a↵b→c');
    expect(tokenLabel(' wonderful')).toBe(' wonde…');
    expect(tailLabel('Once upon a time', 8)).toBe('… a time');
    expect(tailLabel('a\nb', 8)).toBe('a↵b');
    expect(sharedPrefix([', there was', ', there is', ', the end'])).toBe(5);
    expect(sharedPrefix(['x😀a', 'x😀b'])).toBe(3);
    expect(sharedPrefix(['x😀', 'x😃'])).toBe(1);
  });
});
