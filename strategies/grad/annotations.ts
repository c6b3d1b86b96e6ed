/**
 * The GRAD family's annotations: `kind: 'grad'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Where a GRAD token came from. */
export type GradProvenance = 'unchanged' | 'flipped by graph' | 'no graph row';

/** One GRAD token. */
export type GradAnnotations = {
  kind: 'grad';
  provenance: GradProvenance;
  /** Fusion variant (A, B or C). */
  variant: string;
  lambdaT: number;
  scale: number | null;
  /** The choice without the graph term. */
  modelArgmax: number;
  /** Whether the GPU fusion pass ran (the top-k could not decide). */
  fusedPass: boolean;
  /** Successors of the previous token in the graph, normalised weight in [0, 1]. */
  successors: { id: number; text: string; weight: number }[];
  /** First token only: the retrieved passages and the graph's size. */
  graph?: {
    passages: { index: number; score: number; text: string }[];
    edges: number;
    sources: number;
    prefills: number;
    positions: number;
    readbackBytes: number;
    buildMs: number;
  };
};
