import { describe, expect, it } from 'vitest';
import { PROCESSOR_WORDS, PROCESSORS } from '../../kernels/processors';
import { applyPhase, outputShift, planProcessors, PROCESSOR_OFFSETS, validateProcessors } from '../../kernels/processors/plan';
import { logitStagesWgsl } from '../../kernels/ops/logitStages';
import { logitFusionCpu } from '../../kernels/reference/logitFusion';
import { changesGreedyLogits, GREEDY_CHAIN, greedyLogitFn, processorValues } from '../../workers/processors/chain';
import { Rng } from '../../workers/rng';

const row = (xs: number[]) => ({ data: Float32Array.from(xs), validVocab: xs.length });
const spec = (processors: Record<string, number>, historyIds: number[] = []) => ({ historyIds, processors, contrast: null, sparseIds: [], sparseValues: [] });

describe('logit processor modules (kernels/processors)', () => {
  it('word areas are disjoint and fit the uniform', () => {
    const used = PROCESSORS.map((p, i) => [PROCESSOR_OFFSETS[i]!, PROCESSOR_OFFSETS[i]! + p.words] as const);
    used.forEach(([a, b], i) => {
      expect(b).toBeLessThanOrEqual(PROCESSOR_WORDS);
      for (const [c, d] of used.slice(i + 1)) expect(b <= c || d <= a).toBe(true);
    });
  });

  it('each module: off value is the identity, on values map f32 to f32, names match the WGSL', () => {
    const rng = new Rng(7);
    for (const p of PROCESSORS) {
      expect(p.wgsl).toContain(`fn ${p.param.name}Stage(z: f32, seen: bool, w: vec4<f32>) -> f32`);
      expect(p.valid(p.param.default) || p.samplingOnly).toBe(true);
      const on = p.samplingOnly ? 0.7 : p.param.name === 'repetitionPenalty' ? 1.4 : 0.3;
      expect(p.valid(on)).toBe(true);
      expect(p.pack(on)).toHaveLength(p.words);
      for (let i = 0; i < 200; i++) {
        const z = Math.fround((rng.next() - 0.5) * 40);
        const y = p.cpu(z, i % 2 === 0, p.pack(on));
        expect(Math.fround(y)).toBe(y);
        if (!p.samplingOnly && p.isOff(p.param.default)) expect(planProcessors({ [p.param.name]: p.param.default }).on).toBe(0);
        if (!p.readsHistory) expect(p.cpu(z, true, p.pack(on))).toBe(p.cpu(z, false, p.pack(on)));
        else expect(p.cpu(z, false, p.pack(on))).toBe(z);
      }
    }
  });

  it('the generated WGSL calls each stage in its phase, in list order, gated by its bit', () => {
    const src = logitStagesWgsl();
    const body = (name: string) => src.slice(src.indexOf(`fn ${name}(`), src.indexOf('return s;', src.indexOf(`fn ${name}(`)));
    PROCESSORS.forEach((p, i) => {
      const fn = body(p.phase === 'input' ? 'inputStages' : 'outputStages');
      expect(fn).toContain(`(params.procOn & ${1 << i}u) != 0u`);
      expect(fn).toContain(`s = ${p.param.name}Stage(s, seen, vec4<f32>(params.pw[${PROCESSOR_OFFSETS[i]}]`);
      expect(body(p.phase === 'input' ? 'outputStages' : 'inputStages')).not.toContain(`${p.param.name}Stage(`);
    });
    const input = body('inputStages');
    expect(input.indexOf('repetitionPenaltyStage(')).toBeLessThan(input.indexOf('presencePenaltyStage('));
  });

  it('plans only what is on, and the history list only when a reader is on', () => {
    expect(planProcessors({ repetitionPenalty: 1, presencePenalty: 0 })).toMatchObject({ on: 0, history: false });
    expect(planProcessors({ temperature: 0.5 })).toMatchObject({ on: 0b100, history: false });
    const p = planProcessors({ repetitionPenalty: 2, presencePenalty: 0.5, temperature: 0.5 });
    expect(p).toMatchObject({ on: 0b111, history: true });
    expect(p.words).toEqual([0.5, 2, 0.5, 2]);
    expect(outputShift(p, 3)).toBe(6);
    expect(applyPhase(p, 'input', 2, true)).toBe(0.5);
    expect(applyPhase(p, 'input', 2, false)).toBe(2);
  });

  it('rejects unknown names and out-of-range values, naming them', () => {
    expect(() => validateProcessors({ presencePenalty: 5 })).toThrow('processors.presencePenalty must be a number in [-2, 2], got 5');
    expect(() => validateProcessors({ frequencyPenalty: 1 })).toThrow(/processors.frequencyPenalty must be one of repetitionPenalty, presencePenalty, temperature/);
    expect(() => validateProcessors(null)).toThrow(/processors must be an object/);
  });

  it('fusion: repetition penalty, then presence (input, both rows), sparse, then temperature', () => {
    // id 0: (2 / 2) − 0.5 = 0.5, then × 1/0.5 = 1; id 1 unseen: 1 + 1 (sparse) = 2 → 4; id 2: (−1 · 2) − 0.5 = −2.5 → −5.
    const { y } = logitFusionCpu(row([2, 1, -1]), { ...spec({ repetitionPenalty: 2, presencePenalty: 0.5, temperature: 0.5 }, [0, 2, 0]), sparseIds: [1], sparseValues: [1] });
    expect(Array.from(y)).toEqual([1, 4, -5]);
    const contrast = { form: 'logit' as const, beta: 1, alpha: 0.001, amateurTemperature: 1 };
    // Amateur penalised too: z_A' = [4 − 1, 0]; s = 2·z_E' − z_A' = [2·1 − 3, 2·1 − 0].
    const c = logitFusionCpu(row([2, 1]), { ...spec({ presencePenalty: 1 }, [0]), contrast }, row([4, 0]));
    expect(Array.from(c.y)).toEqual([-1, 2]);
  });

  it('the chain hands the fusion the sampling-only processors only when sampling', () => {
    const c = { ...GREEDY_CHAIN, temperature: 0.8, repetitionPenalty: 1.2, presencePenalty: 0.1 };
    expect(processorValues(c, true)).toEqual({ repetitionPenalty: 1.2, presencePenalty: 0.1, temperature: 0.8 });
    expect(processorValues(c, false)).toEqual({ repetitionPenalty: 1.2, presencePenalty: 0.1 });
    expect(changesGreedyLogits(GREEDY_CHAIN)).toBe(false);
    expect(changesGreedyLogits({ ...GREEDY_CHAIN, temperature: 2 })).toBe(false);
    expect(changesGreedyLogits({ ...GREEDY_CHAIN, presencePenalty: -0.1 })).toBe(true);
    expect(greedyLogitFn({ ...GREEDY_CHAIN, repetitionPenalty: 2, presencePenalty: 0.25 })(3, true)).toBe(1.25);
  });
});
