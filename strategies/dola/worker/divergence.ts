import type { LayerDivergenceOp } from '../../../kernels/ops/layerDivergence';
import { layerDivergenceCpu, type LayerDivergence } from '../../../kernels/reference/layerDivergence';
import type { FusionHost } from '../../../workers/decode/fusion';
import { LogitscopeError } from '../../../workers/errors';
import type { Logits } from '../../../workers/model/logits';

/**
 * DoLa's divergences of the premature rows `rows` of `layers` from row `matureRow` of `logits`: on
 * WebGPU the layerDivergence kernel (`op`, the run's; 8 bytes per row read back), on WASM its CPU
 * reference over the CPU rows. Bytes are counted in the host's readout.
 */
export async function layerDivergences(host: FusionHost, op: () => LayerDivergenceOp, logits: Logits, matureRow: number, layers: Logits, rows: readonly number[]): Promise<LayerDivergence[]> {
  const n = Math.min(logits.validVocab, layers.validVocab);
  const mature = logits.gpuRows(matureRow, 1);
  const premature = layers.gpuRows(0, layers.batch * layers.seqLen);
  if (mature && premature) {
    if (!host.gpu) throw new LogitscopeError('internal', 'GPU logits without a GPU device');
    try {
      const r = await op().run({ ...mature, validVocab: n }, { ...premature, validVocab: n }, rows);
      host.readout.bytes += r.bytesRead;
      return r.rows;
    } catch (e) {
      throw new LogitscopeError('internal', `DoLa's layer divergence failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const a = logits.cpuData();
  const b = layers.cpuData();
  if (!a || !b) throw new LogitscopeError('internal', 'the logits and the layer logits live on different devices');
  const row = (data: Float32Array, r: number, width: number) => data.subarray(r * width, r * width + n);
  return rows.map((r) => layerDivergenceCpu(row(a, matureRow, logits.width), row(b, r, layers.width), n));
}
