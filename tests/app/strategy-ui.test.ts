// The one UI registry (strategies/ui-registry.ts): one entry per annotation kind, and the
// provenance categories the legend and the heatmap read, in their order.
import { describe, expect, it } from 'vitest';
import { PROVENANCE, provenanceOf } from '../../app/provenance';
import { BASE_UI, STRATEGY_UI, uiOfKind } from '../../strategies/ui-registry';
import type { AnnotationKind } from '../../protocol';
import { listStrategies } from '../../strategies/registry';

const KINDS: AnnotationKind[] = ['processed', 'speculative', 'contrastive', 'contrastive-search', 'grad', 'cntp', 'ead', 'ngram', 'caad', 'w2s', 'beam', 'dola', 'smc', 'multi-draft', 'grammar', 'superposed'];

describe('strategy UI registry', () => {
  it('registers every annotation kind once, and every strategy for the legend', () => {
    expect(STRATEGY_UI.map((u) => u.kind).sort()).toEqual([...KINDS].sort());
    for (const k of KINDS) expect(uiOfKind(k)?.kind).toBe(k);
    expect(uiOfKind(undefined)).toBeUndefined();
    const claimed = STRATEGY_UI.flatMap((u) => u.strategies).sort();
    expect(claimed).toEqual(listStrategies().map((s) => s.id).sort());
  });

  it('lists the provenance categories in legend order, the base one last', () => {
    expect(Object.keys(PROVENANCE)).toEqual([
      'draft-accepted', 'resampled', 'bonus', 'target-step',
      'graph-flipped', 'graph-unchanged', 'graph-none',
      'trial-winner', 'single-draw',
      'ead-draft', 'ead-target',
      'style-flipped', 'style-agreed', 'style-none',
      'retrieval-flipped', 'retrieval-agreed', 'retrieval-none',
      'w2s-flipped', 'w2s-agreed',
      'md-draft', 'md-target',
      'beam-leading', 'beam-behind',
      'smc-resampled', 'smc-kept',
      'superposed-best', 'superposed-other',
      'grammar-forced', 'grammar-free', 'grammar-end',
      'dola-changed', 'dola-agreed',
      'departed', 'agreed',
      'plain',
    ]);
    expect(Object.keys(BASE_UI.provenance)).toEqual(['plain']);
    expect(provenanceOf({ annotations: { kind: 'nonsense' } })).toBe('plain');
  });
});
