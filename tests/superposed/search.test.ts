// The superposed decoding step on a toy linear LM (logits of a superposition = Σ W(v)·table[v], a bigram
// table: a one-hot mix is the token's row, like the real graph): k = 1, α = 0 is greedy; superposition
// weights are positive and sum to 1; every draft ends with a kept token; the n-gram term and the
// penalty score as released; end tokens finish drafts.
import { describe, expect, it } from 'vitest';
import { bigramTable } from './toy-table';
import { draftWeights, keptDistribution, superposition, SuperposedSearch, type NgramLookup, type SearchConfig, type TopLogits } from '../../strategies/superposed/worker/search';
import { SuperposedNgram, ORDER_WEIGHTS } from '../../strategies/superposed/worker/ngram';
import { parseSuperposedSettings } from '../../strategies/superposed/worker/settings';

const V = 12;
const EOS = 0;

const table = (seed: number) => bigramTable(V, seed);

function topOf(logits: number[]): TopLogits {
  const order = logits.map((z, id) => ({ z, id })).sort((a, b) => b.z - a.z || a.id - b.id);
  return { ids: order.map((o) => o.id), logits: order.map((o) => o.z) };
}

/** Toy forward: Σ_v W(v)·T[v] (the prompt's last token on the first step). */
function forward(t: number[][], mix: { id: number; weight: number }[]): number[] {
  const out = new Array<number>(V).fill(0);
  for (const m of mix) for (let j = 0; j < V; j++) out[j]! += m.weight * t[m.id]![j]!;
  return out;
}

function greedy(t: number[][], last: number, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const row = t[last]!;
    const id = row.indexOf(Math.max(...row));
    out.push(id);
    if (id === EOS) break;
    last = id;
  }
  return out;
}

const cfg = (o: Partial<SearchConfig> = {}): SearchConfig => ({ k: 3, tokenSample: 4, temperature: 0.06, alpha: 0.54, penalty: 200, eos: new Set([EOS]), maxNewTokens: 20, ...o });
const none: NgramLookup = (_t, ids) => ids.map(() => ({ g: 0, orders: [] }));

function run(t: number[][], c: SearchConfig, ngram: NgramLookup, promptLast = 3, check?: (s: SuperposedSearch, kept: Set<number>) => void): number[] {
  const s = new SuperposedSearch(c);
  while (!s.done) {
    const mix = s.nextMix() ?? [{ id: promptLast, weight: 1 }];
    const top = topOf(forward(t, mix));
    s.advance(top, ngram);
    check?.(s, new Set(top.ids.slice(0, c.tokenSample)));
  }
  return s.best()!.tokens;
}

describe('superposed search', () => {
  it('k = 1, α = 0 is greedy on toy LMs (including one that ends with EOS)', () => {
    let ended = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const t = table(seed);
      const want = greedy(t, 3, 20);
      if (want.at(-1) === EOS) ended++;
      expect(run(t, cfg({ k: 1, alpha: 0 }), none)).toEqual(want);
    }
    expect(ended).toBeGreaterThan(0);
  });

  it('k = 2, α = 0 is NOT greedy in general (the oracle can fail)', () => {
    let differs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const t = table(seed);
      if (JSON.stringify(run(t, cfg({ k: 3, alpha: 0 }), none)) !== JSON.stringify(greedy(t, 3, 20))) differs++;
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('superposition weights are positive and sum to 1; every running draft ends with a kept token', () => {
    const ngram = new SuperposedNgram([[3, 5, 7, 9, 5, 7, 2, 3, 5, 8, 1, 4, 6]], V);
    const lookup: NgramLookup = (tokens, ids) => ngram.support([3, ...tokens], ids);
    for (let seed = 1; seed <= 20; seed++) {
      run(table(seed), cfg({ k: 4 }), lookup, 3, (s, kept) => {
        if (s.done) return;
        const mix = s.nextMix()!;
        expect(mix.every((m) => m.weight > 0)).toBe(true);
        expect(Math.abs(mix.reduce((a, m) => a + m.weight, 0) - 1)).toBeLessThan(1e-12);
        for (const d of s.live) expect(kept.has(d.tokens.at(-1)!)).toBe(true);
        expect(s.live.length).toBeLessThanOrEqual(4);
      });
    }
  });

  it('draft weights, superposition of shared last tokens, kept distribution', () => {
    const w = draftWeights([0, Math.log(0.5), -1000]);
    expect(w[0]! / w[1]!).toBeCloseTo(2, 12);
    expect(w[2]).toBeGreaterThanOrEqual(0);
    const mix = superposition([
      { tokens: [4], score: 0, from: [0] },
      { tokens: [4], score: 0, from: [1] },
      { tokens: [5], score: Math.log(2), from: [2] },
    ]);
    expect(mix).toEqual([
      { id: 4, weight: 0.5 },
      { id: 5, weight: 0.5 },
    ]);
    const kept = keptDistribution({ ids: [7, 2, 9], logits: [1, 0.9, -5] }, 2, 0.1);
    expect(kept.map((k) => k.id)).toEqual([7, 2]);
    expect(kept[0]!.prob / kept[1]!.prob).toBeCloseTo(Math.exp(1), 10);
    expect(kept[0]!.prob + kept[1]!.prob).toBeCloseTo(1, 12);
  });

  it('scores s = (1 − α) log p̃ + α log g; −∞ (dropped) where g = 0; the penalty for a draft without support', () => {
    const c = cfg({ k: 2, tokenSample: 3, alpha: 0.5 });
    const s = new SuperposedSearch(c);
    const top: TopLogits = { ids: [4, 5, 6], logits: [0.3, 0.2, 0.1] };
    const kept = keptDistribution(top, 3, c.temperature);
    const log = s.advance(top, (_t, ids) => ids.map((id) => ({ g: id === 5 ? 0.2 : id === 6 ? 0.1 : 0, orders: id === 4 ? [] : [2] })));
    // Token 4 has no support: dropped; 5 and 6 ranked by their mixed scores.
    expect(log.candidates.map((x) => x.id)).toEqual([5, 6]);
    expect(log.candidates[0]!.score).toBeCloseTo(0.5 * Math.log(kept[1]!.prob) + 0.5 * Math.log(0.2), 12);
    // No support for any kept token: (1 − α) log p̃ − penalty.
    const s2 = new SuperposedSearch(c);
    const log2 = s2.advance(top, none);
    expect(log2.candidates.every((x) => x.penalized)).toBe(true);
    expect(log2.candidates[0]!.score).toBeCloseTo(0.5 * Math.log(kept[0]!.prob) - 200, 10);
  });

  it('the first step ranks draft 0 only; an end token as the top candidate ends the search with that draft', () => {
    const s = new SuperposedSearch(cfg({ k: 2, alpha: 0 }));
    const first = s.advance({ ids: [4, 5, EOS, 6], logits: [1, 0.9, 0.8, 0.7] }, none);
    expect(first.candidates.every((c) => c.draft === 0)).toBe(true);
    expect(first.candidates.map((c) => c.fate)).toEqual(['kept', 'kept', 'finished', 'pruned']);
    expect(s.finished.map((d) => d.tokens)).toEqual([[EOS]]);
    expect(s.done).toBe(false);
    expect(s.settledPrefix()).toEqual([]);
    s.advance({ ids: [EOS, 7, 8, 9], logits: [5, 0, -1, -2] }, none);
    expect(s.done).toBe(true);
    expect(s.best()!.tokens).toEqual([4, EOS]);
  });

  it('settled prefix: what every running draft starts with', () => {
    const s = new SuperposedSearch(cfg({ k: 2, alpha: 0, tokenSample: 2 }));
    s.advance({ ids: [4, 5], logits: [1, -10] }, none);
    s.advance({ ids: [6, 7], logits: [1, 0.99] }, none);
    // Draft [4] (p̃ ≈ 1) leads both next drafts; [5] is far behind.
    expect(s.live.map((d) => d.tokens)).toEqual([
      [4, 6],
      [4, 7],
    ]);
    expect(s.settledPrefix()).toEqual([4]);
  });
});

describe('superposed n-gram model (orders 2…6, MLE)', () => {
  it('interpolates the orders whose context was seen, with the released weights', () => {
    const m = new SuperposedNgram([[1, 2, 3, 1, 2, 4]], 8);
    // Bigram after 2: 3 once, 4 once → 1/2 each; trigram after (1, 2): same; 4-gram after (3, 1, 2): only 4.
    const [g3, g4, g5] = m.support([3, 1, 2], [3, 4, 5]);
    expect(g3!.g).toBeCloseTo(ORDER_WEIGHTS[0] * 0.5 + ORDER_WEIGHTS[1] * 0.5, 12);
    expect(g4!.g).toBeCloseTo(ORDER_WEIGHTS[0] * 0.5 + ORDER_WEIGHTS[1] * 0.5 + ORDER_WEIGHTS[2] * 1, 12);
    expect(g4!.orders).toEqual([2, 3, 4]);
    expect(g5!.g).toBe(0);
  });

  it('skips special ids and ids outside the vocabulary (they break the passage)', () => {
    const m = new SuperposedNgram([[1, 2, 9, 2, 3]], 8, undefined, new Set([2]));
    expect(m.tokens).toBe(2);
    expect(m.support([1], [2, 3])[0]!.g).toBe(0);
  });
});

describe('superposed settings', () => {
  it('defaults as released and clear errors', () => {
    const s = parseSuperposedSettings({});
    expect(s).toMatchObject({ n: 3, tokenSample: 9, temperature: 0.06, alpha: 0.54, penalty: 200 });
    expect(() => parseSuperposedSettings({ n: 9 })).toThrow(/n/);
    expect(() => parseSuperposedSettings({ alpha: 1.5 })).toThrow(/alpha/);
    expect(() => parseSuperposedSettings({ temperature: 0 })).toThrow(/temperature/);
    expect(() => parseSuperposedSettings({ tokenSample: 65 })).toThrow(/tokenSample/);
  });
});
