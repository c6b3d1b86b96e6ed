import { NonFiniteRowError, f16ArrayToF32, f32ToF16Bits, type LogitRowsGpu, type LogitRowsLayout, type RowStats, type RowTopK } from '../kernels';
import { mulberry32 } from '../workers/rng';

// Deterministic parity-case data and the GPU-vs-CPU comparison used by harness/kernels.ts.

/** One generated parity case; data is derived deterministically from `seed` in the page. */
export interface ParityCase {
  rowLength: number;
  rows: number;
  k: number;
  dtype: 'f32' | 'f16';
  seed: number;
  /** Defaults to rowLength; entries at or beyond it hold large finite values that must be ignored. */
  validVocab?: number;
  /** Elements before row 0 (filled with large values); default 0. */
  offsetElems?: number;
  /** Default rowLength; gaps between rows hold large values. */
  rowStrideElems?: number;
  /** Probability of a -inf entry; default 0.05. */
  maskedFraction?: number;
  /** Quantise logits to this many levels (dense ties, incl. at the top); default continuous. */
  tieLevels?: number;
  /** Row made entirely -inf below validVocab: both paths must throw naming it. */
  allMaskedRow?: number;
  /** Row given one NaN and one +inf entry: both paths must throw naming it. */
  badRow?: number;
  /** Half-width of the uniform logit range; default 8. */
  scale?: number;
  /** Also run SoftmaxStats and RowSummary standalone against the references; default true. */
  ops?: boolean;
  /** Workgroup size of the kernels under test (WGSL `override WG`); default: the library default. */
  workgroupSize?: number;
}

/** A generated case: layout, f32 data for the CPU path, the bytes to upload, token ids per row. */
export interface Case {
  layout: LogitRowsLayout;
  cpu: Float32Array;
  upload: Uint32Array<ArrayBuffer>;
  tokenIds: (number | null)[];
}

/** Deterministic PRNG (mulberry32) in [0, 1): case data, shared with the Node GPU benchmark. */
export { mulberry32 };

function logitAt(rand: () => number, spec: ParityCase): number {
  if (rand() < (spec.maskedFraction ?? 0.05)) return -Infinity;
  const u = rand();
  if (spec.tieLevels) return Math.floor(u * spec.tieLevels) - spec.tieLevels / 2;
  if (u < 0.002) return u < 0.001 ? 0 : -0;
  return (rand() * 2 - 1) * (spec.scale ?? 8);
}

/** Builds the case's data from its seed (large finite values outside the valid entries). */
export function makeCase(spec: ParityCase): Case {
  const layout: LogitRowsLayout = {
    rows: spec.rows,
    rowLength: spec.rowLength,
    validVocab: spec.validVocab ?? spec.rowLength,
    offsetElems: spec.offsetElems ?? 0,
    rowStrideElems: spec.rowStrideElems ?? spec.rowLength,
  };
  const rand = mulberry32(spec.seed);
  const total = layout.offsetElems + (layout.rows - 1) * layout.rowStrideElems + layout.rowLength;
  const values = new Float32Array(total).fill(50); // outside the valid entries: must be ignored
  for (let r = 0; r < layout.rows; r++) {
    const start = layout.offsetElems + r * layout.rowStrideElems;
    for (let i = 0; i < layout.validVocab; i++) {
      values[start + i] = r === spec.allMaskedRow ? -Infinity : logitAt(rand, spec);
    }
    if (r === spec.badRow) {
      values[start + Math.floor(rand() * layout.validVocab)] = NaN;
      values[start + layout.validVocab - 1] = Infinity;
    }
  }
  const tokenIds = Array.from({ length: layout.rows }, (_, r) =>
    (r + spec.seed) % 4 === 0 ? null : (r + spec.seed) % 4 === 1 ? layout.rowLength - 1 : Math.floor(rand() * layout.validVocab),
  );
  if (spec.dtype === 'f32') {
    const upload = new Uint32Array(values.buffer.slice(0));
    return { layout, cpu: values, upload, tokenIds };
  }
  const halves = new Uint16Array(total + (total % 2));
  values.forEach((v, i) => (halves[i] = f32ToF16Bits(v)));
  return { layout, cpu: f16ArrayToF32(halves.subarray(0, total)), upload: new Uint32Array(halves.buffer), tokenIds };
}

/** Uploads the case into a new STORAGE buffer and describes its rows. */
export function uploadCase(device: GPUDevice, c: Case, dtype: ParityCase['dtype']): LogitRowsGpu {
  const buffer = device.createBuffer({
    label: 'kernelHarness.logits',
    size: c.upload.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
  device.queue.writeBuffer(buffer, 0, c.upload);
  return { ...c.layout, buffer, dtype };
}

/** Collects mismatches: ids exact, floats within 1e-5 relative (absolute below magnitude 1). */
export class Comparator {
  readonly mismatches: string[] = [];
  maxRelErr = 0;

  float(what: string, g: number | null, c: number | null): void {
    if (g === null || c === null || !Number.isFinite(c) || !Number.isFinite(g)) {
      if (g !== c) this.fail(`${what}: gpu ${g} vs cpu ${c}`);
      return;
    }
    const err = Math.abs(g - c) / Math.max(1, Math.abs(c));
    this.maxRelErr = Math.max(this.maxRelErr, err);
    if (err > 1e-5) this.fail(`${what}: gpu ${g} vs cpu ${c} (rel ${err.toExponential(2)})`);
  }

  stats(where: string, g: RowStats[], c: RowStats[]): void {
    if (g.length !== c.length) this.fail(`${where}: ${g.length} rows vs ${c.length}`);
    c.forEach((cr, r) => {
      const gr = g[r];
      if (!gr) return;
      for (const key of ['max', 'lse', 'entropy', 'tokenLogit', 'tokenProb'] as const) {
        this.float(`${where} row ${r} ${key}`, gr[key], cr[key]);
      }
    });
  }

  tops(where: string, g: RowTopK[], c: RowTopK[]): void {
    c.forEach((cr, r) => {
      const gr = g[r];
      if (!gr || gr.topIds.join() !== cr.topIds.join()) {
        this.fail(`${where} row ${r} ids: gpu [${gr?.topIds.slice(0, 8).join()}] vs cpu [${cr.topIds.slice(0, 8).join()}]`);
        return;
      }
      cr.topLogits.forEach((z, i) => this.float(`${where} row ${r} logit ${i}`, gr.topLogits[i] ?? null, z));
    });
  }

  fail(message: string): void {
    if (this.mismatches.length < 12) this.mismatches.push(message);
    else if (this.mismatches.length === 12) this.mismatches.push('...');
  }
}

/** Resolves to the value or the thrown error of `f`, so GPU and CPU paths can be compared either way. */
export async function settle<T>(f: () => T | Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await f() };
  } catch (error) {
    return { error };
  }
}

/** `"<row>/<reason>"` of a NonFiniteRowError, null for any other error. */
export function errorRowOf(error: unknown): string | null {
  return error instanceof NonFiniteRowError ? `${error.row}/${error.reason}` : null;
}
