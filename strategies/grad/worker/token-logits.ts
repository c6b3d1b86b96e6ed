import { MAX_ROWS, STATS_RECORD_WORDS } from '../../../kernels/limits';
import { parseSoftmaxStats, SoftmaxStats } from '../../../kernels/ops/softmaxStats';
import type { Logits } from '../../../workers/model/logits';

/** Logits of chosen tokens, one per row, and the bytes that crossed to the CPU. */
export interface TokenLogits {
  /** values[r] = logits[row r][ids[r]] (raw), null where ids[r] is null. */
  values: (number | null)[];
  bytes: number;
}

/**
 * Read logits[r, ids[r]] for every flattened row r of `logits` ([batch·seq] rows, ids.length of
 * them) where an id is given. WebGPU: the softmaxStats kernel's token-logit field, MAX_ROWS rows
 * per submit, every submit into one result buffer and ONE readback (32 bytes per row read). WASM:
 * direct reads of the CPU array (4 bytes per value).
 */
export async function readTokenLogits(device: GPUDevice | null, logits: Logits, ids: readonly (number | null)[]): Promise<TokenLogits> {
  if (ids.length !== logits.batch * logits.seqLen) throw new RangeError(`ids must have one entry per logit row (${logits.batch * logits.seqLen}), got ${ids.length}`);
  const cpu = logits.cpuData();
  if (cpu) {
    const values = ids.map((id, r) => (id === null ? null : cpu[r * logits.width + id]!));
    return { values, bytes: 4 * values.filter((v) => v !== null).length };
  }
  if (!device) throw new Error('GPU logits without a GPU device');
  return readOnGpu(device, logits, ids);
}

/** Windows [first, first + count) of at most MAX_ROWS rows that contain at least one wanted id. */
function windows(ids: readonly (number | null)[]): { first: number; count: number }[] {
  const out: { first: number; count: number }[] = [];
  for (let first = 0; first < ids.length; first += MAX_ROWS) {
    const count = Math.min(MAX_ROWS, ids.length - first);
    if (ids.slice(first, first + count).some((id) => id !== null)) out.push({ first, count });
  }
  return out;
}

async function readOnGpu(device: GPUDevice, logits: Logits, ids: readonly (number | null)[]): Promise<TokenLogits> {
  const parts = windows(ids);
  const values: (number | null)[] = ids.map(() => null);
  if (parts.length === 0) return { values, bytes: 0 };
  const words = parts.reduce((s, p) => s + p.count, 0) * STATS_RECORD_WORDS;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
  const results = device.createBuffer({ label: 'grad.tokenLogits.results', size: words * 4, usage });
  const staging = device.createBuffer({ label: 'grad.tokenLogits.staging', size: words * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const stats = new SoftmaxStats(device);
  try {
    device.pushErrorScope('validation');
    let offset = 0;
    for (const p of parts) {
      // One submit per window: the kernel's uniforms are written once per submit, in queue order.
      const encoder = device.createCommandEncoder({ label: 'grad.tokenLogits.encoder' });
      const pass = encoder.beginComputePass({ label: 'grad.tokenLogits.pass' });
      stats.encode(pass, { src: logits.gpuRows(p.first, p.count)!, tokenIds: ids.slice(p.first, p.first + p.count), out: results, outOffsetWords: offset });
      pass.end();
      if (p === parts[parts.length - 1]) encoder.copyBufferToBuffer(results, 0, staging, 0, words * 4);
      device.queue.submit([encoder.finish({ label: 'grad.tokenLogits.commands' })]);
      offset += p.count * STATS_RECORD_WORDS;
    }
    const error = await device.popErrorScope();
    if (error) throw new Error(`reading token logits: WebGPU rejected the work: ${error.message}`);
    await staging.mapAsync(GPUMapMode.READ);
    const read = new Uint32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    offset = 0;
    for (const p of parts) {
      const layout = { ...logits.gpuRows(p.first, p.count)! };
      const rows = parseSoftmaxStats(read, offset, layout, ids.slice(p.first, p.first + p.count));
      rows.forEach((r, j) => (values[p.first + j] = r.tokenLogit));
      offset += p.count * STATS_RECORD_WORDS;
    }
    return { values, bytes: words * 4 };
  } finally {
    stats.dispose();
    results.destroy();
    staging.destroy();
  }
}
