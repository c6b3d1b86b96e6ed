/**
 * Benchmark driver (`npm run bench -- [--backend webgpu|wasm] [--tokens N] [--repeats R]
 * [--model builtin:tiny-llama] [--folder /models/builtin/tiny-llama/] [--outDir dist] [--port P]
 * [--strategies greedy,cntp [--baseline]] [--no-write]`): serves the built app, opens the harness
 * page in system Chromium and measures every strategy, the transformers.js baseline (greedy pairs),
 * the kernels and the UI frame times; prints JSON, writes docs/benchmarks/<backend>.json and
 * regenerates docs/benchmarks.md from every backend's JSON. `--strategies` measures only the listed
 * strategies (no kernels or UI run; the baseline only with `--baseline`) and writes nothing: it
 * prints their table.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumPath, webgpuArgs } from './chromium';
import { runBench, type BenchOptions } from './bench/measure';
import { strategyTable, writeBenchmarksMarkdown } from './bench/report';

function option(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
}

function parse(argv: string[]): { o: BenchOptions; port: number; outDir: string; write: boolean } {
  const only = argv.includes('--strategies') ? option(argv, 'strategies', '').split(',').filter((x) => x !== '') : null;
  if (only && only.length === 0) throw new Error('--strategies needs a comma-separated list of strategy ids');
  const backend = option(argv, 'backend', 'webgpu');
  if (backend !== 'webgpu' && backend !== 'wasm') throw new Error(`--backend must be webgpu or wasm, got ${backend}`);
  const int = (name: string, d: string) => {
    const v = Number(option(argv, name, d));
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${option(argv, name, d)}`);
    return v;
  };
  return {
    o: {
      backend,
      tokens: int('tokens', '32'),
      tokensFor: { cntp: int('cntpTokens', '12') },
      repeats: Math.max(1, int('repeats', '3')),
      model: option(argv, 'model', 'builtin:tiny-llama'),
      folder: option(argv, 'folder', '/models/builtin/tiny-llama/'),
      draft: option(argv, 'draft', 'builtin:tiny-llama-draft'),
      prompt: option(argv, 'prompt', 'the cat sat on the mat. the cat sat on the mat. the cat'),
      kernelRows: only ? [] : [32000, 49152, 151936],
      kernelBatches: [1, 4],
      kernelIters: int('kernelIters', '5'),
      uiPanels: only ? 0 : int('uiPanels', '6'),
      uiTokens: int('uiTokens', '256'),
      ...(only ? { strategies: only, baseline: argv.includes('--baseline') } : {}),
    },
    port: int('port', '4190'),
    outDir: option(argv, 'outDir', 'dist'),
    // A partial run never replaces the full figures.
    write: !only && !argv.includes('--no-write'),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { o, port, outDir, write } = parse(argv);
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], { stdio: 'ignore', detached: true });
  try {
    await sleep(2500);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: webgpuArgs,
    });
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const t0 = Date.now();
    const result = await runBench(page, `http://127.0.0.1:${port}`, o);
    await browser.close();
    const full = { ...result, machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' }, seconds: (Date.now() - t0) / 1000 };
    console.log(JSON.stringify(full, null, 2));
    if (o.strategies) console.log(`\n${strategyTable(full)}`);
    if (write) {
      mkdirSync('docs/benchmarks', { recursive: true });
      writeFileSync(`docs/benchmarks/${o.backend}.json`, `${JSON.stringify(full, null, 2)}\n`);
      writeBenchmarksMarkdown();
      console.log('wrote docs/benchmarks.md');
    }
  } finally {
    // The server runs in its own process group: end npx and vite together.
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
