import { describe, expect, it } from 'vitest';
import { cntpView } from '../../strategies/cntp/ui/cntp-view';
import { contrastiveView } from '../../strategies/contrastive/ui/contrastive-view';
import { gradView } from '../../strategies/grad/ui/grad-view';
import { processedView } from '../../strategies/base/ui/processed-view';
import { searchView } from '../../strategies/contrastive/ui/search-view';
import { acceptanceRatio, speculativeView } from '../../strategies/speculative/ui/speculative-view';
import { iteration } from './fixtures-ui';

describe('annotation readers', () => {
  it('read speculative iterations with their drafts', () => {
    const [first, second] = iteration(
      3,
      [
        { id: 7, fate: 'accepted', p: 0.6, q: 0.3, r: 0.2 },
        { id: 8, fate: 'rejected', p: 0.1, q: 0.4, r: 0.7 },
        { id: 9, fate: 'discarded', p: null, q: 0.2 },
      ],
      ['accepted', 'resampled'],
    );
    const v = speculativeView(first!);
    expect(v).toMatchObject({ iteration: 3, fate: 'accepted', drafted: 3, acceptedInIteration: 1, p: 0.6, q: 0.3 });
    expect(v?.drafts?.map((d) => d.fate)).toEqual(['accepted', 'rejected', 'discarded']);
    expect(v?.drafts?.[2]?.p).toBeNull();
    expect(speculativeView(second!)?.drafts).toBeNull();
    expect(speculativeView({ ...first!, drafts: [{ id: 'x' }, { id: 1, fate: 'accepted', q: 0.5, p: 0.5 }] })?.drafts).toHaveLength(1);
    expect(speculativeView({ ...first!, fate: 'eaten' })).toBeNull();
    expect(speculativeView({ ...first!, kind: 'grad' })).toBeNull();
  });

  it('acceptance ratio is min(1, p/q)', () => {
    expect(acceptanceRatio(0.2, 0.4)).toBeCloseTo(0.5, 12);
    expect(acceptanceRatio(0.5, 0.1)).toBe(1);
    expect(acceptanceRatio(0, 0)).toBe(0);
  });

  it('read contrastive decoding and search', () => {
    const side = (prob: number) => ({
      prob,
      maxProb: 0.5,
      top: [
        { id: 1, prob: 0.5 },
        { id: 'bad', prob: 1 },
      ],
    });
    const cd = contrastiveView({
      kind: 'contrastive',
      form: 'logprob',
      alpha: 0.1,
      beta: 0.5,
      vHead: 3,
      expertGreedy: 1,
      departed: true,
      sampled: false,
      scores: [{ id: 2, score: 1.5 }],
      expert: side(0.3),
      amateur: side(0.05),
    });
    expect(cd).toMatchObject({ form: 'logprob', vHead: 3, departed: true, expert: { prob: 0.3 }, amateur: { prob: 0.05 } });
    expect(cd?.expert.top).toEqual([{ id: 1, prob: 0.5 }]);
    expect(contrastiveView({ kind: 'contrastive', expert: side(0.3) })).toBeNull();
    const cs = searchView({
      kind: 'contrastive-search',
      alpha: 0.6,
      k: 2,
      chosenRank: 1,
      departedFromGreedy: true,
      contextLength: 5,
      candidates: [
        { id: 3, prob: 0.5, degeneration: 0.9, similarTo: 1, score: -0.34 },
        { id: 4, prob: 0.3, degeneration: 0.1, similarTo: 2, score: 0.06 },
      ],
    });
    expect(cs?.candidates.map((c) => c.id)).toEqual([3, 4]);
    expect(cs?.departed).toBe(true);
  });

  it('read CNTP, GRAD and processed annotations, and refuse other shapes', () => {
    const c = cntpView({
      kind: 'cntp',
      N: 3,
      processedEntropy: 1.2,
      step: 4,
      winner: 2,
      trials: [{ text: 'a.', perplexity: 2, tokens: 2, end: 'punctuation' }],
      batchForwards: 2,
    });
    expect(c).toMatchObject({ n: 3, step: 4, trialToken: 0, winner: 2, batchForwards: 2 });
    expect(c?.trials?.[0]?.end).toBe('punctuation');
    expect(cntpView({ kind: 'cntp', N: 0, step: 1 })).toBeNull();
    expect(cntpView({ N: 3, step: 1 })).toBeNull();
    const g = gradView({
      kind: 'grad',
      provenance: 'flipped by graph',
      variant: 'A',
      lambdaT: 0.4,
      scale: 2,
      modelArgmax: 9,
      fusedPass: false,
      successors: [{ id: 5, text: 's', weight: 1 }],
      graph: { passages: [{}, {}], edges: 30, sources: 12, buildMs: 40 },
    });
    expect(g?.graph).toEqual({ passages: 2, edges: 30, sources: 12, buildMs: 40 });
    expect(g?.successors).toEqual([{ id: 5, text: 's', weight: 1 }]);
    expect(gradView({ kind: 'grad', provenance: 'magic', modelArgmax: 1 })).toBeNull();
    expect(processedView({ kind: 'processed', processedProb: 0.7, processedEntropy: 0.4, kept: 12 })).toEqual({ processedProb: 0.7, processedEntropy: 0.4, kept: 12 });
    expect(processedView({ kind: 'processed', processedProb: '0.7' })).toBeNull();
    expect(processedView({ processedProb: 0.7 })).toBeNull();
  });
});
