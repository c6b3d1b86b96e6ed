import { describe, expect, it } from 'vitest';
import { ead, nextModel, parseEadSettings } from '../../strategies/ead/worker/ead';
import { greedy } from '../../strategies/base/worker/greedy';
import type { EadAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';
import type { StrategyRun } from '../../strategies/types';

const V = 12;
/** Two different models over the same vocabulary: soft rows that depend on the text so far. */
const draftRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.cos(ids.length * 0.7 + i * 1.3 + (ids.at(-1) ?? 0)) * 1.5);
const targetRow = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 1.1 + i * 0.8 + 2 * (ids.at(-1) ?? 0)) * 3);
const PROMPT = [1, 2, 3];

async function take(run: StrategyRun, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(...(await run.step()).tokens);
  return out;
}

function eadRun(params: Record<string, number | string>) {
  const target = new CpuSequence(PROMPT, targetRow);
  const draft = new CpuSequence(PROMPT, draftRow);
  return { target, draft, run: ead.start({ params, target, draft, rng: new Rng(1), topK: 10 }) };
}

async function greedyIds(row: (ids: number[]) => number[], n: number) {
  const seq = new CpuSequence(PROMPT, row);
  return (await take(greedy.start({ params: {}, target: seq, draft: null, rng: new Rng(1), topK: 10 }), n)).map((t) => t.id);
}

describe('EAD (entropy-adaptive model switching)', () => {
  it('a threshold above log2(vocabulary) never leaves the draft: draft greedy, token for token', async () => {
    const { run, target } = eadRun({ threshold: 20 });
    const tokens = await take(run, 20);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(draftRow, 20));
    expect(tokens.every((t) => (t.annotations as EadAnnotations).model === 'draft')).toBe(true);
    // The target was never asked for a token: no forward at all.
    expect(target.forwards).toBe(0);
  });

  it('starting with the target and never switching down is target greedy', async () => {
    const { run, draft } = eadRun({ threshold: 0, thresholdDown: 0, start: 'target', minDwell: 0 });
    const tokens = await take(run, 20);
    expect(tokens.map((t) => t.id)).toEqual(await greedyIds(targetRow, 20));
    expect(draft.forwards).toBe(0);
  });

  it('switches by the windowed entropy in bits, never before the minimum dwell, and catches up in one forward', async () => {
    const { run, target, draft } = eadRun({ threshold: 2.6, window: 3, minDwell: 2 });
    const tokens = await take(run, 40);
    const ann = tokens.map((t) => t.annotations as EadAnnotations);
    const models = ann.map((a) => a.model);
    expect(models).toContain('target');
    expect(models).toContain('draft');
    const entropies: number[] = [];
    let active: 'draft' | 'target' = 'draft';
    let dwell = 0;
    ann.forEach((a, i) => {
      expect(a.model).toBe(active);
      entropies.push(a.entropyBits);
      const window = entropies.slice(-3);
      expect(a.meanEntropyBits).toBeCloseTo(window.reduce((s, x) => s + x, 0) / window.length, 12);
      dwell++;
      expect(a.dwell).toBe(dwell);
      const next = nextModel(active, a.meanEntropyBits, dwell, { up: 2.6, down: 2.6, minDwell: 2 });
      expect(a.switchTo).toBe(next === active ? null : next);
      if (a.switchTo) {
        expect(dwell).toBeGreaterThanOrEqual(2);
        active = a.switchTo;
        dwell = 0;
      }
      // Entropy of the processed (here raw) distribution, in bits.
      const seq = a.model === 'draft' ? draftRow : targetRow;
      const z = seq([...PROMPT, ...tokens.slice(0, i).map((t) => t.id)]);
      const m = Math.max(...z);
      const e = z.map((x) => Math.exp(x - m));
      const sum = e.reduce((s, x) => s + x, 0);
      const h = -e.reduce((s, x) => s + (x / sum) * Math.log2(x / sum), 0);
      expect(a.entropyBits).toBeCloseTo(h, 5);
      expect(tokens[i]!.id).toBe(z.indexOf(m));
    });
    // Both models hold the same text; every switch fed the missed tokens in one forward.
    const ids = [...PROMPT, ...tokens.map((t) => t.id)];
    expect(target.ids).toEqual(ids);
    expect(draft.ids).toEqual(ids);
    const firstTarget = models.indexOf('target');
    expect(ann[firstTarget]!.catchUp).toBe(firstTarget - 1);
    expect(target.feeds[0]).toEqual(ids.slice(0, PROMPT.length + firstTarget));
    expect(draft.forwards + target.forwards).toBe(40);
  });

  it('thresholdDown −1 is the switch-up threshold; the settings are checked', () => {
    expect(parseEadSettings({ threshold: 2 })).toMatchObject({ up: 2, down: 2, window: 5, minDwell: 5, start: 'draft' });
    expect(parseEadSettings({ threshold: 2, thresholdDown: 0.5 }).down).toBe(0.5);
    expect(() => parseEadSettings({ window: 0 })).toThrow(/window/);
    expect(() => parseEadSettings({ start: 'both' })).toThrow(/start/);
  });
});
