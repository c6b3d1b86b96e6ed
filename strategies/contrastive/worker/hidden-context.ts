/** The context position most similar to a query vector, and that cosine similarity. */
export interface MostSimilar {
  /** max_j cos(h, h_j) over every context row, in [−1, 1]; 0 for an empty context. */
  value: number;
  /** The position j attaining it (ties to the earlier position); -1 for an empty context. */
  position: number;
}

/**
 * Running matrix of the unit-normalised last-layer hidden states of every context token (prompt
 * included), [length, dim] row-major in float32, for the SimCTG degeneration penalty. Dot products
 * accumulate in float64. A zero vector has no direction: its cosine to anything is defined as 0.
 */
export class HiddenContext {
  private data: Float32Array;
  private rows = 0;

  /** @param dim hidden size d (positive integer) */
  constructor(readonly dim: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    this.data = new Float32Array(dim * 64);
  }

  /** Number of context positions held. */
  get length(): number {
    return this.rows;
  }

  /** Append one hidden state (length `dim`), normalised to unit length. */
  append(h: ArrayLike<number>): void {
    this.checkDim(h, 'h');
    if ((this.rows + 1) * this.dim > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const inv = inverseNorm(h);
    const base = this.rows * this.dim;
    for (let i = 0; i < this.dim; i++) this.data[base + i] = (h[i] ?? 0) * inv;
    this.rows++;
  }

  /** Largest cosine similarity between `h` and any context row, with its position. */
  mostSimilar(h: ArrayLike<number>): MostSimilar {
    this.checkDim(h, 'h');
    const inv = inverseNorm(h);
    if (this.rows === 0 || inv === 0) return { value: 0, position: this.rows === 0 ? -1 : 0 };
    let best = -Infinity;
    let position = 0;
    for (let j = 0; j < this.rows; j++) {
      const base = j * this.dim;
      let dot = 0;
      for (let i = 0; i < this.dim; i++) dot += (h[i] ?? 0) * (this.data[base + i] ?? 0);
      if (dot > best) {
        best = dot;
        position = j;
      }
    }
    // Rounding can push |cos| a hair past 1.
    return { value: Math.max(-1, Math.min(1, best * inv)), position };
  }

  private checkDim(h: ArrayLike<number>, name: string): void {
    if (h.length !== this.dim) throw new RangeError(`${name} must have length ${this.dim}, got ${h.length}`);
  }
}

/** 1/‖h‖ in float64, or 0 for a zero vector; throws on a non-finite entry (a broken model output). */
function inverseNorm(h: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < h.length; i++) ss += (h[i] ?? 0) ** 2;
  if (!Number.isFinite(ss)) throw new RangeError('hidden state has a non-finite entry (NaN or ±inf)');
  return ss > 0 ? 1 / Math.sqrt(ss) : 0;
}
