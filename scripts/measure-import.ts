/**
 * Import cost of a large run file (`npx tsx scripts/measure-import.ts [--outDir dist] [--port 4307]
 * [--panels 6] [--tokens 2048] [--profile]`): serves the built app in system Chromium at 1280×800, makes a real
 * record (six greedy panels on builtin:tiny-llama, WASM, 128 tokens each), repeats its tokens up to
 * `--tokens` per panel (the shape of a run at the worker's limits), imports it through the Import
 * button, and reports the time until every token is on screen, the long tasks meanwhile, and the
 * frame times while the page, then each panel's stream, is scrolled from top to bottom. It reports; it asserts nothing.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantile } from './bench/stats';
import { chromiumPath, webgpuArgs } from './chromium';

function option(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
}

type Rec = { maxNewTokens: number; panels: { tokens: unknown[]; stats: Record<string, unknown> }[] };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = Number(option(argv, 'port', '4307'));
  const outDir = option(argv, 'outDir', 'dist');
  const panels = Number(option(argv, 'panels', '6'));
  const tokens = Number(option(argv, 'tokens', '2048'));
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], { stdio: 'ignore', detached: true });
  try {
    await sleep(3000);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: webgpuArgs });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/?model=builtin:tiny-llama&backend=wasm`);
    await page.waitForFunction(() => 'logitscope' in window, null, { timeout: 60_000 });
    await page.evaluate('globalThis.__name ??= (f) => f');
    const base = (await page.evaluate(
      (n) => window.logitscope.run({ prompt: 'Tell me a story', model: 'builtin:tiny-llama', draft: null, backend: 'wasm', maxNewTokens: 128, seed: 0, panels: Array.from({ length: n }, () => ({ strategy: 'greedy', params: {} })) }),
      panels,
    )) as unknown as Rec;
    const big: Rec = structuredClone(base);
    big.maxNewTokens = tokens;
    for (const p of big.panels) {
      const src = p.tokens;
      p.tokens = Array.from({ length: tokens }, (_, i) => src[i % src.length]);
      p.stats = { ...p.stats, tokens };
    }
    const json = JSON.stringify(big);
    console.log(`record: ${panels} panels × ${tokens} tokens, ${(json.length / 1e6).toFixed(1)} MB`);
    const file = join(mkdtempSync(join(tmpdir(), 'logitscope-import-')), 'big.json');
    writeFileSync(file, json);
    // A fresh page, so the import is measured on its own.
    await page.reload();
    await page.waitForFunction(() => 'logitscope' in window, null, { timeout: 60_000 });
    await page.evaluate('globalThis.__name ??= (f) => f');
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: false });
    });
    const profile = argv.includes('--profile');
    const cdp = profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const t0 = Date.now();
    // From a file on disk, as a user picks one (a buffer would be sent through the page as base64).
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('imported-banner').waitFor({ timeout: 300_000 });
    const want = panels * tokens;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=tokens] .token').length >= n, want, { timeout: 300_000, polling: 100 });
    const importMs = Date.now() - t0;
    if (cdp) {
      // Self time per function (build with `--minify false` for readable names).
      const { profile: p } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
      const byNode = new Map<number, number>();
      p.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
      const byFn = new Map<string, number>();
      for (const n of p.nodes) {
        const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        byFn.set(k, (byFn.get(k) ?? 0) + (byNode.get(n.id) ?? 0) / 1000);
      }
      console.log([...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
    }
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    const scroll = await page.evaluate(async () => {
      const deltas: number[] = [];
      let last = performance.now();
      const end = document.documentElement.scrollHeight - innerHeight;
      window.scrollTo(0, 0);
      await new Promise<void>((done) => {
        const tick = (t: number) => {
          deltas.push(t - last);
          last = t;
          if (window.scrollY >= end - 1) return done();
          window.scrollBy(0, 120);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return { deltas: deltas.slice(1), height: document.documentElement.scrollHeight };
    });
    // Each panel's stream scrolls on its own (max-height 60vh): scroll them all, top to bottom.
    const streams = await page.evaluate(async () => {
      const deltas: number[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.stream'))) {
        el.scrollIntoView({ block: 'nearest' });
        el.scrollTop = 0;
        let last = performance.now();
        await new Promise<void>((done) => {
          const tick = (t: number) => {
            deltas.push(t - last);
            last = t;
            if (el.scrollTop >= el.scrollHeight - el.clientHeight - 1) return done();
            el.scrollTop += 120;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
      }
      return deltas.filter((_, i) => i > 0);
    });
    const d = scroll.deltas;
    console.log(
      JSON.stringify(
        {
          panels,
          tokensPerPanel: tokens,
          tokensShown: want,
          importToAllTokensMs: importMs,
          longTasksDuringImport: long.length,
          longestTaskMs: Math.max(0, ...long),
          longTaskMsTotal: long.reduce((a, b) => a + b, 0),
          scrollFrames: d.length,
          pageHeightPx: scroll.height,
          scrollFrameMsP50: quantile(d, 0.5),
          scrollFrameMsP95: quantile(d, 0.95),
          scrollFrameMsMax: Math.max(...d),
          streamScrollFrames: streams.length,
          streamScrollFrameMsP50: quantile(streams, 0.5),
          streamScrollFrameMsP95: quantile(streams, 0.95),
          streamScrollFrameMsMax: Math.max(...streams),
        },
        null,
        2,
      ),
    );
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
