/** Median, min and max of a sample (the figure format of docs/benchmarks.md). */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Spread of a non-empty sample. */
export function spread(xs: number[]): Spread {
  if (xs.length === 0) throw new Error('spread of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/** The q-quantile (0..1) of a non-empty sample, nearest rank. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
