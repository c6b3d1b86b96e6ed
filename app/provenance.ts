/**
 * Provenance of a generated token: which part of its strategy produced it (speculative accepted /
 * resampled / bonus, GRAD flipped by the graph, CNTP trial winner, a departure from (expert) greedy
 * for contrastive strategies). Colours are the Okabe–Ito palette (distinguishable with every common
 * colour-vision deficiency); "nothing happened" categories are greys.
 */
import { cntpView } from './annotations/cntp';
import { contrastiveView } from './annotations/contrastive';
import { gradView } from './annotations/grad';
import { searchView } from './annotations/search';
import { speculativeView } from './annotations/speculative';

/** Every provenance category a token can have. */
export type ProvenanceKind =
  | 'draft-accepted'
  | 'resampled'
  | 'bonus'
  | 'target-step'
  | 'graph-flipped'
  | 'graph-unchanged'
  | 'graph-none'
  | 'trial-winner'
  | 'single-draw'
  | 'departed'
  | 'agreed'
  | 'plain';

/** A category's swatch colour (`#rrggbb`) and its legend text. */
export interface ProvenanceStyle {
  color: string;
  label: string;
  /** Strategy family the category belongs to, for grouping the legend. */
  family: 'speculative' | 'grad' | 'cntp' | 'contrastive' | 'base';
}

/** Styles per category (Okabe & Ito 2008 palette for the events). */
export const PROVENANCE: Readonly<Record<ProvenanceKind, ProvenanceStyle>> = {
  'draft-accepted': { color: '#009E73', label: 'Draft accepted', family: 'speculative' },
  resampled: { color: '#D55E00', label: 'Resampled after a rejected draft', family: 'speculative' },
  bonus: { color: '#0072B2', label: 'Bonus (every draft accepted)', family: 'speculative' },
  'target-step': { color: '#D4D4D8', label: 'Target step, nothing drafted', family: 'speculative' },
  'graph-flipped': { color: '#CC79A7', label: 'Flipped by the graph', family: 'grad' },
  'graph-unchanged': { color: '#D4D4D8', label: 'Graph agreed with the model', family: 'grad' },
  'graph-none': { color: '#F4F4F5', label: 'No graph row for the previous token', family: 'grad' },
  'trial-winner': { color: '#E69F00', label: 'From the winning trial', family: 'cntp' },
  'single-draw': { color: '#D4D4D8', label: 'One draw (entropy low, N = 1)', family: 'cntp' },
  departed: { color: '#56B4E9', label: 'Departs from (expert) greedy', family: 'contrastive' },
  agreed: { color: '#D4D4D8', label: 'Same as (expert) greedy', family: 'contrastive' },
  plain: { color: '#F4F4F5', label: 'The strategy’s own pick (greedy, sampling)', family: 'base' },
};

/** The provenance category of a token, from its annotations (by `kind`; fields read defensively). */
export function provenanceOf(token: { annotations: Readonly<Record<string, unknown>> }): ProvenanceKind {
  const a = token.annotations;
  switch (a.kind) {
    case 'speculative': {
      const spec = speculativeView(a);
      if (!spec) return 'plain';
      if (spec.drafted === 0) return 'target-step';
      return spec.fate === 'accepted' ? 'draft-accepted' : spec.fate;
    }
    case 'grad': {
      const grad = gradView(a);
      if (!grad) return 'plain';
      return grad.provenance === 'flipped by graph' ? 'graph-flipped' : grad.provenance === 'unchanged' ? 'graph-unchanged' : 'graph-none';
    }
    case 'cntp': {
      const cntp = cntpView(a);
      return !cntp ? 'plain' : cntp.n > 1 ? 'trial-winner' : 'single-draw';
    }
    case 'contrastive': {
      const cd = contrastiveView(a);
      return !cd ? 'plain' : cd.departed ? 'departed' : 'agreed';
    }
    case 'contrastive-search': {
      const cs = searchView(a);
      return !cs ? 'plain' : cs.departed ? 'departed' : 'agreed';
    }
    default:
      return 'plain';
  }
}
