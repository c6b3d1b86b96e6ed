import type { RowTop } from '../../strategies/beam/worker/beam-search';

/** A toy LM: log p(v | last token) from a fixed random table over V ids; id 0 is EOS. */
export function toyLm(V: number, seed: number): (last: number) => number[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const table = Array.from({ length: V + 1 }, () => {
    const z = Array.from({ length: V }, () => rand() * 4);
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0));
    return z.map((x) => x - lse);
  });
  return (last) => table[last + 1]!;
}

/** The row as the readout gives it: every id, log-prob descending, ties to the lower id. */
export function top(lp: number[]): RowTop {
  const ids = lp.map((_, i) => i).sort((a, b) => lp[b]! - lp[a]! || a - b);
  return { ids, lps: ids.map((i) => lp[i]!) };
}
