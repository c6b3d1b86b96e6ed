/**
 * The beam search tree (docs/algorithms.md#beam-search), under a beam panel's stream, updated with
 * every step event: a column per step (left to right), each step's candidates in their group's score
 * order, linked to the beam they extend; running beams solid, finished hypotheses marked, pruned
 * candidates faded; the best running beam's path (the output's once the search ends) highlighted.
 * Below it, the finished hypotheses re-ranked by a λ_L slider (S / ℓ^λ_L, computed here).
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { LiveState, LiveTree } from '../../../protocol';
import { layoutTree, NODE_H, NODE_W, normalizedScore, pathOf, rerank, ROOT_W, tailLabel, tokenLabel, type PlacedNode } from './beam-tree-layout';

const STATE_TEXT = { kept: 'running beam', finished: 'finished hypothesis', pruned: 'pruned' } as const;

function signed(x: number, digits = 2): string {
  return x.toFixed(digits).replace('-', '−');
}

function nodeTitle(p: PlacedNode, tree: LiveTree, groups: boolean): string {
  const n = p.node;
  const step = tree.first + p.col;
  const parts = [`step ${step + 1}`, `“${n.text}”`, `log p ${signed(n.lp, 3)}`];
  if (n.penalty) parts.push(`diversity penalty ${signed(-n.penalty, 3)}`);
  parts.push(`S ${signed(n.score, 3)}`);
  if (n.state === 'finished') parts.push(`ℓ ${step + 1}`, `S/ℓ^λ ${signed(normalizedScore(n.score, step + 1, tree.lengthPenalty), 3)}`);
  if (groups) parts.push(`group ${n.group + 1}`);
  parts.push(n.state === 'kept' && n.beam !== undefined ? `${STATE_TEXT.kept} ${n.beam + 1}` : STATE_TEXT[n.state]);
  if (p.onPath) parts.push('on the highlighted hypothesis');
  return parts.join(', ');
}

/** Okabe–Ito colours for groups (a bar at a node's left), without the highlight's blue and the finished green first. */
const GROUP_COLORS = ['#E69F00', '#CC79A7', '#56B4E9', '#000000', '#F0E442', '#D55E00', '#009E73', '#0072B2'];
function groupColor(group: number): string {
  return GROUP_COLORS[group % GROUP_COLORS.length]!;
}

export function BeamTree({ live, panelIndex }: { live: LiveState; panelIndex: number }) {
  const tree = live.tree!;
  const [lambda, setLambda] = useState<number | null>(null);
  const sliderId = useId();
  const runLambda = tree.lengthPenalty;
  const shownLambda = lambda ?? runLambda;
  const ranked = useMemo(() => rerank(live.hypotheses, shownLambda), [live.hypotheses, shownLambda]);
  const output = live.done ? live.hypotheses.findIndex((h) => h.state === 'finished') : -1;
  // Once done, another λ_L highlights its best finished hypothesis instead of the output.
  const reranked = live.done && lambda !== null && lambda !== runLambda;
  const best = ranked[0];
  const head = reranked && best?.node !== undefined && best.length !== undefined ? { step: best.length - 1, node: best.node } : tree.head;
  const layout = layoutTree(tree, pathOf(tree, head), live.done);
  const groups = new Set(tree.steps.flat().map((n) => n.group)).size > 1;
  const scroller = useRef<HTMLDivElement>(null);
  const lastStep = tree.first + tree.steps.length;
  useEffect(() => {
    const el = scroller.current;
    if (el && !live.done) el.scrollLeft = el.scrollWidth;
  }, [lastStep, live.done]);
  if (tree.steps.length === 0) return null;
  const counts = { kept: 0, finished: 0, pruned: 0 };
  for (const p of layout.nodes) counts[p.node.state]++;
  const pathText = layout.nodes
    .filter((p) => p.onPath)
    .map((p) => p.node.text)
    .join('');
  const summary =
    `Beam search tree of panel ${panelIndex + 1}, steps ${tree.first + 1} to ${lastStep}: ` +
    `${counts.kept} running-beam nodes, ${counts.finished} finished hypotheses, ${counts.pruned} pruned candidates drawn. ` +
    `Highlighted: ${live.done ? (reranked ? `the best finished hypothesis at λ_L = ${shownLambda}` : 'the output') : 'the best running beam'}, “${pathText}”.`;
  return (
    <section className="beam-tree" data-testid={`beam-tree-${panelIndex}`} aria-label={`Beam tree of panel ${panelIndex + 1}`}>
      <p className="popover-caption">
        Search tree, {live.done ? 'final' : `live after step ${lastStep}`}: {live.done ? 'the output' : 'the best running beam'} highlighted, pruned candidates faded
        {tree.first > 0 ? ` (the last ${tree.steps.length} steps of ${lastStep}; earlier ones are not kept)` : ''}
        {layout.hidden > 0 ? ` (${layout.hidden} low pruned candidates not drawn)` : ''}
      </p>
      <div className="beam-tree-scroll" ref={scroller} tabIndex={0} aria-label={`Beam tree of panel ${panelIndex + 1}, scrolls sideways`}>
        <svg
          role="img"
          aria-label={summary}
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          data-testid="beam-tree-svg"
          data-steps={tree.steps.length}
          data-first={tree.first}
        >
          {layout.edges.map((e, i) => {
            const mx = (e.x1 + e.x2) / 2;
            return (
              <g key={i} className="beam-edge" data-state={e.state} data-on-path={e.onPath || undefined}>
                <path d={`M${e.x1},${e.y1} C${mx},${e.y1} ${mx},${e.y2} ${e.x2},${e.y2}`} />
                {e.penalized && <rect className="beam-penalty" x={e.x2 - 6} y={e.y2 - 5} width={3} height={10} />}
              </g>
            );
          })}
          {layout.root && (
            <g className="beam-node beam-root">
              <rect x={layout.root.x} y={layout.root.y} width={ROOT_W} height={NODE_H} rx={4} />
              <text x={layout.root.x + ROOT_W / 2} y={layout.root.y + NODE_H / 2} textAnchor="middle" dominantBaseline="central">
                prompt
              </text>
            </g>
          )}
          {layout.nodes.map((p) => (
            <g
              key={`${p.col}:${p.index}`}
              className="beam-node"
              data-testid="beam-node"
              data-step={tree.first + p.col}
              data-state={p.node.state}
              data-on-path={p.onPath ? 'true' : 'false'}
              data-frontier={p.frontier || undefined}
              data-text={p.node.text}
              data-id={p.node.id}
            >
              <title>{nodeTitle(p, tree, groups)}</title>
              <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={4} />
              {groups && <rect className="beam-group" x={p.x + 1.5} y={p.y + 3} width={3} height={NODE_H - 6} style={{ fill: groupColor(p.node.group) }} />}
              <text className="beam-token" x={p.x + (groups ? 7 : 4)} y={p.y + NODE_H / 2} dominantBaseline="central">
                {tokenLabel(p.node.text)}
              </text>
              <text className="beam-score" x={p.x + NODE_W - 4} y={p.y + NODE_H / 2} textAnchor="end" dominantBaseline="central">
                {p.node.state === 'finished' ? '■' : ''}
                {signed(p.node.score, 1)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      {ranked.length > 0 && (
        <div className="beam-rerank" data-testid={`beam-rerank-${panelIndex}`}>
          <label htmlFor={sliderId}>
            Rank finished by S / ℓ^λ_L, λ_L = <output>{shownLambda.toFixed(1)}</output>
          </label>{' '}
          <input
            id={sliderId}
            type="range"
            min={Math.min(-2, runLambda)}
            max={Math.max(4, runLambda)}
            step={0.1}
            value={shownLambda}
            onChange={(e) => setLambda(Number(e.target.value))}
            data-testid="beam-lambda"
          />{' '}
          {lambda !== null && lambda !== runLambda && (
            <button type="button" className="link-button" onClick={() => setLambda(null)}>
              back to the run’s {runLambda}
            </button>
          )}
          <table className="beam-step">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Hypothesis (after the text already written)</th>
                <th scope="col">S</th>
                <th scope="col">ℓ</th>
                <th scope="col">S/ℓ^λ</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((h, i) => (
                <tr key={i} data-best={i === 0 || undefined} data-output={h.source === output || undefined}>
                  <td>
                    {i + 1}
                    {h.source === output ? ' (output)' : ''}
                  </td>
                  <td className="live-text">{tailLabel(h.text, 40)}</td>
                  <td>{signed(h.sum)}</td>
                  <td>{h.length}</td>
                  <td>{signed(h.at, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {reranked && best && best.source !== output && (
            <p className="popover-caption" data-testid="beam-rerank-note">
              At λ_L = {shownLambda.toFixed(1)} another finished hypothesis ranks first. This only re-ranks the ones the search kept: a search run with this λ_L could have kept others and stopped at another step.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
