/** Upper 0.1 % points of the chi-square distribution (α = 0.001) by degrees of freedom (standard tables). */
const CHI2_999: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 5: 20.515, 6: 22.458, 7: 24.322, 8: 26.124, 9: 27.877 };

/** Pearson's statistic of `counts` against `probs`; categories with probability 0 must have count 0. */
export function chiSquare(counts: readonly number[], probs: ArrayLike<number>): { stat: number; df: number; critical: number; impossible: number } {
  const n = counts.reduce((a, b) => a + b, 0);
  let stat = 0;
  let cells = 0;
  let impossible = 0;
  counts.forEach((c, i) => {
    const e = n * probs[i]!;
    if (probs[i]! === 0) {
      impossible += c;
      return;
    }
    cells++;
    stat += (c - e) ** 2 / e;
  });
  const df = cells - 1;
  const critical = CHI2_999[df];
  if (critical === undefined) throw new Error(`no critical value for ${df} degrees of freedom`);
  return { stat, df, critical, impossible };
}

/** A probability vector from non-negative weights. */
export function normalise(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}
