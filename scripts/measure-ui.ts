/**
 * UI frame-time measurement (`npx tsx scripts/measure-ui.ts [--outDir dist] [--port 4306]
 * [--tokens 256] [--backend webgpu|wasm] [--view panels|charts]`): serves the built app, opens it in system Chromium at
 * 1280×800 and, while six mixed panels (greedy, sampling, speculative, prompt lookup, contrastive
 * decoding, contrastive search) generate `--tokens` tokens each with the built-in models, records
 * every requestAnimationFrame delta and every long task. Prints p50 / p95 / p99 / max frame times.
 * A short warm-up run first compiles the GPU pipelines, so the figures are about the page, not ORT's
 * first-run compilation. Nothing here asserts a timing: it reports.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantile } from './bench/stats';
import { chromiumPath, webgpuArgs } from './chromium';

/** What to measure. */
export interface UiMeasureOptions {
  tokens: number;
  backend: 'webgpu' | 'wasm';
  prompt: string;
  panels: { strategy: string; params: Record<string, number | string | boolean> }[];
  /** What is on screen while measuring: the top of the page (panels) or the charts scrolled into view. */
  view: 'panels' | 'charts';
}

/** Frame-time figures of one measured run (milliseconds). */
export interface UiFrameFigures {
  view: UiMeasureOptions['view'];
  panels: number;
  tokensPerPanel: number;
  tokensShown: number;
  /** Tokens each panel generated (fewer than tokensPerPanel when a panel met EOS). */
  tokensByPanel: number[];
  frames: number;
  frameMsP50: number;
  frameMsP95: number;
  frameMsP99: number;
  frameMsMax: number;
  /** Frames longer than 50 ms (visible hitches). */
  framesOver50Ms: number;
  longTasks: number;
  longTaskMsTotal: number;
  runSeconds: number;
}

/** The default six panels: one of every kind that runs on the built-in pair at 256 tokens in reasonable time (with seed 3 and this prompt none meets EOS before 256 tokens). */
export const MIXED_PANELS: UiMeasureOptions['panels'] = [
  { strategy: 'greedy', params: {} },
  { strategy: 'sample', params: { temperature: 0.8 } },
  { strategy: 'speculative', params: { k: 4 } },
  { strategy: 'prompt-lookup', params: {} },
  { strategy: 'contrastive', params: {} },
  { strategy: 'contrastive-search', params: { k: 3 } },
];

type Api = { logitscope: { run(o: unknown): Promise<{ panels: { tokens: unknown[] }[] }> } };

/** Runs the measurement on a page already showing the app (window.logitscope present). */
export async function measureUiFrames(page: Page, o: UiMeasureOptions): Promise<UiFrameFigures> {
  // tsx/esbuild names inner functions with a `__name` helper that the page does not have.
  await page.evaluate('globalThis.__name ??= (f) => f');
  const base = { prompt: o.prompt, model: 'builtin:tiny-llama', draft: 'builtin:tiny-llama-draft', backend: o.backend, seed: 3, panels: o.panels };
  await page.evaluate((x) => (window as unknown as Api).logitscope.run({ ...x, maxNewTokens: 4 }), base);
  if (o.view === 'charts') await page.getByTestId('charts').scrollIntoViewIfNeeded();
  const raw = await page.evaluate(
    async (x) => {
      const deltas: number[] = [];
      const long: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
      observer.observe({ type: 'longtask', buffered: false });
      let last = performance.now();
      let on = true;
      const tick = (t: number) => {
        deltas.push(t - last);
        last = t;
        if (on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const t0 = performance.now();
      const rec = await (window as unknown as Api).logitscope.run(x);
      // Let the final record render before stopping.
      await new Promise((r) => setTimeout(r, 500));
      on = false;
      observer.disconnect();
      const shown = document.querySelectorAll('.token').length;
      return { deltas: deltas.slice(1), long, seconds: (performance.now() - t0) / 1000, tokens: rec.panels.map((p) => p.tokens.length), shown };
    },
    { ...base, maxNewTokens: o.tokens },
  );
  const d = raw.deltas;
  return {
    view: o.view,
    panels: o.panels.length,
    tokensPerPanel: o.tokens,
    tokensShown: raw.shown,
    tokensByPanel: raw.tokens,
    frames: d.length,
    frameMsP50: quantile(d, 0.5),
    frameMsP95: quantile(d, 0.95),
    frameMsP99: quantile(d, 0.99),
    frameMsMax: Math.max(...d),
    framesOver50Ms: d.filter((x) => x > 50).length,
    longTasks: raw.long.length,
    longTaskMsTotal: raw.long.reduce((a, b) => a + b, 0),
    runSeconds: raw.seconds,
  };
}

function option(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = Number(option(argv, 'port', '4306'));
  const outDir = option(argv, 'outDir', 'dist');
  const tokens = Number(option(argv, 'tokens', '256'));
  const backend = option(argv, 'backend', 'webgpu');
  const view = option(argv, 'view', 'panels');
  if (view !== 'panels' && view !== 'charts') throw new Error(`--view must be panels or charts, got ${view}`);
  if (!Number.isInteger(tokens) || tokens < 1) throw new Error(`--tokens must be a positive integer, got ${option(argv, 'tokens', '')}`);
  if (backend !== 'webgpu' && backend !== 'wasm') throw new Error(`--backend must be webgpu or wasm, got ${backend}`);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`--port must be a port number, got ${option(argv, 'port', '')}`);
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], {
    stdio: 'ignore',
    detached: true,
  });
  try {
    await sleep(3000);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: webgpuArgs,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'logitscope' in window, null, { timeout: 60_000 });
    const figures = await measureUiFrames(page, {
      tokens,
      backend,
      prompt: 'the cat sat on the mat. the cat sat on the mat. the cat',
      panels: MIXED_PANELS,
      view,
    });
    await browser.close();
    console.log(JSON.stringify({ ...figures, strategies: MIXED_PANELS.map((p) => p.strategy), backend }, null, 2));
  } finally {
    // The preview server runs in its own process group: end npx and vite together.
    if (server.pid) process.kill(-server.pid);
  }
}

if (process.argv[1]?.endsWith('measure-ui.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
