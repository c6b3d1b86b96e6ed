/**
 * Provenance of a generated token: which part of its strategy produced it (speculative accepted /
 * resampled / bonus, GRAD flipped by the graph, CNTP trial winner, a departure from (expert) greedy
 * for contrastive strategies). Colours are the Okabe–Ito palette (distinguishable with every common
 * colour-vision deficiency); "nothing happened" categories are greys.
 */
import { STRATEGY_UI, uiOfKind, type BASE_UI } from '../strategies/ui-registry';
import type { ProvenanceStyle, StrategyUi } from '../strategies/ui-types';

export type { ProvenanceStyle };

type CategoriesOf<T> = T extends StrategyUi<infer P> ? P : never;

/** Every provenance category a token can have: those the strategy UIs register (strategies/ui-registry.ts). */
export type ProvenanceKind = CategoriesOf<(typeof STRATEGY_UI)[number]>;

/** Styles per category, in legend order (Okabe & Ito 2008 palette for the events). */
export const PROVENANCE: Readonly<Record<ProvenanceKind, ProvenanceStyle>> = Object.assign({}, ...STRATEGY_UI.map((u) => u.provenance));

/** The category of a token without a readable kind: the strategy's own pick. */
const PLAIN: CategoriesOf<typeof BASE_UI> = 'plain';

/** The provenance category of a token, from its annotations (by `kind`; fields read defensively). */
export function provenanceOf(token: { annotations: Readonly<Record<string, unknown>> }): ProvenanceKind {
  return uiOfKind(token.annotations.kind)?.provenanceOf(token.annotations) ?? PLAIN;
}
