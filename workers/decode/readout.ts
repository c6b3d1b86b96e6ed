import { RowReadout } from '../../kernels/ops/rowReadout';
import { readRowsFast } from '../../kernels/reference/rowReadoutFast';
import { NonFiniteRowError } from '../../kernels/errors';
import { MAX_ROWS } from '../../kernels/limits';
import { LogitscopeError } from '../errors';
import type { Logits } from '../model/logits';

/** What the decode loop learns about one logit row: softmax statistics and the top-k. */
export interface RowSummary {
  /** Max logit over unmasked entries. */
  max: number;
  /** log-sum-exp over unmasked entries (natural log). */
  lse: number;
  /** Entropy of softmax(row) in nats. */
  entropy: number;
  /** Top ids, logit descending, ties to the lower id. */
  topIds: number[];
  topLogits: number[];
  /** Logit of the requested token id (when one was asked for). */
  tokenLogit: number | null;
}

/**
 * Reads small summaries of logit rows: on WebGPU with the fused kernels (a few hundred bytes read
 * back), on WASM with readRowsFast over the CPU logits (the CPU reference's results: top-k and max
 * identical, lse / entropy within ~1e-11).
 */
export class Readout {
  private gpu: RowReadout | null;
  /** Bytes read back (GPU) or scanned on the CPU path, summed over calls. */
  bytes = 0;

  constructor(device: GPUDevice | null) {
    this.gpu = device ? new RowReadout(device) : null;
  }

  /**
   * Summaries of `count` consecutive rows from row `first`; `tokenIds[i]` asks for that id's logit.
   * Any count: the kernels take MAX_ROWS rows per call (one submit each on WebGPU).
   */
  async rows(logits: Logits, first: number, count: number, k: number, tokenIds?: (number | null)[]): Promise<RowSummary[]> {
    const out: RowSummary[] = [];
    for (let at = 0; at < count; at += MAX_ROWS) {
      const n = Math.min(MAX_ROWS, count - at);
      out.push(...(await this.chunk(logits, first + at, n, k, tokenIds?.slice(at, at + n))));
    }
    return out;
  }

  private async chunk(logits: Logits, first: number, count: number, k: number, tokenIds?: (number | null)[]): Promise<RowSummary[]> {
    const opts = tokenIds ? { k, tokenIds } : { k };
    let result;
    try {
      const gpuRows = logits.gpuRows(first, count);
      if (gpuRows) {
        if (!this.gpu) throw new Error('GPU logits without a GPU readout');
        result = await this.gpu.read(gpuRows, opts);
      } else {
        const data = logits.cpuData()!;
        result = readRowsFast(data, { offsetElems: first * logits.width, rowStrideElems: logits.width, rowLength: logits.width, rows: count, validVocab: logits.validVocab }, opts);
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new LogitscopeError(e instanceof NonFiniteRowError ? 'model-invalid' : 'internal', `Reading the logits failed: ${msg}`);
    }
    this.bytes += result.bytesRead;
    return result.rows.map((r) => ({ max: r.max, lse: r.lse, entropy: r.entropy, topIds: r.topIds, topLogits: r.topLogits, tokenLogit: r.tokenLogit }));
  }

  /**
   * `raw` (a summary of row `row` of `logits`) when it lists `id`, else the row read again with `id`'s
   * logit: for a token picked from another row (a contrast, a fusion, a tie-break).
   */
  async withToken(logits: Logits, row: number, raw: RowSummary, id: number, k: number): Promise<RowSummary> {
    if (raw.topIds.includes(id)) return raw;
    const [again] = await this.rows(logits, row, 1, k, [id]);
    return again!;
  }

  dispose(): void {
    this.gpu?.dispose();
    this.gpu = null;
  }
}
