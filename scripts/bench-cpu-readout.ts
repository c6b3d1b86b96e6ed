/**
 * CPU readout benchmark (`npx tsx scripts/bench-cpu-readout.ts [--repeats R] [--k K] [--json]`;
 * R defaults to 31, halved for the 16-row shapes):
 * median milliseconds of readRowsCpu (the reference / GPU oracle) vs readRowsFast (the WASM
 * backend's path) per readout, for row lengths 32000 / 49152 / 151936 × 1 / 16 rows of realistic
 * logits. `timeCpuReadout` is exported for other Node benchmarks (no DOM, no Vite imports).
 */
import { pathToFileURL } from 'node:url';
import { readRowsCpu } from '../kernels/reference/rowReadout';
import { readRowsFast } from '../kernels/reference/rowReadoutFast';
import type { LogitRowsLayout, RowReadoutOptions } from '../kernels/types';
import { mulberry32 } from '../workers/rng';

export interface CpuReadoutTiming {
  rowLength: number;
  rows: number;
  repeats: number;
  k: number;
  /** Median ms per readout of readRowsCpu. */
  referenceMs: number;
  /** Median ms per readout of readRowsFast. */
  fastMs: number;
}

/** Deterministic logits: normal(0, 3) per entry plus a few large values per row (seeded, mulberry32). */
export function realisticLogits(rowLength: number, rows: number, seed = 1): Float32Array<ArrayBuffer> {
  const rand = mulberry32(seed);
  const data = new Float32Array(rowLength * rows);
  for (let i = 0; i < data.length; i++) data[i] = 3 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 4; j++) data[r * rowLength + Math.floor(rand() * rowLength)] = 15 + 10 * rand();
  }
  return data;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Median ms of one readout (`rows` rows of `rowLength` logits, top-k and a token per row) with
 * readRowsCpu and with readRowsFast; the two run interleaved, after a warm-up (≥ 5 calls, ≥ 100 ms each).
 */
export async function timeCpuReadout(rowLength: number, rows: number, repeats: number, k = 10): Promise<CpuReadoutTiming> {
  const data = realisticLogits(rowLength, rows);
  const layout: LogitRowsLayout = { offsetElems: 0, rowStrideElems: rowLength, rowLength, rows, validVocab: rowLength };
  const opts: RowReadoutOptions = { k, tokenIds: Array.from({ length: rows }, (_, r) => (r * 7919) % rowLength) };
  const ref: number[] = [];
  const fast: number[] = [];
  let sink = 0;
  const time = (f: typeof readRowsCpu, into: number[] | null) => {
    const t0 = performance.now();
    sink += f(data, layout, opts).rows[0]!.lse;
    into?.push(performance.now() - t0);
  };
  // Warm up until both are optimised: at least 5 calls and 100 ms each.
  for (const f of [readRowsCpu, readRowsFast]) {
    const t0 = performance.now();
    for (let w = 0; w < 5 || performance.now() - t0 < 100; w++) time(f, null);
  }
  for (let i = 0; i < repeats; i++) {
    time(readRowsCpu, ref);
    time(readRowsFast, fast);
    if (i % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 0)); // let an event loop breathe
  }
  if (!Number.isFinite(sink)) throw new Error('bench-cpu-readout: non-finite lse');
  return { rowLength, rows, repeats, k, referenceMs: median(ref), fastMs: median(fast) };
}

function option(argv: string[], name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${argv[i + 1]}`);
  return v;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const repeats = option(argv, 'repeats', 31);
  const k = option(argv, 'k', 10);
  const results: CpuReadoutTiming[] = [];
  for (const rowLength of [32000, 49152, 151936]) {
    for (const rows of [1, 16]) results.push(await timeCpuReadout(rowLength, rows, rows > 1 ? Math.max(5, Math.ceil(repeats / 2)) : repeats, k));
  }
  if (argv.includes('--json')) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(`CPU readout, k=${k}, median ms per readout (node ${process.version})`);
  console.log('| row length | rows | repeats | readRowsCpu ms | readRowsFast ms | speed-up |');
  console.log('|-----------:|-----:|--------:|---------------:|----------------:|---------:|');
  for (const r of results) {
    console.log(`| ${r.rowLength} | ${r.rows} | ${r.repeats} | ${r.referenceMs.toFixed(3)} | ${r.fastMs.toFixed(3)} | ${(r.referenceMs / r.fastMs).toFixed(1)}× |`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
