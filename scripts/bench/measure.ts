import type { Page } from '@playwright/test';
import { quantile, spread, type Spread } from './stats';

/** What one benchmark run measures (see docs/benchmarks.md for the meaning of each figure). */
export interface BenchOptions {
  backend: 'webgpu' | 'wasm';
  /** New tokens per measured run. */
  tokens: number;
  /** Per-strategy token counts that replace `tokens` (CNTP branches into many forwards per token). */
  tokensFor?: Record<string, number>;
  repeats: number;
  model: string;
  /** Same model as a folder path, for transformers.js. */
  folder: string;
  draft: string;
  prompt: string;
  /** Kernel row lengths and row counts. */
  kernelRows: number[];
  kernelBatches: number[];
  kernelIters: number;
  /** UI frame-time run: panels × tokens (0 panels skips it). */
  uiPanels: number;
  uiTokens: number;
  /** Measure only these strategy ids (all registered ones when absent). */
  strategies?: string[];
  /** Run the transformers.js baseline (default true; needs greedy among the strategies). */
  baseline?: boolean;
}

/** Per-strategy figures. */
export interface StrategyFigures {
  strategy: string;
  /** New tokens per measured run of this strategy. */
  tokens: number;
  tokensPerSecond: Spread;
  timeToFirstTokenMs: Spread;
  msPerToken: Spread;
  targetForwardsPerToken: Spread;
  draftForwardsPerToken: Spread;
  readbackBytesPerToken: Spread;
  tokensPerTargetForward: Spread;
  submitsPerToken: Spread;
  /** Tokens per second of the whole run as the page sees it (absent in runs made before it was measured). */
  endToEndTokensPerSecond?: Spread;
  /** Per-token breakdown of the whole run: milliseconds in onnxruntime's run, and in all (absent in older runs). */
  ortMsPerToken?: Spread;
  runMsPerToken?: Spread;
  /** Our part of submitsPerToken (kernels, KV-cache copies); absent in runs made before the split. */
  ourSubmitsPerToken?: Spread;
  /** ORT's part of submitsPerToken (forward passes); absent in runs made before the split. */
  ortSubmitsPerToken?: Spread;
}

/** Everything one run of the harness produces. */
export interface BenchResult {
  environment: { userAgent: string; adapter: string; backend: string };
  options: BenchOptions;
  strategies: StrategyFigures[];
  /** Strategies the model cannot run (DoLa on a model without per-layer logits), with the reason. */
  skipped?: { strategy: string; reason: string }[];
    /**
   * transformers.js comparison; null when it was not run. greedyRatio divides our end-to-end greedy
   * tok/s (the run as the page waits for it, as generate() is timed) by theirs, run by run of the
   * pairs; decodeRatio divides our decoding-time tok/s (absent in runs made before the end-to-end
   * figure, whose greedyRatio was that one and compared the strategy table's greedy runs).
   */
  baseline: {
    transformersJsTokensPerSecond: Spread;
    greedyRatio: Spread;
    decodeRatio?: Spread;
    /** transformers.js's milliseconds per token: in onnxruntime's run, and in all (absent in older runs). */
    transformersJsOrtMsPerToken?: Spread;
    transformersJsRunMsPerToken?: Spread;
    /** Our greedy runs paired with theirs: run tok/s, and ms per token in onnxruntime's run and in all (absent in older runs). */
    oursRunTokensPerSecond?: Spread;
    oursOrtMsPerToken?: Spread;
    oursRunMsPerToken?: Spread;
    sameGreedyTokens: boolean;
  } | null;
  kernels: { rowLength: number; rows: number; gpuReadoutMs: Spread; fullReadbackCpuMs: Spread; gpuBytes: number; fullBytes: number }[];
  ui: { panels: number; tokens: number; frameMsP50: number; frameMsP95: number; frames: number } | null;
}

type Fig = Record<string, number> & { tokens: number[] };
type Bench = { benchDecode: { ours(x: unknown): Promise<Fig>; transformers(x: unknown): Promise<Fig>; strategies(): Promise<{ id: string; needsDraft: boolean; needsLayerLogits: boolean; needsSuperposedInput: boolean }[]> } };
type Kern = { kernelHarness: { bench(x: unknown): Promise<Record<string, number>> } };

const FIELDS = ['tokensPerSecond', 'timeToFirstTokenMs', 'msPerToken', 'targetForwardsPerToken', 'draftForwardsPerToken', 'readbackBytesPerToken', 'submitsPerToken', 'ourSubmitsPerToken', 'ortSubmitsPerToken', 'endToEndTokensPerSecond', 'ortMsPerToken', 'runMsPerToken'] as const;

/** One measured run of strategy `id` through our worker (the harness warms it up first). */
function runOurs(page: Page, o: BenchOptions, id: string, needsDraft: boolean): Promise<Fig> {
  const spec = { model: o.model, draft: needsDraft ? o.draft : null, prompt: o.prompt, tokens: o.tokensFor?.[id] ?? o.tokens, backend: o.backend, strategy: id };
  return page.evaluate((x) => (window as unknown as Bench).benchDecode.ours(x), spec);
}

async function strategyFigures(page: Page, o: BenchOptions, id: string, needsDraft: boolean): Promise<{ figs: StrategyFigures; runs: Fig[] }> {
  const runs: Fig[] = [];
  for (let r = 0; r < o.repeats; r++) runs.push(await runOurs(page, o, id, needsDraft));
  const figs = { strategy: id, tokens: o.tokensFor?.[id] ?? o.tokens } as StrategyFigures;
  for (const f of FIELDS) figs[f] = spread(runs.map((x) => x[f]!));
  figs.tokensPerTargetForward = spread(runs.map((x) => x.meanAcceptedLength!));
  return { figs, runs };
}

async function kernelFigures(page: Page, o: BenchOptions): Promise<BenchResult['kernels']> {
  const out: BenchResult['kernels'] = [];
  if (o.backend !== 'webgpu') return out;
  for (const rowLength of o.kernelRows) {
    for (const rows of o.kernelBatches) {
      const samples: Record<string, number>[] = [];
      for (let r = 0; r < o.repeats; r++) samples.push(await page.evaluate((x) => (window as unknown as Kern).kernelHarness.bench(x), { rowLength, rows, iters: o.kernelIters }));
      out.push({
        rowLength,
        rows,
        gpuReadoutMs: spread(samples.map((s) => s.gpuReadoutMs!)),
        fullReadbackCpuMs: spread(samples.map((s) => s.fullReadbackCpuMs!)),
        gpuBytes: samples[0]!.gpuBytes!,
        fullBytes: samples[0]!.fullBytes!,
      });
    }
  }
  return out;
}

/** Frame times (requestAnimationFrame deltas) on the app page while `uiPanels` greedy panels generate. */
async function uiFigures(page: Page, base: string, o: BenchOptions): Promise<BenchResult['ui']> {
  if (o.uiPanels <= 0) return null;
  await page.goto(`${base}/`);
  await page.waitForFunction(() => 'logitscope' in window);
  const deltas = await page.evaluate(async (x) => {
    const api = (window as unknown as { logitscope: { run(o: unknown): Promise<unknown> } }).logitscope;
    const panels = Array.from({ length: x.panels }, () => ({ strategy: 'greedy', params: {} }));
    await api.run({ prompt: x.prompt, maxNewTokens: 4, backend: x.backend, panels });
    const ds: number[] = [];
    let last = performance.now();
    let on = true;
    const tick = (t: number) => {
      ds.push(t - last);
      last = t;
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    await api.run({ prompt: x.prompt, maxNewTokens: x.tokens, backend: x.backend, panels });
    on = false;
    return ds.slice(1);
  }, { panels: o.uiPanels, tokens: o.uiTokens, prompt: o.prompt, backend: o.backend });
  return { panels: o.uiPanels, tokens: o.uiTokens, frameMsP50: quantile(deltas, 0.5), frameMsP95: quantile(deltas, 0.95), frames: deltas.length };
}

/**
 * transformers.js greedy on the same model, against our greedy in pairs: one unmeasured full-length
 * run of each first (WebAssembly tiers up its hot functions over the first runs of an instance, and
 * each side has its own: ours in the worker, transformers.js's on the page), then `repeats` pairs in
 * alternating order, so that neither side always runs first on a machine whose speed drifts.
 */
async function baselineFigures(page: Page, o: BenchOptions): Promise<NonNullable<BenchResult['baseline']>> {
  const theirsSpec = { folder: o.folder, prompt: o.prompt, tokens: o.tokens, backend: o.backend };
  const ours = () => runOurs(page, o, 'greedy', false);
  const transformers = () => page.evaluate((x) => (window as unknown as Bench).benchDecode.transformers(x), theirsSpec);
  await ours();
  await transformers();
  const mine: Fig[] = [];
  const theirs: Fig[] = [];
  for (let r = 0; r < o.repeats; r++) {
    if (r % 2 === 0) {
      mine.push(await ours());
      theirs.push(await transformers());
    } else {
      theirs.push(await transformers());
      mine.push(await ours());
    }
  }
  const sameGreedyTokens = mine.every((g, i) => g.tokens.every((id, j) => theirs[i]!.tokens[j] === undefined || theirs[i]!.tokens[j] === id));
  return {
    transformersJsTokensPerSecond: spread(theirs.map((t) => t.tokensPerSecond!)),
    transformersJsOrtMsPerToken: spread(theirs.map((t) => t.ortMsPerToken!)),
    transformersJsRunMsPerToken: spread(theirs.map((t) => t.runMsPerToken!)),
    oursRunTokensPerSecond: spread(mine.map((g) => g.endToEndTokensPerSecond!)),
    oursOrtMsPerToken: spread(mine.map((g) => g.ortMsPerToken!)),
    oursRunMsPerToken: spread(mine.map((g) => g.runMsPerToken!)),
    greedyRatio: spread(mine.map((g, i) => g.endToEndTokensPerSecond! / theirs[i]!.tokensPerSecond!)),
    decodeRatio: spread(mine.map((g, i) => g.tokensPerSecond! / theirs[i]!.tokensPerSecond!)),
    sameGreedyTokens,
  };
}

/** Run every measurement on a page served from `base` (the built app). */
export async function runBench(page: Page, base: string, o: BenchOptions): Promise<BenchResult> {
  // tsx (esbuild keepNames) wraps named inner functions in __name(): give the page a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await page.goto(`${base}/harness.html`);
  await page.waitForFunction(() => 'benchDecode' in window && 'kernelHarness' in window, null, { timeout: 60_000 });
  const environment = await page.evaluate(async (backend) => {
    const adapter = await navigator.gpu?.requestAdapter();
    const a = adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none';
    return { userAgent: navigator.userAgent, adapter: a, backend };
  }, o.backend);
  const registered = await page.evaluate(() => (window as unknown as Bench).benchDecode.strategies());
  const unknown = (o.strategies ?? []).filter((id) => !registered.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`unknown strategies: ${unknown.join(', ')} (registered: ${registered.map((s) => s.id).join(', ')})`);
  const list = o.strategies ? registered.filter((s) => o.strategies!.includes(s.id)) : registered;
  const strategies: StrategyFigures[] = [];
  const skipped: { strategy: string; reason: string }[] = [];
  let greedyRuns: Fig[] = [];
  // Superposed decoding runs only on a model whose config.json names the superposed-input graph.
  const superposedGraph = await page.evaluate(async (folder) => {
    const config = (await (await fetch(`${folder}config.json`)).json()) as { logitscope?: { superposedGraph?: unknown } };
    return typeof config.logitscope?.superposedGraph === 'string';
  }, o.folder);
  for (const s of list) {
    if (s.needsSuperposedInput && !superposedGraph) {
      skipped.push({ strategy: s.id, reason: `${o.model} has no superposed-input graph` });
      continue;
    }
    // Greedy runs first (registry order) and tells whether the model has per-layer logits.
    if (s.needsLayerLogits && greedyRuns[0]?.lensLayers === 0) {
      skipped.push({ strategy: s.id, reason: `${o.model} exports no layer_logits` });
      continue;
    }
    const { figs, runs } = await strategyFigures(page, o, s.id, s.needsDraft);
    strategies.push(figs);
    if (s.id === 'greedy') greedyRuns = runs;
  }
  const baseline = o.baseline === false || greedyRuns.length === 0 ? null : await baselineFigures(page, o);
  const kernels = await kernelFigures(page, o);
  const ui = await uiFigures(page, base, o);
  return { environment, options: o, strategies, skipped, baseline, kernels, ui };
}
