import { expect, test } from '@playwright/test';
import type { PanelSpec, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';
import { referenceChainTokens } from './support/reference-chain';

// The processor chain end to end on the built-in model: `sample` reproducible from the seed and
// identical on WebGPU and WASM, greedy ignoring the warpers but not the repetition penalty, and
// every panel (the penalties included) equal to the TypeScript reference forward + CPU chain (an oracle outside the browser).

const PROMPT = 'Once upon a time';
const N = 24;
const SEED = 1234;

const panels: PanelSpec[] = [
  { strategy: 'greedy', params: {} },
  { strategy: 'greedy', params: { temperature: 1.5, topK: 3, topP: 0.5, minP: 0.2 } },
  { strategy: 'greedy', params: { repetitionPenalty: 1.3, presencePenalty: 0.3 } },
  { strategy: 'sample', params: { temperature: 1e-6 } },
  { strategy: 'sample', params: {} },
  { strategy: 'sample', params: { temperature: 0.9, topK: 40, topP: 0.95, minP: 0.02, repetitionPenalty: 1.1, presencePenalty: 0.2 } },
];

const ids = (rec: RunRecord, panel: number) => rec.panels[panel]!.tokens.map((t) => t.id);

test.describe('processor chain end to end (built-in model)', () => {
  test('sample and greedy panels on WebGPU, twice, and on WASM', async ({ page }) => {
    test.setTimeout(300_000);
    await openApp(page);
    const request = { prompt: PROMPT, model: 'builtin:tiny-llama', maxNewTokens: N, seed: SEED, panels };
    const gpu = await apiRun(page, { ...request, backend: 'webgpu' });
    const again = await apiRun(page, { ...request, backend: 'webgpu' });
    const wasm = await apiRun(page, { ...request, backend: 'wasm' });
    expect(gpu.model.backend).toBe('webgpu');
    expect(wasm.model.backend).toBe('wasm');
    panels.forEach((p, i) => {
      expect(rec(gpu, i), `panel ${i} errors`).toBeUndefined();
      // The record holds the validated params with the strategy's defaults filled in.
      const want = referenceChainTokens(gpu.promptTokens, { strategy: p.strategy, params: gpu.panels[i]!.params }, SEED, N);
      expect(ids(gpu, i), `panel ${i} (${JSON.stringify(p)}) vs the reference chain`).toEqual(want);
      expect(ids(again, i), `panel ${i} run twice`).toEqual(ids(gpu, i));
      expect(ids(wasm, i), `panel ${i} on WASM`).toEqual(ids(gpu, i));
    });
    expect(gpu.panels[4]!.params).toMatchObject({ temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, presencePenalty: 0 });
    // Greedy ignores the warpers; the repetition penalty changes it; T = 1e-6 is greedy.
    expect(ids(gpu, 1)).toEqual(ids(gpu, 0));
    expect(ids(gpu, 2)).not.toEqual(ids(gpu, 0));
    expect(ids(gpu, 3)).toEqual(ids(gpu, 0));
    expect(ids(gpu, 4)).not.toEqual(ids(gpu, 0));
    // Annotations: processed probability, entropy, kept-set size; base probabilities stay raw.
    const t = gpu.panels[5]!.tokens[0]!;
    expect(t.annotations).toMatchObject({ kept: expect.any(Number), processedProb: expect.any(Number), processedEntropy: expect.any(Number) });
    expect(t.annotations.kept as number).toBeLessThanOrEqual(40);
    // Plain sampling at T = 1: the processed distribution is the raw one.
    gpu.panels[4]!.tokens.forEach((tok) => expect(Math.abs(tok.prob - (tok.annotations.processedProb as number))).toBeLessThan(1e-4));
    const sampleStats = gpu.panels[4]!.stats;
    const perToken = sampleStats.readbackBytes / sampleStats.newTokens;
    console.log(`sample: ${perToken} readback bytes per token on WebGPU (${sampleStats.readbackBytes} B / ${sampleStats.newTokens} tokens)`);
    expect(perToken).toBeLessThan(1024);
  });
});

function rec(r: RunRecord, i: number): string | undefined {
  return r.panels[i]!.error;
}
