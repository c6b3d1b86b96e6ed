/**
 * Per-backend figures of the built-in models as the page measures them for `backend=auto`
 * (`npm run bench:backends -- [--outDir dist] [--port P] [--base URL] [--models a,b] [--no-write]`):
 * serves the built app (or uses the one already served at `--base`), and on its page times every model on WASM and WebGPU ("Time both backends") and
 * runs it once on `auto`. Prints the table, writes docs/benchmarks/backends.json and regenerates
 * docs/benchmarks.md.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumPath, webgpuArgs } from './chromium';
import { backendTable, measureBackendRows } from './bench/backends';
import { writeBenchmarksMarkdown } from './bench/report';

const BUILTINS = ['builtin:stories260k', 'builtin:stories-draft', 'builtin:tiny-llama', 'builtin:tiny-llama-draft', 'builtin:tiny-llama-padded'];

function option(argv: string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = Number(option(argv, 'port', '4191'));
  const outDir = option(argv, 'outDir', 'dist');
  const models = option(argv, 'models', BUILTINS.join(',')).split(',').filter(Boolean);
  const given = option(argv, 'base', '');
  const base = given || `http://127.0.0.1:${port}`;
  const server = given ? null : spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], { stdio: 'ignore', detached: true });
  try {
    if (server) await sleep(2500);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: webgpuArgs });
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    page.setDefaultTimeout(600_000);
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const result = { ...(await measureBackendRows(page, base, models)), machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' } };
    await browser.close();
    console.log(`\n${backendTable(result)}`);
    if (!argv.includes('--no-write')) {
      mkdirSync('docs/benchmarks', { recursive: true });
      writeFileSync('docs/benchmarks/backends.json', `${JSON.stringify(result, null, 2)}\n`);
      writeBenchmarksMarkdown();
      console.log('wrote docs/benchmarks.md');
    }
  } finally {
    // The server runs in its own process group: end npx and vite together.
    if (server?.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
