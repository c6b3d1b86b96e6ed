import type { RowSummary } from '../../../workers/decode/readout';

/** argmax of a summarised row (its first top id; ties went to the lower id). */
export function argmaxOf(row: RowSummary): number {
  const id = row.topIds[0];
  if (id === undefined) throw new Error('the logit row has no finite entry');
  return id;
}

/**
 * softmax(row)[id] from a summary: from the top list, or from the requested token logit. Throws when
 * the summary knows neither (the caller forgot to request the id).
 */
export function probOf(row: RowSummary, id: number): number {
  const at = row.topIds.indexOf(id);
  const logit = at >= 0 ? row.topLogits[at] : row.tokenLogit;
  if (logit === undefined || logit === null) throw new Error(`no logit for token ${id} in this row: request it with tokenIds`);
  return Math.exp(logit - row.lse);
}
