/**
 * Kernel parity sweep and readout timings in Node on a real WebGPU adapter (dawn.node from the
 * `webgpu` package), no browser. Built into one ESM file by build.ts (`npm run bench:gpu`):
 *
 *   node dist-bench-gpu/bench-gpu.mjs [--quick] [--json FILE] [--iterations N] [--warmup N] [--k N]
 *     [--lengths 258,32000] [--rows 1,4] [--budget-ms MS] [--no-parity] [--no-timings]
 *     [--readout-only] [--verbose] [--label TEXT] [--dawn FLAG]...
 *
 * Prints the adapter, the parity counts (failures in detail) and a markdown table; exits 1 when a
 * parity case fails, 2 when the run itself fails (no adapter, WebGPU error).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readRowsFast as fastModule } from 'bench-gpu:row-readout-fast';
import { MAX_ROW_LENGTH } from '../../kernels/limits';
import { adapterLine, DEFAULT_DAWN_FLAGS, openGpu } from './device';
import { runParity, type ReadRows } from './parity';
import { renderMarkdown, type BenchGpuReport, type BuildInfo } from './report';
import { timeFloor, timeShapes, type TimingOptions } from './timings';

/** Build stamp, replaced by esbuild's `define` (build.ts). */
declare const __BENCH_GPU_BUILD__: BuildInfo;

interface Cli {
  quick: boolean;
  json: string | null;
  iterations: number;
  warmup: number;
  k: number;
  lengths: number[];
  rowsList: number[];
  budgetMs: number;
  parity: boolean;
  timings: boolean;
  readoutOnly: boolean;
  verbose: boolean;
  label: string;
  dawn: string[];
}

const USAGE = `usage: bench-gpu.mjs [--quick] [--json FILE] [--iterations N] [--warmup N] [--k N]
  [--lengths a,b,...] [--rows a,b,...] [--budget-ms MS] [--no-parity] [--no-timings]
  [--readout-only] [--verbose] [--label TEXT] [--dawn FLAG]...`;

function parseCli(argv: string[]): Cli {
  const quick = argv.includes('--quick');
  const cli: Cli = {
    quick,
    json: null,
    iterations: quick ? 15 : 50,
    warmup: quick ? 2 : 5,
    k: 10,
    lengths: (quick ? [258, 32_000, 151_936] : [258, 32_000, 49_152, 151_936, 262_144]).filter((n) => n <= MAX_ROW_LENGTH),
    rowsList: quick ? [1, 4] : [1, 4, 16],
    budgetMs: quick ? 1500 : 4000,
    parity: true,
    timings: true,
    readoutOnly: false,
    verbose: false,
    label: 'current',
    dawn: [],
  };
  const int = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got ${v}`);
    return n;
  };
  const list = (flag: string, v: string | undefined) => (v ?? '').split(',').map((x) => int(flag, x, 1));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--quick':
        break;
      case '--json':
        cli.json = next();
        break;
      case '--iterations':
        cli.iterations = int(a, next(), 1);
        break;
      case '--warmup':
        cli.warmup = int(a, next(), 0);
        break;
      case '--k':
        cli.k = int(a, next(), 1);
        break;
      case '--budget-ms':
        cli.budgetMs = int(a, next(), 0);
        break;
      case '--lengths':
        cli.lengths = list(a, next());
        break;
      case '--rows':
        cli.rowsList = list(a, next());
        break;
      case '--no-parity':
        cli.parity = false;
        break;
      case '--no-timings':
        cli.timings = false;
        break;
      case '--readout-only':
        cli.readoutOnly = true;
        break;
      case '--verbose':
        cli.verbose = true;
        break;
      case '--label':
        cli.label = next();
        break;
      case '--dawn':
        cli.dawn.push(next());
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  return cli;
}

function webgpuPackageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('webgpu/package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? __BENCH_GPU_BUILD__.webgpuVersion;
  } catch {
    return `${__BENCH_GPU_BUILD__.webgpuVersion} (at build time)`;
  }
}

async function main(): Promise<number> {
  const t0 = performance.now();
  const cli = parseCli(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const build = __BENCH_GPU_BUILD__;
  const dawnFlags = cli.dawn.length > 0 ? cli.dawn : DEFAULT_DAWN_FLAGS;
  const ctx = await openGpu(dawnFlags);
  const readRowsFast = fastModule as ReadRows | null;
  log(`adapter: ${adapterLine(ctx.adapter)}`);
  log(
    `node ${process.version}, webgpu ${webgpuPackageVersion()}, kernels ${build.kernels} (${build.gitRev}${build.gitDirty ? '+dirty' : ''}), timestamp-query ${ctx.hasTimestamps ? 'yes' : 'no'}, readRowsFast ${readRowsFast ? 'yes' : 'absent'}`,
  );

  let parity: BenchGpuReport['parity'] = null;
  // runParity is null in a timings-only bundle (build.ts --timings-only, e.g. an old baseline).
  const parityRunner = runParity as typeof runParity | null;
  if (cli.parity && parityRunner) {
    log('parity:');
    parity = await parityRunner(ctx, { quick: cli.quick, readRowsFast, verbose: cli.verbose, readoutOnly: cli.readoutOnly, log });
  } else if (cli.parity) {
    log('parity: not in this bundle (timings-only build)');
  }

  const timingOptions: TimingOptions = {
    lengths: cli.lengths,
    rowsList: cli.rowsList,
    k: cli.k,
    iterations: cli.iterations,
    warmup: cli.warmup,
    budgetMs: cli.budgetMs,
    readRowsFast,
    log,
  };
  const deviceErrorsBefore = ctx.errors.length;
  let floor: BenchGpuReport['floor'] = null;
  let shapes: BenchGpuReport['shapes'] = [];
  if (cli.timings) {
    log('timings (f32):');
    floor = await timeFloor(ctx, timingOptions);
    shapes = await timeShapes(ctx, timingOptions);
  }
  const report: BenchGpuReport = {
    schema: 'logitscope-bench-gpu/1',
    label: cli.label,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    webgpuPackage: webgpuPackageVersion(),
    build,
    adapter: ctx.adapter,
    timestampQuery: ctx.hasTimestamps,
    options: { quick: cli.quick, iterations: cli.iterations, warmup: cli.warmup, k: cli.k, budgetMs: cli.budgetMs, fastScan: readRowsFast !== null },
    parity,
    floor,
    shapes,
    deviceErrors: ctx.errors.slice(deviceErrorsBefore),
    totalSeconds: (performance.now() - t0) / 1000,
  };
  log('');
  log(renderMarkdown(report));
  if (parity && parity.failures.length > 0) {
    log(`${parity.failures.length} parity failure(s):`);
    for (const f of parity.failures) log(`  ${f.group} ${f.name}\n    ${f.mismatches.join('\n    ')}`);
  }
  if (cli.json) {
    writeFileSync(cli.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${cli.json}`);
  }
  ctx.device.destroy();
  if (report.deviceErrors.length > 0) return 2;
  return parity && parity.failures.length > 0 ? 1 : 0;
}

// dawn.node keeps the process alive while its GPU object is reachable: exit explicitly.
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
