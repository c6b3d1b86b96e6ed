/**
 * Per-model backend figures as the page measures them for `backend=auto`: for each model, the app's
 * "Time both backends" (`window.logitscope.measureBackends`, protocol/backend-choice.ts) and one
 * `auto` run, whose record says which backend ran and why.
 */
import type { Page } from '@playwright/test';
import type { BackendMeasurement, RunRecord } from '../../protocol';

/** One model's row of the per-backend table. */
export interface BackendRow {
  model: string;
  measurement: BackendMeasurement;
  /** What `backend=auto` ran, and its reason (from the run record). */
  auto: { backend: string; reason: string };
}

/** Everything `npm run bench:backends` produces. */
export interface BackendsResult {
  environment: { userAgent: string; adapter: string };
  rows: BackendRow[];
  machine?: { cores: number; cpu: string };
}

/** Measure each model on the app page at `base` (stored measurements accumulate in its localStorage). */
export async function measureBackendRows(page: Page, base: string, models: string[]): Promise<BackendsResult> {
  await page.goto(`${base}/?backend=auto&model=${encodeURIComponent(models[0]!)}`);
  await page.getByTestId('generate').waitFor({ state: 'visible' });
  await page.waitForFunction(() => 'logitscope' in window);
  const environment = await page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    const a = adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none';
    return { userAgent: navigator.userAgent, adapter: a };
  });
  const rows: BackendRow[] = [];
  for (const model of models) {
    const measurement = await page.evaluate((m) => window.logitscope.measureBackends({ model: m, draft: null, backend: 'auto' }), model);
    const rec: RunRecord = await page.evaluate(
      (m) => window.logitscope.run({ model: m, draft: null, backend: 'auto', maxNewTokens: 4, prompt: 'Once upon a time', panels: [{ strategy: 'greedy', params: {} }] }),
      model,
    );
    rows.push({ model, measurement, auto: { backend: rec.model.backend, reason: rec.model.backendReason ?? '' } });
    console.log(`${model}: WASM ${measurement.wasm.msPerToken.toFixed(2)} ms/token, WebGPU ${measurement.webgpu.msPerToken.toFixed(2)} ms/token → auto ran ${rec.model.backend}`);
  }
  return { environment, rows };
}

/** The markdown table of a result. */
export function backendTable(r: BackendsResult): string {
  const ms = (x: number) => x.toFixed(2);
  const rows = r.rows.map((x) => {
    const m = x.measurement;
    return `| ${x.model} | ${ms(m.wasm.msPerToken)} | ${ms(m.wasm.prefillMs)} | ${ms(m.webgpu.msPerToken)} | ${ms(m.webgpu.prefillMs)} | ${(m.webgpu.warmupMs / 1000).toFixed(1)} | ${x.auto.backend} | ${x.auto.reason} |`;
  });
  return [
    `Adapter: ${r.environment.adapter}. Browser: ${r.environment.userAgent}.${r.machine ? ` Machine: ${r.machine.cores} cores, ${r.machine.cpu}.` : ''}`,
    '',
    '| model | WASM ms/token | WASM prefill ms | WebGPU ms/token | WebGPU prefill ms | WebGPU warm-up s | `auto` ran | reason |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
