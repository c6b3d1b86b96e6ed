import { LogitscopeError } from '../../../workers/errors';
import { readHidden } from '../../../workers/decode/hidden-readback';
import type { RowSummary } from '../../../workers/decode/readout';
import type { SequenceRunner } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import type { CaadModel } from './caad-run';
import { MAX_ROWS } from '../../../kernels/limits';
import { readRowsFast } from '../../../kernels/reference/rowReadoutFast';
import { f16ArrayToF32 } from '../../../kernels/reference/f16';
import type { LogitRowsGpu } from '../../../kernels/types';
import { STORE_TOP } from './store';

/** Rows the readout summarises per call (one submit and one small readback each on WebGPU). */
const READOUT_ROWS = MAX_ROWS;

/**
 * A reference's logits [L, width] are downloaded whole, once, when they take at most this many
 * bytes (small vocabularies: the built-in models' 256 × 512 × 4 = 512 KiB), and summarised on the
 * CPU (readRowsFast, the WASM path's readout); larger ones go through the GPU readout kernel,
 * 64 rows per submit. Both give the same top-64 ids. This is the one-time build only: a decode step
 * never reads a vocabulary row back. (On a software WebGPU adapter the k = 64 kernel costs ~0.7 s
 * per call, the download a fraction of that.)
 */
export const DOWNLOAD_MAX_BYTES = 4 << 20;

/**
 * CaadModel over a real SequenceRunner. The teacher-forced forward of a reference runs on the
 * runner's model from an empty cache (counted in the runner's forwards) and reads back its hidden
 * states [L, d] and a top-64 summary per position; each step feeds the panel's pending ids with
 * `last_hidden_state` and reads back the last position's [1, d] only (d·4 bytes, f32) after the
 * first step, which reads the prompt's. All bytes count in the panel's readout.
 */
export class RunnerCaadModel implements CaadModel {
  constructor(private readonly runner: SequenceRunner) {
    if (!runner.model.session.facts.hasHiddenState) throw new LogitscopeError('model-invalid', `CAAD needs last_hidden_state, which ${runner.model.source.spec} does not export`);
  }

  get bytes(): number {
    return this.runner.readout.bytes;
  }

  async teacherForce(ids: number[]): Promise<{ hidden: Float32Array[]; rows: RowSummary[] }> {
    const session = this.runner.model.session;
    const past = session.emptyCache(1);
    let out;
    try {
      out = await session.forward([ids], past, { hidden: true });
    } finally {
      past.dispose();
    }
    this.runner.forwards++;
    try {
      if (!out.hidden) throw new LogitscopeError('model-invalid', `${this.runner.model.source.spec} exports no last_hidden_state output`);
      const rows: RowSummary[] = [];
      const gpuRows = out.logits.gpuRows(0, ids.length);
      const gpu = this.runner.gpu;
      if (gpuRows && gpu && ids.length * out.logits.width * (gpuRows.dtype === 'f16' ? 2 : 4) <= DOWNLOAD_MAX_BYTES) {
        const { data, bytes } = await download(gpu, gpuRows);
        this.runner.readout.bytes += bytes;
        for (let first = 0; first < ids.length; first += READOUT_ROWS) {
          const count = Math.min(READOUT_ROWS, ids.length - first);
          const next = Array.from({ length: count }, (_, j) => ids[first + j + 1] ?? null);
          const layout = { offsetElems: first * out.logits.width, rowStrideElems: out.logits.width, rowLength: out.logits.width, rows: count, validVocab: out.logits.validVocab };
          for (const r of readRowsFast(data, layout, { k: STORE_TOP, tokenIds: next }).rows) rows.push({ max: r.max, lse: r.lse, entropy: r.entropy, topIds: r.topIds, topLogits: r.topLogits, tokenLogit: r.tokenLogit });
        }
      }
      if (rows.length === 0) {
        const next = ids.map((_, j) => ids[j + 1] ?? null);
        rows.push(...(await this.runner.readout.rows(out.logits, out.logits.rowIndex(0, 0), ids.length, STORE_TOP, next)));
      }
      const h = await readHidden(out.hidden);
      this.runner.readout.bytes += h.bytes;
      return { hidden: h.rows, rows };
    } finally {
      out.logits.dispose();
      out.hidden?.dispose();
      out.cache.dispose();
    }
  }

  async forwardPending(): Promise<{ logits: Logits; hidden: Float32Array }> {
    const { logits, hidden } = await this.runner.forwardPendingHidden();
    try {
      // A long prompt came in chunks: the last chunk's last row is the current position.
      const last = hidden.at(-1);
      if (!last) throw new LogitscopeError('model-invalid', `${this.runner.model.source.spec} exports no last_hidden_state output`);
      const h = await readHidden(last);
      this.runner.readout.bytes += h.bytes;
      return { logits, hidden: h.rows.at(-1)! };
    } catch (e) {
      logits.dispose();
      throw e;
    } finally {
      for (const t of hidden) t.dispose();
    }
  }
}

/** Copy GPU logit rows to the CPU as float32 (one submit, one readback), and the bytes that crossed. */
async function download(device: GPUDevice, src: LogitRowsGpu): Promise<{ data: Float32Array; bytes: number }> {
  const bytesPer = src.dtype === 'f16' ? 2 : 4;
  const size = src.rows * src.rowStrideElems * bytesPer;
  const padded = Math.ceil(size / 4) * 4;
  const staging = device.createBuffer({ label: 'caad.download', size: padded, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'caad.download' });
    encoder.copyBufferToBuffer(src.buffer, src.offsetElems * bytesPer, staging, 0, padded);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0, size);
    staging.unmap();
    return { data: src.dtype === 'f16' ? f16ArrayToF32(new Uint16Array(copy)) : new Float32Array(copy), bytes: padded };
  } finally {
    staging.destroy();
  }
}
