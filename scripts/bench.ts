/**
 * Benchmark driver: serves the built app, opens the harness page in system Chromium (WebGPU on
 * whatever adapter the machine has, SwiftShader here) and prints measured figures as JSON and a
 * markdown table. Usage: tsx scripts/bench.ts [--backend webgpu|wasm] [--tokens N] [--repeats R]
 * [--model builtin:tiny-llama] [--folder /models/builtin/tiny-llama/] [--outDir dist]
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

interface Args {
  backend: 'webgpu' | 'wasm';
  tokens: number;
  repeats: number;
  model: string;
  folder: string;
  port: number;
  outDir: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, dflt: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
  };
  const backend = get('backend', 'webgpu');
  if (backend !== 'webgpu' && backend !== 'wasm') throw new Error(`--backend must be webgpu or wasm, got ${backend}`);
  return { backend, tokens: Number(get('tokens', '64')), repeats: Number(get('repeats', '3')), model: get('model', 'builtin:tiny-llama'), folder: get('folder', '/models/builtin/tiny-llama/'), port: Number(get('port', '4190')), outDir: get('outDir', 'dist') };
}

/** Median, min and max of a sample. */
export function spread(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(a.port), '--strictPort', '--outDir', a.outDir], { stdio: 'ignore', detached: true });
  try {
    await sleep(2500);
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${a.port}/harness.html`);
    await page.waitForFunction(() => 'benchDecode' in window, null, { timeout: 60_000 });
    const env = await page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter();
      return { userAgent: navigator.userAgent, adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none' };
    });
    const ours: Record<string, number>[] = [];
    const theirs: Record<string, number>[] = [];
    let sameTokens = true;
    for (let r = 0; r < a.repeats; r++) {
      const o = await page.evaluate((x) => (window as unknown as { benchDecode: { ours(x: unknown): Promise<Record<string, number> & { tokens: number[] }> } }).benchDecode.ours(x), { model: a.model, prompt: 'Once upon a time', tokens: a.tokens, backend: a.backend });
      const t = await page.evaluate((x) => (window as unknown as { benchDecode: { transformers(x: unknown): Promise<Record<string, number> & { tokens: number[] }> } }).benchDecode.transformers(x), { folder: a.folder, prompt: 'Once upon a time', tokens: a.tokens, backend: a.backend });
      const n = Math.min(o.tokens.length, t.tokens.length);
      sameTokens &&= o.tokens.slice(0, n).every((id, i) => id === t.tokens[i]);
      ours.push(o);
      theirs.push(t);
    }
    await browser.close();
    const ratio = ours.map((o, i) => o.tokensPerSecond! / theirs[i]!.tokensPerSecond!);
    const result = {
      machine: { ...env, backend: a.backend, cores: (await import('node:os')).cpus().length },
      model: a.model,
      tokens: a.tokens,
      repeats: a.repeats,
      ours: { tokensPerSecond: spread(ours.map((o) => o.tokensPerSecond!)), timeToFirstTokenMs: spread(ours.map((o) => o.timeToFirstTokenMs!)), readbackBytesPerToken: spread(ours.map((o) => o.readbackBytesPerToken!)), targetForwardsPerToken: spread(ours.map((o) => o.targetForwardsPerToken!)) },
      transformersJs: { tokensPerSecond: spread(theirs.map((t) => t.tokensPerSecond!)) },
      ratioOursOverTransformersJs: spread(ratio),
      sameGreedyTokens: sameTokens,
    };
    console.log(JSON.stringify(result, null, 2));
    const f = (s: { median: number; min: number; max: number }, d = 1) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
    console.log(`\n| backend | our greedy tok/s | transformers.js generate tok/s | ratio | readback B/token | TTFT ms |\n|---|---|---|---|---|---|\n| ${a.backend} | ${f(result.ours.tokensPerSecond)} | ${f(result.transformersJs.tokensPerSecond)} | ${f(result.ratioOursOverTransformersJs, 2)} | ${f(result.ours.readbackBytesPerToken, 0)} | ${f(result.ours.timeToFirstTokenMs, 0)} |`);
  } finally {
    // The server runs in its own process group: end npx and vite together.
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
