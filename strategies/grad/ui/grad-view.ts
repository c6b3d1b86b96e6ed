/** GRAD annotations (`kind: 'grad'`, ../annotations.ts), fields read defensively. */
import type { GradAnnotations, GradProvenance } from '../annotations';
import { bool, count, list, num, obj, oneOf, str } from '../../../app/annotations/read';

/** Where a GRAD token came from. */
export type { GradProvenance };

/** One successor in the graph row of the previous token: normalised weight in [0, 1]. */
export type SuccessorView = GradAnnotations['successors'][number];

/** GRAD at one step; on the first token only, the number of retrieved passages and the graph's size. */
export type GradView = Omit<GradAnnotations, 'kind' | 'graph'> & {
  graph: { passages: number; edges: number; sources: number; buildMs: number | null } | null;
};

function successor(v: unknown): SuccessorView | undefined {
  const o = obj(v);
  const id = count(o?.id);
  const weight = num(o?.weight);
  if (id === undefined || weight === undefined) return undefined;
  return { id, text: str(o?.text) ?? '', weight };
}

function graphOf(v: unknown): GradView['graph'] {
  const o = obj(v);
  if (!o) return null;
  return {
    passages: Array.isArray(o.passages) ? o.passages.length : 0,
    edges: count(o.edges) ?? 0,
    sources: count(o.sources) ?? 0,
    buildMs: num(o.buildMs) ?? null,
  };
}

/** The GRAD view of a token's annotations, or null. */
export function gradView(a: Readonly<Record<string, unknown>>): GradView | null {
  if (a.kind !== 'grad') return null;
  const provenance = oneOf(a.provenance, ['unchanged', 'flipped by graph', 'no graph row'] as const);
  const modelArgmax = count(a.modelArgmax);
  if (!provenance || modelArgmax === undefined) return null;
  return {
    provenance,
    variant: str(a.variant) ?? '?',
    lambdaT: num(a.lambdaT) ?? 0,
    scale: num(a.scale) ?? null,
    modelArgmax,
    fusedPass: bool(a.fusedPass) ?? false,
    successors: list(a.successors, successor, 64) ?? [],
    graph: graphOf(a.graph),
  };
}
