import { describe, expect, it } from 'vitest';
import { acceptedHistogram, acceptedPerIteration, iterationsOf, perStep, throughput, trialsPerStep, type ChartPanel } from '../../app/chart-data';
import { iteration, stats, token } from './fixtures-ui';

const d = (id: number, fate: 'accepted' | 'rejected' | 'discarded') => ({ id, fate, p: fate === 'discarded' ? null : 0.5, q: 0.5 });
// Iteration 0: 1 accepted then resampled; iteration 1: 2 accepted + bonus; iteration 2: 0 accepted.
const specTokens = [
  ...iteration(0, [d(1, 'accepted'), d(2, 'rejected')], ['accepted', 'resampled']),
  ...iteration(1, [d(3, 'accepted'), d(4, 'accepted')], ['accepted', 'accepted', 'bonus']),
  ...iteration(2, [d(5, 'rejected'), d(6, 'discarded')], ['resampled']),
].map((a, i) => token(i, 0.5, { annotations: a, entropy: i }));

const panels: ChartPanel[] = [
  { label: 'greedy', tokens: [token(1, 0.9, { entropy: 0.3 }), token(2, 0.8, { entropy: 0.6 })], stats: stats(2, 2) },
  { label: 'spec', tokens: specTokens, stats: stats(6, 3, 12) },
  {
    label: 'cntp',
    tokens: [
      token(1, 0.5, { annotations: { kind: 'cntp', N: 1, step: 0 } }),
      token(2, 0.5, { annotations: { kind: 'cntp', N: 4, step: 1, trials: [] } }),
      token(3, 0.5, { annotations: { kind: 'cntp', N: 4, step: 1, trialToken: 1 } }),
      token(4, 0.5, { annotations: { kind: 'cntp', N: 2, step: 2 } }),
    ],
    stats: null,
  },
];

describe('chart data', () => {
  it('per-step series: one row per position, one key per panel', () => {
    const e = perStep(panels, (t) => t.entropy);
    expect(e.rows).toHaveLength(6);
    expect(e.rows[1]).toMatchObject({ x: 2, p0: 0.6, p1: 1 });
    expect(e.rows[5]?.p0).toBeUndefined();
    expect(e.series.map((s) => s.label)).toEqual(['greedy', 'spec', 'cntp']);
  });

  it('per-step series averaged in buckets when longer than the point budget', () => {
    const e = perStep(panels, (t) => t.entropy, 3);
    expect(e.rows.map((r) => r.x)).toEqual([1, 3, 5]);
    expect(e.rows[0]).toMatchObject({ p0: (0.3 + 0.6) / 2, p1: 0.5 });
    expect(e.rows[2]?.p1).toBeCloseTo(4.5, 12);
    expect(e.rows[2]?.p0).toBeUndefined();
  });

  it('speculative iterations, accepted length per iteration and its histogram', () => {
    expect(iterationsOf(specTokens).map((i) => i.accepted)).toEqual([1, 2, 0]);
    const per = acceptedPerIteration(panels);
    expect(per.series.map((s) => s.key)).toEqual(['p1']);
    expect(per.rows.map((r) => r.p1)).toEqual([1, 2, 0]);
    const h = acceptedHistogram(panels);
    expect(h.rows.slice(0, 3).map((r) => r.p1)).toEqual([1, 1, 1]);
    expect(h.rows.length).toBe(5);
    expect(h.rows[4]?.p1).toBe(0);
  });

  it('CNTP trials per step come from each step’s first token', () => {
    const t = trialsPerStep(panels);
    expect(t.series.map((s) => s.key)).toEqual(['p2']);
    expect(t.rows.map((r) => r.p2)).toEqual([1, 4, 2]);
  });

  it('throughput: tokens/s and forward passes per token of panels with tokens', () => {
    const s = throughput(panels);
    expect(s.map((x) => x.panel)).toEqual([0, 1]);
    expect(s[1]).toMatchObject({ targetPerToken: 0.5, draftPerToken: 2, tokensPerSecond: 6 });
  });
});
