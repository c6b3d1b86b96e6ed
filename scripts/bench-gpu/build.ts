/**
 * Bundles scripts/bench-gpu/main.ts into one ESM file for plain Node (`webgpu` stays external):
 * WGSL `?raw` imports become strings, `bench-gpu:row-readout-fast` becomes
 * kernels/reference/rowReadoutFast.ts when it exists, and a build stamp is defined.
 *
 *   tsx scripts/bench-gpu/build.ts [--out dist-bench-gpu/bench-gpu.mjs] [--timings-only]
 *   tsx scripts/bench-gpu/build.ts --baseline <git-rev> --out .devicepack/bench-gpu-baseline.mjs
 *   tsx scripts/bench-gpu/build.ts --entry ort-greedy   (ORT greedy tokens/s, dist-bench-gpu/ort-greedy.mjs)
 *
 * --baseline extracts <git-rev> (git archive) into a temporary folder, lays this checkout's
 * scripts/bench-gpu over it and bundles that: the kernels (and the harness / workers the parity
 * uses) of <git-rev>, the benchmark of now. When that does not build, it retries timings-only.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { BuildInfo } from './report';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');

interface BuildOptions {
  root: string;
  /** File name (without .ts) under scripts/bench-gpu/ of the entry point. */
  entry: string;
  out: string;
  timingsOnly: boolean;
  kernelsLabel: string;
  gitRev: string;
  gitDirty: boolean;
}

function git(args: string[], cwd = REPO): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function webgpuVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO, 'node_modules/webgpu/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function plugins(o: BuildOptions, fastFile: string | null): Plugin[] {
  return [
    {
      name: 'wgsl-raw',
      setup(b) {
        b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/\?raw$/, '')), namespace: 'raw-text' }));
        b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text', watchFiles: [args.path] }));
      },
    },
    {
      name: 'bench-gpu-virtual',
      setup(b) {
        b.onResolve({ filter: /^bench-gpu:row-readout-fast$/ }, () => ({ path: 'row-readout-fast', namespace: 'bench-gpu-virtual' }));
        b.onLoad({ filter: /^row-readout-fast$/, namespace: 'bench-gpu-virtual' }, () => ({
          contents: fastFile
            ? `import * as m from ${JSON.stringify(fastFile)};\nconst f = Object.entries(m).find(([name]) => name === 'readRowsFast')?.[1];\nexport const readRowsFast = typeof f === 'function' ? f : null;\n`
            : 'export const readRowsFast = null;\n',
          loader: 'js',
          resolveDir: o.root,
        }));
        if (o.timingsOnly) {
          b.onResolve({ filter: /^\.\/parity$/ }, (args) =>
            args.importer.endsWith('main.ts') ? { path: 'parity-stub', namespace: 'bench-gpu-virtual' } : undefined,
          );
          b.onLoad({ filter: /^parity-stub$/, namespace: 'bench-gpu-virtual' }, () => ({ contents: 'export const runParity = null;\n', loader: 'js' }));
        }
      },
    },
  ];
}

/** Bundles `<root>/scripts/bench-gpu/<entry>.ts` into `o.out`. */
export async function bundle(o: BuildOptions): Promise<void> {
  const fast = join(o.root, 'kernels/reference/rowReadoutFast.ts');
  const fastFile = existsSync(fast) ? fast : null;
  const info: BuildInfo = {
    gitRev: o.gitRev,
    gitDirty: o.gitDirty,
    kernels: o.kernelsLabel,
    builtAt: new Date().toISOString(),
    webgpuVersion: webgpuVersion(),
    fastScanModule: fastFile !== null,
  };
  mkdirSync(dirname(o.out), { recursive: true });
  await build({
    entryPoints: [join(o.root, `scripts/bench-gpu/${o.entry}.ts`)],
    outfile: o.out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['webgpu'],
    define: { __BENCH_GPU_BUILD__: JSON.stringify(info) },
    plugins: plugins(o, fastFile),
    logLevel: 'warning',
    legalComments: 'none',
    banner: { js: `// Logitscope bench-gpu bundle: kernels ${o.kernelsLabel}, built ${info.builtAt} from ${o.gitRev}. Generated; do not edit.` },
  });
  const kib = (statSync(o.out).size / 1024).toFixed(0);
  const what =
    o.entry === 'main' ? `kernels ${o.kernelsLabel}${o.timingsOnly ? ', timings only' : ''}${fastFile ? ', with readRowsFast' : ''}` : `entry ${o.entry}`;
  console.log(`bench-gpu: bundled ${relative(process.cwd(), o.out) || o.out} (${kib} KiB, ${what})`);
}

/** Extracts `rev` into a temporary folder with this checkout's scripts/bench-gpu laid over it. */
function baselineTree(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gpu-baseline-'));
  execFileSync('bash', ['-c', 'set -o pipefail; git archive --format=tar "$1" | tar -x -C "$2"', 'archive', rev, dir], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  rmSync(join(dir, 'scripts/bench-gpu'), { recursive: true, force: true });
  cpSync(join(REPO, 'scripts/bench-gpu'), join(dir, 'scripts/bench-gpu'), { recursive: true });
  return dir;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--out', '--baseline', '--timings-only', '--entry']);
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`build.ts: unknown flag ${a}`);
    if (!a.startsWith('--') && !['--out', '--baseline', '--entry'].includes(argv[i - 1] ?? '')) throw new Error(`build.ts: stray argument ${a}`);
  });
  const baseline = value('--baseline');
  const entry = value('--entry') ?? 'main';
  if (!['main', 'ort-greedy'].includes(entry)) throw new Error(`build.ts: --entry must be main or ort-greedy, got ${entry}`);
  if (entry !== 'main' && baseline) throw new Error('build.ts: --baseline applies to the main entry only');
  const defaultOut = entry === 'main' ? (baseline ? 'bench-gpu-baseline.mjs' : 'bench-gpu.mjs') : `${entry}.mjs`;
  const out = resolve(value('--out') ?? join(REPO, 'dist-bench-gpu', defaultOut));
  const timingsOnly = argv.includes('--timings-only');
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  if (!baseline) {
    const dirty = git(['status', '--porcelain', '--', 'kernels', 'harness', 'workers', 'scripts/bench-gpu']).length > 0;
    await bundle({ root: REPO, entry, out, timingsOnly, kernelsLabel: dirty ? `working tree (${head} + changes)` : head, gitRev: head, gitDirty: dirty });
    return;
  }
  const rev = git(['rev-parse', '--short=12', `${baseline}^{commit}`]);
  const root = baselineTree(rev);
  const base = { root, entry, out, kernelsLabel: `baseline ${rev}`, gitRev: head, gitDirty: false };
  try {
    try {
      await bundle({ ...base, timingsOnly });
    } catch (e) {
      if (timingsOnly) throw e;
      console.warn(`bench-gpu: baseline ${rev} does not build with the parity sweep (${String(e).split('\n')[0]}); retrying timings-only`);
      await bundle({ ...base, timingsOnly: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
