/**
 * Seeded PRNG (Mulberry32): every random draw in a run goes through one of these, one uniform per
 * categorical draw, so runs are reproducible on every backend. The project's only PRNG: test data,
 * the kernel harness, the benchmarks and the generated test models use it too.
 */
export class Rng {
  private state: number;

  /** @param seed non-negative integer; equal seeds give equal streams. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uniform in [0, 1), 32-bit resolution. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A Mulberry32 stream as a function: each call returns the next uniform in [0, 1) (the same stream as `new Rng(seed)`). */
export function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}
