import type * as ort from 'onnxruntime-web/webgpu';
import { W2sFusion } from '../../../kernels/ops/w2sFusion';
import { fusedRowCpu, w2sStatsCpu, type W2sRowCpu, type W2sStats } from '../../../kernels/reference/w2sFusion';
import { NonFiniteRowError } from '../../../kernels/errors';
import { Logits } from '../../../workers/model/logits';
import { LogitscopeError } from '../../../workers/errors';
import type { LogitRowsGpu } from '../../../kernels/types';

/** One row of one Logits: the logits and the row index ([batch·seq] flattened). */
export interface RowRef {
  logits: Logits;
  row: number;
}

/** The three rows of one position: large base, small base, small expert. */
export interface W2sRows {
  large: RowRef;
  small: RowRef;
  expert: RowRef;
}

/** The common support bound of three rows: the smallest validVocab. */
export function commonValid(rows: W2sRows): number {
  return Math.min(rows.large.logits.validVocab, rows.small.logits.validVocab, rows.expert.logits.validVocab);
}

function gpuRow(r: RowRef): LogitRowsGpu | null {
  return r.logits.gpuRows(r.row, 1);
}

function cpuRow(r: RowRef): W2sRowCpu {
  const data = r.logits.cpuData();
  if (!data) throw new Error('w2s: CPU rows mixed with GPU rows');
  return { data, offsetElems: r.row * r.logits.width };
}

/** A one-row Logits over a fused f32 row: a GPU buffer (destroyed on dispose) or a CPU array. */
function rowLogits(row: GPUBuffer | Float32Array, width: number, valid: number): Logits {
  const tensor =
    row instanceof Float32Array
      ? { location: 'cpu', type: 'float32', data: row, dispose() {} }
      : { location: 'gpu-buffer', type: 'float32', gpuBuffer: row, dispose: () => row.destroy() };
  return new Logits(tensor as unknown as ort.Tensor, 1, 1, width, valid);
}

function wrap(e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  throw new LogitscopeError(e instanceof NonFiniteRowError ? 'model-invalid' : 'internal', `Fusing the logits failed: ${msg}`);
}

/**
 * The weak-to-strong fusion of a panel on its backend: on WebGPU the kernels of
 * kernels/ops/w2sFusion.ts (the rows stay on the GPU; (grid + 2) × 20 bytes read back), on WASM the
 * CPU reference (kernels/reference/w2sFusion.ts) over the CPU logits.
 */
export class W2sKernels {
  private gpu: W2sFusion | null;

  constructor(device: GPUDevice | null) {
    this.gpu = device ? new W2sFusion(device) : null;
  }

  /** Statistics of every job at this position, and the bytes read back (WebGPU) or scanned (WASM). */
  async stats(rows: W2sRows, grid: readonly number[]): Promise<{ stats: W2sStats; bytes: number }> {
    try {
      const g = [gpuRow(rows.large), gpuRow(rows.small), gpuRow(rows.expert)];
      if (g.every((r) => r !== null)) {
        if (!this.gpu) throw new Error('GPU logits without a GPU device');
        return await this.gpu.stats({ large: g[0]!, small: g[1]!, expert: g[2]! }, grid);
      }
      if (g.some((r) => r !== null)) throw new Error('the three rows are not on the same backend');
      const valid = commonValid(rows);
      return { stats: w2sStatsCpu(cpuRow(rows.large), cpuRow(rows.small), cpuRow(rows.expert), valid, grid), bytes: 3 * 4 * valid };
    } catch (e) {
      return wrap(e);
    }
  }

  /** The fused row z_L + α·(z_E − z_S) as a one-row Logits [1, 1, large width] (caller disposes). */
  fused(rows: W2sRows, alpha: number): Logits {
    const width = rows.large.logits.width;
    const valid = Math.min(commonValid(rows), width);
    try {
      const g = [gpuRow(rows.large), gpuRow(rows.small), gpuRow(rows.expert)];
      if (g.every((r) => r !== null)) {
        if (!this.gpu) throw new Error('GPU logits without a GPU device');
        return rowLogits(this.gpu.fuse({ large: g[0]!, small: g[1]!, expert: g[2]! }, alpha, width), width, valid);
      }
      return rowLogits(fusedRowCpu(cpuRow(rows.large), cpuRow(rows.small), cpuRow(rows.expert), valid, width, alpha), width, valid);
    } catch (e) {
      return wrap(e);
    }
  }

  dispose(): void {
    this.gpu?.dispose();
    this.gpu = null;
  }
}
