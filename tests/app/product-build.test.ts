// The product build against the test build: the kernel harness page, the GPU submit counter and
// the device-loss hook exist only in the test build (LOGITSCOPE_HARNESS=1, `npm run build:test`).
// Both builds are real `vite build` runs into temporary folders; the test-build half proves each
// marker searched for really is what the hooks compile to, so the product-build half can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');

/** Builds the app into a fresh temporary folder; `test` = the test/bench build. */
async function buildInto(test: boolean): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), test ? 'logitscope-test-build-' : 'logitscope-product-build-'));
  const saved = process.env.LOGITSCOPE_HARNESS;
  if (test) process.env.LOGITSCOPE_HARNESS = '1';
  else delete process.env.LOGITSCOPE_HARNESS;
  try {
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    if (saved === undefined) delete process.env.LOGITSCOPE_HARNESS;
    else process.env.LOGITSCOPE_HARNESS = saved;
  }
  return outDir;
}

/** The JavaScript chunks of a build, by file name. */
function chunks(dir: string): Map<string, string> {
  const assets = join(dir, 'assets');
  return new Map(
    readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => [f, readFileSync(join(assets, f), 'utf8')]),
  );
}

/** The precache list baked into the build's sw.js. */
function precached(dir: string): string[] {
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const m = /\[("\/[^\]]*)\]/.exec(sw);
  if (!m) throw new Error('no precache list in sw.js');
  return JSON.parse(`[${m[1]}]`) as string[];
}

const workerOf = (c: Map<string, string>) => [...c].find(([f]) => f.startsWith('decode.worker-'))?.[1] ?? '';
const mainOf = (c: Map<string, string>) => [...c].find(([f]) => f.startsWith('main-'))?.[1] ?? '';

describe('product build vs test build', () => {
  let product = '';
  let testBuild = '';
  beforeAll(async () => {
    product = await buildInto(false);
    testBuild = await buildInto(true);
  }, 240_000);
  afterAll(() => {
    for (const d of [product, testBuild]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('the test build has the harness page, the submit counter and the device-loss hook', () => {
    expect(existsSync(join(testBuild, 'harness.html'))).toBe(true);
    const c = chunks(testBuild);
    expect([...c.keys()].some((f) => f.startsWith('harness-'))).toBe(true);
    expect(workerOf(c).includes('GPUQueue.prototype'), 'submit counter in the test worker').toBe(true);
    expect(/loseDevice:/.test(mainOf(c)), 'debug.loseDevice in the test app').toBe(true);
    expect(/blockWorker:/.test(mainOf(c)), 'debug.blockWorker in the test app').toBe(true);
    // The harness is still never precached, even in the test build.
    expect(precached(testBuild).some((p) => p.includes('harness'))).toBe(false);
  });

  it('the product build has none of them, and its service worker precaches no harness file', () => {
    expect(existsSync(join(product, 'harness.html'))).toBe(false);
    const c = chunks(product);
    expect([...c.keys()].filter((f) => f.includes('harness'))).toEqual([]);
    expect(workerOf(c)).not.toBe('');
    expect(workerOf(c).includes('GPUQueue.prototype'), 'submit counter in the product worker').toBe(false);
    expect(mainOf(c)).not.toBe('');
    expect(/loseDevice:/.test(mainOf(c)), 'debug.loseDevice in the product app').toBe(false);
    expect(/blockWorker:/.test(mainOf(c)), 'debug.blockWorker in the product app').toBe(false);
    const list = precached(product);
    expect(list).toContain('/index.html');
    expect(list.filter((p) => p.includes('harness'))).toEqual([]);
  });
});
