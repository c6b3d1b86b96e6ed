import { describe, expect, it } from 'vitest';
import { punctuationIds } from '../../strategies/cntp/worker/punctuation';
import { argmin, perplexity, runTrials, type TrialBackend, type TrialDraw, type TrialStops } from '../../strategies/cntp/worker/trials';
import { StopRequested } from '../../workers/decode/stop';
import { Rng } from '../../workers/rng';
import { summarise } from '../workers/fakes';

const V = 12;
const DOT = 10;
const EOS = 11;
const STOPS: TrialStops = { punctuation: new Set([DOT]), eos: new Set([EOS]), cap: 6 };

/** Logits as a pure function of the sequence (stop tokens moderately likely). */
function logitsFor(seq: number[]): number[] {
  let h = 2166136261;
  for (const x of seq) h = Math.imul(h ^ x, 16777619) >>> 0;
  return Array.from({ length: V }, (_, i) => {
    h = Math.imul(h ^ (i + 1), 16777619) >>> 0;
    return (h % 1000) / 250 - (i === EOS ? 2 : 0);
  });
}

/** Inverse-CDF draw over softmax(z) in id order with one uniform. */
function draw(seq: number[], u: number): TrialDraw {
  const z = logitsFor(seq);
  const m = Math.max(...z);
  const w = z.map((x) => Math.exp(x - m));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  let id = V - 1;
  for (let i = 0; i < V; i++) {
    acc += w[i]! / total;
    if (u < acc) {
      id = i;
      break;
    }
  }
  return { id, logprob: Math.log(w[id]! / total), base: summarise(z) };
}

/** A batch of sequences grown row by row, checking that the driver feeds what it drew. */
class FakeBackend implements TrialBackend {
  rows: number[][] = [];
  advances: { tokens: number[]; active: number[] }[] = [];
  constructor(private readonly prefix: number[]) {}
  async drawFirst(uniforms: number[]): Promise<TrialDraw[]> {
    return uniforms.map((u) => draw(this.prefix, u));
  }
  async advance(tokens: number[], active: number[], uniforms: number[]): Promise<TrialDraw[]> {
    if (this.rows.length === 0) this.rows = tokens.map(() => [...this.prefix]);
    if (tokens.length !== this.rows.length) throw new Error('batch size changed');
    this.advances.push({ tokens: [...tokens], active: [...active] });
    tokens.forEach((t, b) => this.rows[b]!.push(t));
    return active.map((row, j) => draw(this.rows[row]!, uniforms[j]!));
  }
}

class CountingRng extends Rng {
  calls = 0;
  override next(): number {
    this.calls++;
    return super.next();
  }
}

async function trial(seed: number, n: number, stops = STOPS) {
  const prefix = [1, 2, 3];
  const rng = new CountingRng(seed);
  const first = draw(prefix, rng.next());
  const backend = new FakeBackend(prefix);
  const outcome = await runTrials(n, first, backend, rng, stops);
  return { outcome, backend, rng, first };
}

describe('CNTP trials (docs/algorithms.md#cntp-oracles)', () => {
  it('the chosen trial has the minimum perplexity (ties to the lowest index)', async () => {
    for (let seed = 0; seed < 40; seed++) {
      const { outcome } = await trial(seed, 2 + (seed % 9));
      const ppl = outcome.trials.map((t) => Math.exp(-t.draws.reduce((s, d) => s + d.logprob, 0) / t.draws.length));
      const min = Math.min(...ppl);
      expect(outcome.winner).toBe(ppl.findIndex((p) => p === min));
      outcome.perplexities.forEach((p, i) => expect(p).toBeCloseTo(ppl[i]!, 12));
    }
  });

  it('every trial ends with punctuation, EOS or the cap, and never stops earlier', async () => {
    const ends = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const { outcome } = await trial(seed, 6);
      for (const t of outcome.trials) {
        const ids = t.draws.map((d) => d.id);
        const last = ids[ids.length - 1]!;
        const stop = last === DOT || last === EOS;
        expect(stop || ids.length === STOPS.cap).toBe(true);
        expect(ids.length).toBeLessThanOrEqual(STOPS.cap);
        expect(ids.slice(0, -1).some((i) => i === DOT || i === EOS)).toBe(false);
        expect(t.end).toBe(last === EOS ? 'eos' : last === DOT ? 'punctuation' : 'cap');
        ends.add(t.end!);
      }
    }
    expect([...ends].sort()).toEqual(['cap', 'eos', 'punctuation']);
  });

  it('runs as one batch: every forward feeds all N rows, finished rows stop drawing, uniforms = draws', async () => {
    let shrank = false;
    for (let seed = 0; seed < 20; seed++) {
      const n = 5;
      const { outcome, backend, rng } = await trial(seed, n);
      const longest = Math.max(...outcome.trials.map((t) => t.draws.length));
      expect(outcome.forwards).toBe(longest - 1);
      expect(backend.advances.length).toBe(longest - 1);
      backend.advances.forEach((a, k) => {
        expect(a.tokens.length).toBe(n);
        // Active rows are exactly the trials still longer than k + 1 tokens.
        expect(a.active).toEqual(outcome.trials.flatMap((t, i) => (t.draws.length > k + 1 ? [i] : [])));
        if (a.active.length < n) shrank = true;
      });
      const drawn = outcome.trials.reduce((s, t) => s + t.draws.length, 0);
      expect(rng.calls).toBe(drawn); // one uniform per draw, the first token's included
    }
    expect(shrank).toBe(true);
  });

  it('trial 0 starts with the token already drawn; the same seed gives the same trials', async () => {
    const a = await trial(99, 7);
    const b = await trial(99, 7);
    expect(a.outcome.trials[0]!.draws[0]).toEqual(a.first);
    expect(a.outcome.trials.map((t) => t.draws.map((d) => d.id))).toEqual(b.outcome.trials.map((t) => t.draws.map((d) => d.id)));
    const c = await trial(100, 7);
    expect(c.outcome.trials.map((t) => t.draws.map((d) => d.id))).not.toEqual(a.outcome.trials.map((t) => t.draws.map((d) => d.id)));
  });

  it('a cap of 1 ends every trial at its first token with no batched forward', async () => {
    const { outcome, backend } = await trial(3, 4, { ...STOPS, cap: 1 });
    expect(outcome.forwards).toBe(0);
    expect(backend.advances).toEqual([]);
    for (const t of outcome.trials) expect(t.draws.length).toBe(1);
  });

  it('polls Stop before every batched forward and stops within one pass', async () => {
    const prefix = [1, 2, 3];
    const rng = new Rng(5);
    const first = draw(prefix, rng.next());
    const backend = new FakeBackend(prefix);
    let polls = 0;
    const stop = {
      checkpoint: async () => {
        if (++polls > 2) throw new StopRequested();
      },
    };
    await expect(runTrials(8, first, backend, rng, { ...STOPS, punctuation: new Set(), eos: new Set(), cap: 200 }, stop)).rejects.toBeInstanceOf(StopRequested);
    expect(backend.advances.length).toBe(2);
  });

  it('rejects n < 2 and a bad cap', async () => {
    const rng = new Rng(1);
    const first = draw([1], 0.5);
    await expect(runTrials(1, first, new FakeBackend([1]), rng, STOPS)).rejects.toThrow(/n ≥ 2 trials, got 1/);
    await expect(runTrials(3, first, new FakeBackend([1]), rng, { ...STOPS, cap: 0 })).rejects.toThrow(/trialCap must be a positive integer, got 0/);
  });
});

describe('perplexity and argmin', () => {
  it('perplexity = exp(−mean ln p)', () => {
    expect(perplexity([Math.log(0.5), Math.log(0.5)])).toBeCloseTo(2, 12);
    expect(perplexity([Math.log(0.25), Math.log(1)])).toBeCloseTo(2, 12);
    expect(() => perplexity([])).toThrow(/at least one token/);
  });
  it('argmin ties go to the lowest index', () => {
    expect(argmin([3, 1, 2, 1])).toBe(1);
    expect(argmin([5])).toBe(0);
  });
});

describe('punctuationIds', () => {
  it('takes the first non-special id of each character’s encoding', () => {
    const BOS = 500;
    const encode = (s: string): number[] => [BOS, ...[...s].map((c) => c.charCodeAt(0)), 7];
    const ids = punctuationIds(encode, new Set([BOS]));
    expect([...ids].sort((a, b) => a - b)).toEqual(['.', ',', '\n', '?', '!', ':', ';', ')', ']', '}'].map((c) => c.charCodeAt(0)).sort((a, b) => a - b));
    expect(punctuationIds(() => [BOS], new Set([BOS])).size).toBe(0);
  });
});
