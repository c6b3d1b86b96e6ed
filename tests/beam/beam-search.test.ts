import { describe, expect, it } from 'vitest';
import { BeamSearch, type BeamConfig } from '../../strategies/beam/worker/beam-search';
import { top, toyLm } from './toy-lm';

function runSearch(lm: (last: number) => number[], cfg: Partial<BeamConfig>, lastPrompt = 1) {
  const c: BeamConfig = { numBeams: 2, lengthPenalty: 1, earlyStopping: 'never', groups: 1, diversityPenalty: 0, maxNewTokens: 3, eos: new Set([0]), ...cfg };
  const search = new BeamSearch(c);
  while (!search.done) search.advance(search.live.map((h) => top(lm(h.tokens.at(-1) ?? lastPrompt))));
  return search;
}

/** Every sequence that ends in EOS or reaches T tokens, scored S / ℓ^λ. */
function bruteForce(lm: (last: number) => number[], V: number, T: number, lambda: number, lastPrompt = 1): number {
  let best = -Infinity;
  const walk = (seq: number[], sum: number) => {
    const lp = lm(seq.at(-1) ?? lastPrompt);
    for (let v = 0; v < V; v++) {
      const s = sum + lp[v]!;
      if (v === 0 || seq.length + 1 === T) best = Math.max(best, s / Math.pow(seq.length + 1, lambda));
      else walk([...seq, v], s);
    }
  };
  walk([], 0);
  return best;
}

function greedy(lm: (last: number) => number[], T: number, lastPrompt = 1): number[] {
  const out: number[] = [];
  while (out.length < T) {
    const lp = lm(out.at(-1) ?? lastPrompt);
    const id = lp.indexOf(Math.max(...lp));
    out.push(id);
    if (id === 0) break;
  }
  return out;
}

describe('beam search (HF semantics)', () => {
  it('numBeams = 1 is greedy decoding (early stopping true or false; "never" may outlive an early EOS)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const lm = toyLm(6, seed);
      for (const earlyStopping of ['false', 'true'] as const) {
        const s = runSearch(lm, { numBeams: 1, maxNewTokens: 8, earlyStopping });
        expect(s.best()!.tokens, `seed ${seed} ${earlyStopping}`).toEqual(greedy(lm, 8));
      }
    }
  });

  it('never beats the brute-force optimum, and equals it when the beam holds every prefix (B ≥ V^(T−1))', () => {
    let equal = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const V = 4;
      const T = 3;
      const lm = toyLm(V, seed);
      for (const lambda of [0, 1, 2]) {
        const optimum = bruteForce(lm, V, T, lambda);
        const narrow = runSearch(lm, { numBeams: 2, maxNewTokens: T, lengthPenalty: lambda });
        expect(narrow.best()!.score).toBeLessThanOrEqual(optimum + 1e-12);
        const wide = runSearch(lm, { numBeams: 16, maxNewTokens: T, lengthPenalty: lambda });
        expect(wide.best()!.score).toBeCloseTo(optimum, 12);
        if (Math.abs(narrow.best()!.score - optimum) < 1e-12) equal++;
      }
    }
    // Narrow beams do miss the optimum sometimes: the test would notice a search that never prunes.
    expect(equal).toBeLessThan(90);
  });

  it('scores: S is the sum of the log-probabilities, the rank S / ℓ^λ with ℓ counting the EOS', () => {
    const lm = toyLm(5, 7);
    const s = runSearch(lm, { numBeams: 3, maxNewTokens: 5, lengthPenalty: 1.5 });
    for (const f of s.ranked()) {
      let last = 1;
      let sum = 0;
      for (const id of f.tokens) {
        sum += lm(last)[id]!;
        last = id;
      }
      expect(f.sum).toBeCloseTo(sum, 12);
      expect(f.score).toBeCloseTo(sum / Math.pow(f.tokens.length, 1.5), 12);
      expect(f.tokens.at(-1) === 0 || f.tokens.length === 5).toBe(true);
    }
    expect(s.ranked().map((f) => f.score)).toEqual([...s.ranked().map((f) => f.score)].sort((a, b) => b - a));
  });

  it('early stopping true stops as soon as numBeams hypotheses finished; never runs longer than false', () => {
    let fewer = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const lm = toyLm(5, seed);
      const t = runSearch(lm, { numBeams: 2, maxNewTokens: 12, earlyStopping: 'true' });
      expect(t.finished[0]!.length === 2 || t.step === 12).toBe(true);
      const f = runSearch(lm, { numBeams: 2, maxNewTokens: 12, earlyStopping: 'false' });
      const n = runSearch(lm, { numBeams: 2, maxNewTokens: 12, earlyStopping: 'never', lengthPenalty: 1 });
      expect(n.step).toBeGreaterThanOrEqual(f.step);
      expect(n.best()!.score).toBeGreaterThanOrEqual(f.best()!.score - 1e-12);
      if (t.step < n.step) fewer++;
    }
    expect(fewer).toBeGreaterThan(0);
  });

  it('the settled prefix is shared by every hypothesis still in the race and ends as the output', () => {
    const lm = toyLm(6, 3);
    const c: BeamConfig = { numBeams: 3, lengthPenalty: 1, earlyStopping: 'false', groups: 1, diversityPenalty: 0, maxNewTokens: 10, eos: new Set([0]) };
    const s = new BeamSearch(c);
    let settled: number[] = [];
    while (!s.done) {
      s.advance(s.live.map((h) => top(lm(h.tokens.at(-1) ?? 1))));
      const p = s.settledPrefix();
      expect(p.slice(0, settled.length)).toEqual(settled); // never retracts
      settled = p;
    }
    expect(settled).toEqual(s.best()!.tokens);
  });

  it('groups with δ = 0 are independent beam searches of width B/G; a huge δ makes the groups’ first tokens distinct', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const lm = toyLm(6, seed);
      const grouped = runSearch(lm, { numBeams: 4, groups: 2, diversityPenalty: 0, maxNewTokens: 5 });
      const single = runSearch(lm, { numBeams: 2, maxNewTokens: 5 });
      const key = (f: { tokens: number[]; score: number }) => `${f.tokens.join(',')}:${f.score.toFixed(9)}`;
      expect(grouped.finished[0]!.map(key)).toEqual(single.finished[0]!.map(key));
      expect(grouped.finished[1]!.map(key)).toEqual(single.finished[0]!.map(key));
      const diverse = new BeamSearch({ numBeams: 4, groups: 4, diversityPenalty: 1000, lengthPenalty: 1, earlyStopping: 'never', maxNewTokens: 5, eos: new Set([0]) });
      const { tokens, log } = diverse.advance(diverse.live.map(() => top(lm(1))));
      expect(new Set(tokens).size).toBe(4);
      expect(log.candidates.filter((c) => c.group === 3).every((c) => c.penalty >= 0)).toBe(true);
    }
  });

  it('length penalty: λ = 1 prefers (S = −2.5, ℓ = 5) to (S = −2, ℓ = 2); λ = 0 the other way', () => {
    expect(-2.5 / Math.pow(5, 1)).toBeGreaterThan(-2 / Math.pow(2, 1));
    const lp = (n: number) => [Math.log(0.5), ...Array.from({ length: n - 1 }, () => Math.log(0.5 / (n - 1)))];
    // A two-token vocabulary where EOS is always likely: λ decides between stopping early or late.
    const lm = (last: number) => (last === 1 ? [Math.log(0.3), Math.log(0.7)] : lp(2));
    const short = runSearch(lm, { numBeams: 2, maxNewTokens: 6, lengthPenalty: 0 });
    const long = runSearch(lm, { numBeams: 2, maxNewTokens: 6, lengthPenalty: 3 });
    expect(short.best()!.tokens.length).toBeLessThan(long.best()!.tokens.length);
  });
});
