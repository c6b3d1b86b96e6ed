import type { Readout, RowSummary } from '../../../workers/decode/readout';
import type { Logits } from '../../../workers/model/logits';

/** Rows per readout call (the kernels' batch; SequenceRunner.feed uses the same chunking). */
const CHUNK = 16;

/**
 * Raw target summaries (temperature 1, no processors) of `ids.length` consecutive rows from row
 * `first`, each with the logit of the token emitted there (`ids[i]`), for the token records.
 */
export async function emittedRows(readout: Readout, logits: Logits, first: number, ids: readonly number[], k: number): Promise<RowSummary[]> {
  const out: RowSummary[] = [];
  for (let at = 0; at < ids.length; at += CHUNK) {
    const slice = ids.slice(at, at + CHUNK);
    out.push(...(await readout.rows(logits, first + at, slice.length, k, slice)));
  }
  return out;
}
