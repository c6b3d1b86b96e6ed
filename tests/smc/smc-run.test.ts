import { describe, expect, it, vi } from 'vitest';

// kv-ops' CPU path only needs a Tensor class (the browser build configures onnxruntime-web).
vi.mock('../../workers/runtime/ort', async () => {
  const { Tensor } = await import('onnxruntime-common');
  return { configureOrt: () => ({ Tensor }) };
});
import { smc, parseSmcSettings } from '../../strategies/smc/worker/smc';
import { sample } from '../../strategies/base/worker/sample';
import type { SmcAnnotations } from '../../strategies/smc/annotations';
import type { EmittedToken, StrategyRun } from '../../strategies/types';
import type { LiveState } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';
import { ToyBatched } from './toy-batched';

const V = 8;
/** Logits from a hash of the whole history, so a particle fed another's prefix reads other logits. */
function lm(ids: number[]): number[] {
  let h = 2166136261;
  for (const x of ids) h = Math.imul(h ^ (x + 1), 16777619) >>> 0;
  return Array.from({ length: V }, (_, v) => {
    const k = Math.imul(h ^ (v * 2654435761), 2246822519) >>> 0;
    return ((k % 1000) / 1000) * 3;
  });
}
const logSoftmax = (z: number[]) => {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0));
  return z.map((x) => x - lse);
};
const text = (_c: readonly number[], id: number) => ` w${id}`;
const PROMPT = [1, 2];

async function drain(run: StrategyRun, max: number): Promise<{ tokens: EmittedToken[]; lives: LiveState[] }> {
  const tokens: EmittedToken[] = [];
  const lives: LiveState[] = [];
  for (let i = 0; i < max + 2 && tokens.length < max; i++) {
    const r = await run.step();
    tokens.push(...r.tokens);
    if (r.live) lives.push(r.live);
    if (r.live?.done) break;
  }
  return { tokens, lives };
}

function start(params: Record<string, unknown>, seed: number, max: number, runner = new ToyBatched(PROMPT, lm)) {
  return { runner, run: smc.start({ params: params as never, target: runner, draft: null, capabilities: { batched: runner as never }, rng: new Rng(seed), topK: 10, maxNewTokens: max, textAfter: text }) };
}

describe('SMC run on a toy batched model', () => {
  it('one particle draws the same tokens as `sample` with the same seed', async () => {
    for (const seed of [1, 2, 3]) {
      const { run } = start({ particles: 1, reward: 'likelihood', rewardText: '' }, seed, 12);
      const got = (await drain(run, 12)).tokens.map((t) => t.id);
      const seq = new CpuSequence(PROMPT, lm);
      const s = sample.start({ params: { temperature: 1 }, target: seq, draft: null, rng: new Rng(seed), topK: 10 });
      const want: number[] = [];
      for (let i = 0; i < 12; i++) want.push(...(await s.step()).tokens.map((t) => t.id));
      expect(got).toEqual(want);
    }
  });

  it('likelihood reward at α = 1: Δw = 0, ESS = N at every step, no resampling; one batched forward per token', async () => {
    const { run, runner } = start({ particles: 6, reward: 'likelihood', rewardText: '', essThreshold: 1 }, 5, 8);
    const { tokens, lives } = await drain(run, 8);
    expect(tokens).toHaveLength(8);
    for (const t of tokens) {
      const a = t.annotations as SmcAnnotations;
      expect(a.kind).toBe('smc');
      expect(a.ess).toBe(6);
      expect(a.ancestors).toBeUndefined();
      expect(a.lanes.every((l) => l.dw === 0)).toBe(true);
    }
    const last = tokens.at(-1)!.annotations as SmcAnnotations;
    expect(last.resampledAt).toEqual([]);
    expect(last.final).toHaveLength(6);
    expect(lives.at(-1)!.smc!.resamplings).toBe(0);
    // Prompt forward + 7 batched forwards (the last token needs none after it).
    expect(runner.forwards).toBe(1 + 7);
  });

  it('each lane drew from its own prefix: log p_T in the annotations matches the toy at that prefix, after resampling too', async () => {
    const { run } = start({ particles: 8, reward: 'keyword', rewardText: 'w3, w5', essThreshold: 0.9 }, 9, 10);
    const { tokens, lives } = await drain(run, 10);
    const live = lives.at(-1)!.smc!;
    expect(live.resamplings).toBeGreaterThan(0);
    // Rebuild each lane's prefix from the lineage and check every drawn token's log p_T.
    const steps = live.steps;
    const prefixes: number[][][] = [];
    steps.forEach((st, s) => {
      prefixes.push(
        st.lanes.map((l) => {
          const before = s === 0 ? [] : prefixes[s - 1]![l.parent]!;
          return l.id === null ? before : [...before, l.id];
        }),
      );
    });
    let checked = 0;
    for (const t of tokens) {
      const a = t.annotations as SmcAnnotations;
      a.lanes.forEach((l, j) => {
        if (l.id === null) return;
        const before = a.step === 0 ? [] : prefixes[a.step - 1]![l.parent]!;
        expect(l.lp).toBeCloseTo(logSoftmax(lm([...PROMPT, ...before]))[l.id]!, 5);
        expect(prefixes[a.step]![j]).toEqual([...before, l.id]);
        checked++;
      });
      expect(a.ess).toBeGreaterThanOrEqual(1);
      expect(a.ess).toBeLessThanOrEqual(8);
    }
    expect(checked).toBeGreaterThan(8);
    // The output is the highest-weight completion (copies of a text pool their weights).
    const last = tokens.at(-1)!.annotations as SmcAnnotations;
    const out = last.final!.find((f) => f.output)!;
    const pooled = (t: string) => last.final!.filter((f) => f.text === t).reduce((a, f) => a + f.weight, 0);
    for (const f of last.final!) expect(pooled(out.text)).toBeGreaterThanOrEqual(pooled(f.text) - 1e-12);
    expect(tokens.map((t) => text([], t.id)).join('')).toBe(out.text);
  });

  it('tokens are emitted only once every live particle agrees; the rest of the best particle at the end', async () => {
    const { run } = start({ particles: 4, reward: 'likelihood', rewardText: '' }, 2, 6);
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) counts.push((await run.step()).tokens.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(counts.slice(0, 5).every((c) => c === 0)).toBe(true);
  });

  it('a regex that forbids every continuation fails the run with a clear message', async () => {
    const { run } = start({ particles: 3, reward: 'regex', rewardText: 'w' }, 1, 5);
    await expect(run.step()).rejects.toThrow(/SMC: every particle has weight −∞ after step 1 \(the regex reward forbade all of them\)/);
  });

  it('bad parameters are refused with messages naming them', () => {
    expect(() => parseSmcSettings({ particles: 17 })).toThrow(/particles must be an integer in \[1, 16\], got 17/);
    expect(() => parseSmcSettings({ reward: 'regex', rewardText: '[' })).toThrow(/rewardText: not a valid regular expression/);
    expect(() => parseSmcSettings({ temperature: 0 })).toThrow(/temperature/);
    expect(() => parseSmcSettings({ proposal: 'beam' })).toThrow(/proposal/);
  });
});

describe('SMC with the draft proposal', () => {
  const draftLm = (ids: number[]) => lm([...ids, 99]).map((z, v) => z * 0.5 + (v % 3));

  it('draws from the draft, scores with the target: lq is the draft’s, lp the target’s, Δw = lp − lq at α = 1; one forward of each per token', async () => {
    const runner = new ToyBatched(PROMPT, lm);
    const drafter = new ToyBatched(PROMPT, draftLm);
    const run = smc.start({ params: { particles: 6, reward: 'likelihood', rewardText: '', proposal: 'draft', essThreshold: 0.9 } as never, target: runner, draft: drafter, capabilities: { batched: runner as never }, draftCapabilities: { batched: drafter as never }, rng: new Rng(3), topK: 10, maxNewTokens: 8, textAfter: text });
    const { tokens, lives } = await drain(run, 8);
    expect(tokens).toHaveLength(8);
    const steps = lives.at(-1)!.smc!.steps;
    const prefixes: number[][][] = [];
    steps.forEach((st, s) => prefixes.push(st.lanes.map((l) => [...(s === 0 ? [] : prefixes[s - 1]![l.parent]!), ...(l.id === null ? [] : [l.id])])));
    let unequal = 0;
    for (const t of tokens) {
      const a = t.annotations as SmcAnnotations;
      expect(a.proposal).toBe('draft');
      a.lanes.forEach((l) => {
        if (l.id === null) return;
        const before = [...PROMPT, ...(a.step === 0 ? [] : prefixes[a.step - 1]![l.parent]!)];
        expect(l.lp).toBeCloseTo(logSoftmax(lm(before))[l.id]!, 5);
        expect(l.dw).toBeCloseTo(l.lp - logSoftmax(draftLm(before))[l.id]!, 5);
        if (Math.abs(l.dw) > 1e-6) unequal++;
      });
    }
    expect(unequal).toBeGreaterThan(0);
    expect(runner.forwards).toBe(drafter.forwards);
    // The draft follows the emitted text too.
    expect(drafter.ids).toEqual(runner.ids);
  });

  it('the draft proposal without a draft model fails the panel with a clear message', async () => {
    const { run } = start({ proposal: 'draft' }, 1, 4);
    await expect(run.step()).rejects.toThrow(/proposal: the draft proposal needs a second model \(draft\)/);
    expect(smc.drivesDraft?.({ proposal: 'draft' })).toBe(true);
    expect(smc.drivesDraft?.({})).toBe(false);
  });
});

describe('SMC start', () => {
  it('a refused reward text fails the panel’s first step with the message, not the start', async () => {
    const { run } = start({ reward: 'regex', rewardText: '(' }, 1, 4);
    await expect(run.step()).rejects.toThrow(/rewardText: not a valid regular expression/);
  });
});
