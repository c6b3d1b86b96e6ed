import { describe, expect, it } from 'vitest';
import { hexToRgb, relativeLuminance, type Rgb } from '../../app/color-scale';
import { heatOf, NATS_SCALE_MAX, rankBucket, rankOf, RANK_BUCKETS, surprisalOf } from '../../app/heatmap';
import { PROVENANCE, provenanceOf } from '../../app/provenance';
import { iteration, token } from './fixtures-ui';

function rgb(css: string): Rgb {
  if (css.startsWith('#')) return hexToRgb(css);
  const m = /^rgb\(([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(css);
  if (!m) throw new Error(`not a colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
const lum = (css: string) => relativeLuminance(rgb(css));

describe('heatmap values', () => {
  it('surprisal is −ln p in nats', () => {
    expect(surprisalOf({ prob: 0.25, logprob: Math.log(0.25) })).toBeCloseTo(Math.log(4), 12);
    expect(surprisalOf({ prob: 1, logprob: 0 })).toBe(0);
    expect(surprisalOf({ prob: 0, logprob: NaN })).toBe(Infinity);
  });

  it('rank is the 1-based position in the top list, null when absent', () => {
    expect(rankOf(token(5, 0.4, { rank: 1 }))).toBe(1);
    expect(rankOf(token(5, 0.04, { rank: 7 }))).toBe(7);
    expect(rankOf(token(5, 0.001, { rank: 0 }))).toBeNull();
    expect(rankBucket(null)).toBe(RANK_BUCKETS.length - 1);
    expect(RANK_BUCKETS[rankBucket(4)]?.label).toBe('4–5');
    expect(RANK_BUCKETS[rankBucket(10)]?.label).toBe('6–10');
  });
});

describe('heatmap colours follow each mode’s definition', () => {
  const probs = [0.01, 0.05, 0.2, 0.5, 0.8, 0.99];

  it('probability: brighter for more probable tokens', () => {
    const l = probs.map((p) => lum(heatOf('probability', token(1, p)).colors.background));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThan(l[i - 1]!);
  });

  it('surprisal: brighter for more surprising tokens, clamped at the scale top', () => {
    const l = probs.map((p) => lum(heatOf('surprisal', token(1, p)).colors.background));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThan(l[i - 1]!);
    const top = heatOf('surprisal', token(1, Math.exp(-NATS_SCALE_MAX))).colors.background;
    expect(heatOf('surprisal', token(1, Math.exp(-NATS_SCALE_MAX - 3))).colors.background).toBe(top);
    expect(heatOf('surprisal', token(1, 0.3)).value).toBeCloseTo(-Math.log(0.3), 12);
  });

  it('entropy: brighter for higher entropy, whatever the token’s probability', () => {
    const a = heatOf('entropy', token(1, 0.9, { entropy: 0.5 }));
    const b = heatOf('entropy', token(1, 0.1, { entropy: 4 }));
    expect(lum(b.colors.background)).toBeGreaterThan(lum(a.colors.background));
    expect(heatOf('entropy', token(1, 0.9, { entropy: 2 })).colors).toEqual(heatOf('entropy', token(1, 0.1, { entropy: 2 })).colors);
  });

  it('rank: one colour per bucket, rank 1 brightest, unlisted darkest', () => {
    const c = (rank: number) => heatOf('rank', token(1, 0.1, { rank })).colors.background;
    expect(c(4)).toBe(c(5));
    expect(c(6)).toBe(c(10));
    expect(c(1)).not.toBe(c(2));
    expect(lum(c(1))).toBeGreaterThan(lum(c(2)));
    expect(lum(c(3))).toBeGreaterThan(lum(c(6)));
    expect(lum(c(6))).toBeGreaterThan(lum(c(0)));
    expect(heatOf('rank', token(1, 0.1, { rank: 0 })).value).toBe(Infinity);
  });

  it('text colour always contrasts with the background (WCAG AA large text, 3:1)', () => {
    for (const mode of ['probability', 'surprisal', 'entropy', 'rank'] as const) {
      for (let i = 0; i <= 20; i++) {
        const { background, color } = heatOf(mode, token(1, i / 20, { entropy: i / 2, rank: (i % 11) + 1 })).colors;
        const [a, b] = [lum(background), lum(color)];
        expect((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)).toBeGreaterThanOrEqual(3);
      }
    }
  });
});

describe('provenance', () => {
  const [acc, res] = iteration(
    0,
    [
      { id: 1, fate: 'accepted', p: 0.5, q: 0.4, r: 0.1 },
      { id: 2, fate: 'rejected', p: 0.1, q: 0.5, r: 0.9 },
    ],
    ['accepted', 'resampled'],
  );
  const [, , bonus] = iteration(
    1,
    [
      { id: 1, fate: 'accepted', p: 0.5, q: 0.4 },
      { id: 2, fate: 'accepted', p: 0.5, q: 0.4 },
    ],
    ['accepted', 'accepted', 'bonus'],
  );

  it('names speculative, GRAD, CNTP and contrastive events from the annotations', () => {
    expect(provenanceOf({ annotations: acc! })).toBe('draft-accepted');
    expect(provenanceOf({ annotations: res! })).toBe('resampled');
    expect(provenanceOf({ annotations: bonus! })).toBe('bonus');
    expect(provenanceOf({ annotations: { ...bonus!, drafted: 0, acceptedInIteration: 0 } })).toBe('target-step');
    expect(provenanceOf({ annotations: { kind: 'grad', provenance: 'flipped by graph', modelArgmax: 3 } })).toBe('graph-flipped');
    expect(provenanceOf({ annotations: { kind: 'grad', provenance: 'no graph row', modelArgmax: 3 } })).toBe('graph-none');
    expect(provenanceOf({ annotations: { kind: 'cntp', N: 4, step: 2, trialToken: 1 } })).toBe('trial-winner');
    expect(provenanceOf({ annotations: { kind: 'cntp', N: 1, step: 2 } })).toBe('single-draw');
    const side = { prob: 0.2, maxProb: 0.3, top: [] };
    expect(provenanceOf({ annotations: { kind: 'contrastive', expert: side, amateur: side, expertGreedy: 4, departed: true } })).toBe('departed');
    expect(provenanceOf({ annotations: { kind: 'contrastive-search', chosenRank: 0, candidates: [] } })).toBe('agreed');
    expect(provenanceOf({ annotations: {} })).toBe('plain');
    expect(provenanceOf({ annotations: { kind: 'speculative', fate: 'accepted', iteration: 'x' } })).toBe('plain');
    // Dispatch is by kind, never by shape: speculative fields without the kind are no speculative token.
    expect(provenanceOf({ annotations: { ...acc!, kind: undefined } })).toBe('plain');
  });

  it('event categories have distinct colours', () => {
    const events = ['draft-accepted', 'resampled', 'bonus', 'graph-flipped', 'trial-winner', 'departed'] as const;
    expect(new Set(events.map((e) => PROVENANCE[e].color)).size).toBe(events.length);
    expect(events.map((e) => PROVENANCE[e].color)).not.toContain(PROVENANCE.plain.color);
    const painted = heatOf('provenance', token(1, 0.5, { annotations: res! }));
    expect(painted.value).toBe('resampled');
    expect(painted.colors.background).toBe(PROVENANCE.resampled.color);
    expect(heatOf('provenance', token(1, 0.5)).colors.background).toBe(PROVENANCE.plain.color);
  });
});
