import type * as ort from 'onnxruntime-web/webgpu';
import { Logits } from '../../workers/model/logits';
import { FakeSequence } from '../workers/fakes';

/** CPU Logits [1, rows, width] over the given rows (the WASM backend's shape). */
export function cpuLogits(rows: number[][], validVocab = rows[0]!.length): Logits {
  const width = rows[0]!.length;
  const data = Float32Array.from(rows.flat());
  const tensor = { location: 'cpu', type: 'float32', data, dispose() {} } as unknown as ort.Tensor;
  return new Logits(tensor, 1, rows.length, width, validVocab);
}

/**
 * A fake model whose raw logits come back from forwardPending() as CPU Logits (so fused processing
 * runs the WASM path): gpu null, a CPU readout counting bytes (FakeSequence's).
 */
export class CpuSequence extends FakeSequence {
  constructor(prompt: number[], private readonly rowFor: (ids: number[]) => number[]) {
    super(prompt, rowFor);
  }

  override async forwardPending(): Promise<never> {
    const pending = this.ids.slice(this.fedUpTo);
    if (pending.length === 0) throw new Error('nothing to feed');
    this.feeds.push(pending);
    this.fedUpTo = this.ids.length;
    this.forwards++;
    return cpuLogits([this.rowFor(this.ids)]) as never;
  }
}
