// Toy oracles of grammar-constrained decoding and ASAp (docs/algorithms.md#grammar): a V = 4 toy LM
// over characters (a, b, c, EOS) through the real GrammarRun on the CPU (WASM) fusion path.
import { describe, expect, it } from 'vitest';
import { GrammarRun, IDENTITY_CHAIN, type GrammarVocab } from '../../strategies/grammar/worker/grammar';
import { compileRegex } from '../../strategies/grammar/worker/regex';
import { compileSettings, parseGrammarSettings, type GrammarSettings } from '../../strategies/grammar/worker/settings';
import { TokenAutomaton } from '../../strategies/grammar/worker/token-automaton';
import { thetaOf, type AsapNode } from '../../strategies/grammar/worker/asap';
import { sample } from '../../strategies/base/worker/sample';
import { changesGreedyLogits } from '../../workers/processors/chain';
import type { GrammarAnnotations } from '../../protocol';
import { Rng } from '../../workers/rng';
import { CpuSequence } from '../processors/cpuSequence';

const CHARS = ['a', 'b', 'c'];
const EOS = 3;
const PROMPT = [0];
const vocab: GrammarVocab = { textOf: (id) => CHARS[id] ?? '', eosId: EOS, excluded: new Set() };

/** p(·|context) of the toy LM (context = ids after the prompt), as probabilities over a, b, c, EOS. */
function toyProbs(ctx: number[]): number[] {
  const s = ctx.map((i) => CHARS[i] ?? '$').join('');
  // Designed: 'a' is the likely first token, but after it 'b' (the only grammatical way on) is rare.
  if (s === '') return [0.6, 0.2, 0.1, 0.1];
  if (s === 'a') return [0.5, 0.05, 0.35, 0.1];
  if (s.endsWith('b')) return [0.15, 0.15, 0.3, 0.4];
  if (s.endsWith('c')) return [0.2, 0.2, 0.25, 0.35];
  return [0.3, 0.3, 0.2, 0.2];
}
const logitsOf = (ids: number[]) => toyProbs(ids.slice(PROMPT.length)).map(Math.log);

function settings(over: Partial<GrammarSettings> & { pattern: string }): GrammarSettings {
  const base = parseGrammarSettings({ regex: over.pattern });
  return { ...base, ...over };
}

function run(s: GrammarSettings, seed: number, maxNewTokens = 16) {
  const seq = new CpuSequence(PROMPT, logitsOf);
  const r = new GrammarRun(seq, s, compileRegex(s.pattern), vocab, new Rng(seed), 10, maxNewTokens);
  return { seq, r };
}

async function decode(s: GrammarSettings, seed: number, maxNewTokens = 16) {
  const { r } = run(s, seed, maxNewTokens);
  const ids: number[] = [];
  const notes: GrammarAnnotations[] = [];
  for (let i = 0; i < maxNewTokens; i++) {
    const t = (await r.step()).tokens[0]!;
    ids.push(t.id);
    notes.push(t.annotations as GrammarAnnotations);
    if (t.id === EOS) break;
  }
  return {
    ids,
    text: ids
      .filter((i) => i !== EOS)
      .map((i) => CHARS[i])
      .join(''),
    notes,
    run: r,
  };
}

/** Every string of G (enumerated over a, b, c up to length 6) with its brute-force conditional probability. */
function bruteForce(pattern: string): Map<string, number> {
  const re = new RegExp(`^(?:${pattern})$`);
  const out = new Map<string, number>();
  const visit = (s: string, ids: number[], p: number) => {
    if (re.test(s)) out.set(s, p * toyProbs(ids)[EOS]!);
    if (s.length < 6) CHARS.forEach((c, i) => visit(s + c, [...ids, i], p * toyProbs(ids)[i]!));
  };
  visit('', [], 1);
  const z = [...out.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of out) out.set(k, v / z);
  return out;
}

/** Pearson chi-square statistic of counts against probabilities (categories outside `probs` count fully). */
function chiSquare(counts: Map<string, number>, probs: Map<string, number>, n: number): number {
  let x = 0;
  for (const [k, p] of probs) x += ((counts.get(k) ?? 0) - n * p) ** 2 / (n * p);
  for (const [k, c] of counts) if (!probs.has(k)) x += c * 1e6;
  return x;
}
/** Chi-square critical values at α = 0.001 by degrees of freedom. */
const CRIT_001: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 5: 20.515, 6: 22.458, 7: 24.322 };

const G = '(ab|b)(c|cc)?';

describe('grammar: the token automaton', () => {
  it('allows EOS only in accepting states and nothing that leaves the grammar', () => {
    const auto = new TokenAutomaton(compileRegex(G), ['a', 'b', 'c', ''], EOS);
    expect(auto.allowed(0).ids).toEqual([0, 1]);
    const sB = auto.step(0, 1);
    expect(auto.allowed(sB).ids).toEqual([2, EOS]);
    expect(auto.step(0, 2)).toBe(-1);
    expect(auto.step(0, EOS)).toBe(-1);
    // Multi-character tokens and tokens that are prefixes of others.
    const multi = new TokenAutomaton(compileRegex('abc|abd'), ['ab', 'abc', 'c', 'd', 'x', '', '\uFFFD'], 5);
    expect(multi.allowed(0).ids).toEqual([0, 1]);
    expect(multi.allowed(multi.step(0, 0)).ids).toEqual([2, 3]);
    expect(multi.allowed(multi.step(0, 1)).ids).toEqual([5]);
  });

  it('the identity chain leaves greedy logits alone', () => {
    expect(changesGreedyLogits(IDENTITY_CHAIN)).toBe(false);
  });
});

describe('grammar: GCD', () => {
  it('every output matches the anchored regex, greedy and sampled; annotations are consistent', async () => {
    for (const pattern of [G, '[ab]{2,4}c', 'a(b|c)*']) {
      const re = new RegExp(`^(?:${pattern})$`);
      for (let seed = 1; seed <= 40; seed++) {
        const greedy = seed === 1;
        const s = settings({ pattern, chain: greedy ? { ...IDENTITY_CHAIN } : settings({ pattern }).chain });
        const { text, ids, notes } = await decode(s, seed, 12);
        if (ids.at(-1) !== EOS) continue; // truncated by the budget (an unbounded pattern)
        expect(re.test(text), `${pattern} → ${text}`).toBe(true);
        for (const n of notes) {
          expect(n.removedMass).toBeGreaterThanOrEqual(0);
          expect(n.removedMass).toBeLessThanOrEqual(1);
          expect(n.allowed).toBeGreaterThan(0);
        }
        expect(notes.at(-1)!.accepting).toBe(true);
      }
    }
  });

  it('reports the removed mass exactly: 1 − Σ allowed p', async () => {
    const { notes } = await decode(settings({ pattern: G }), 3);
    expect(notes[0]!.removedMass).toBeCloseTo(0.2, 5); // c and EOS removed at the root
    expect(notes[0]!.allowed).toBe(2);
    // Greedy (one row, no mask-only row) and with a penalty (the mask-only row measures the raw row).
    const greedy = await decode(settings({ pattern: G, chain: { ...IDENTITY_CHAIN } }), 3);
    expect(greedy.notes[0]!.removedMass).toBeCloseTo(0.2, 5);
    expect(greedy.ids[0]).toBe(0);
    const penal = await decode(settings({ pattern: G, chain: { ...IDENTITY_CHAIN, repetitionPenalty: 1.5 } }), 3);
    expect(penal.notes[0]!.removedMass).toBeCloseTo(0.2, 5);
  });

  it('a Σ* regex masks nothing: identical to the base sampler with the same seed', async () => {
    const s = settings({ pattern: '[abc]*' });
    expect(s.chain.temperature).toBe(1);
    for (const seed of [1, 2, 3]) {
      const { r } = run(s, seed, 30);
      const base = sample.start({ params: { temperature: 1 }, target: new CpuSequence(PROMPT, logitsOf), draft: null, rng: new Rng(seed), topK: 10 });
      for (let i = 0; i < 20; i++) {
        const a = (await r.step()).tokens[0]!;
        const b = (await base.step()).tokens[0]!;
        expect(a.id).toBe(b.id);
        expect((a.annotations as GrammarAnnotations).removedMass).toBeLessThan(1e-6);
      }
    }
  });

  it('is biased on the designed case: its distribution fails the chi-square against p(y | y ∈ G)', async () => {
    const want = bruteForce(G);
    expect(want.size).toBe(6);
    const counts = new Map<string, number>();
    const N = 3000;
    for (let seed = 1; seed <= N; seed++) {
      const { text } = await decode(settings({ pattern: G }), seed);
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    expect(chiSquare(counts, want, N)).toBeGreaterThan(CRIT_001[5]!);
  }, 60_000);
});

describe('grammar: ASAp', () => {
  it('its empirical distribution after 2e4 samples passes the chi-square against the brute-force conditional', async () => {
    const want = bruteForce(G);
    const N = 20_000;
    const { r, seq } = run(settings({ pattern: G, asap: true, samples: N }), 7);
    let prev = new Map<AsapNode, Map<number, number>>();
    let checks = 0;
    r.afterSample = (root) => {
      if (r.samplesDrawn.length % 500 !== 0) return;
      // θ̂ ∈ [0, 1] and non-increasing over samples, at every node seen so far.
      const now = new Map<AsapNode, Map<number, number>>();
      const visit = (n: AsapNode) => {
        const m = new Map<number, number>();
        for (const id of n.ids ?? []) {
          const t = thetaOf(n, id);
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(1);
          const before = prev.get(n)?.get(id);
          if (before !== undefined) expect(t).toBeLessThanOrEqual(before + 1e-12);
          m.set(id, t);
          checks++;
        }
        now.set(n, m);
        for (const c of n.children.values()) visit(c);
      };
      visit(root);
      prev = now;
    };
    const tokens = [];
    for (let i = 0; i < 10; i++) {
      const t = (await r.step()).tokens[0]!;
      tokens.push(t);
      if (t.id === EOS) break;
    }
    expect(r.samplesDrawn).toHaveLength(N);
    const counts = new Map<string, number>();
    for (const d of r.samplesDrawn) counts.set(d.text, (counts.get(d.text) ?? 0) + 1);
    expect(r.samplesDrawn.every((d) => d.grammatical)).toBe(true);
    expect(chiSquare(counts, want, N)).toBeLessThan(CRIT_001[5]!);
    expect(checks).toBeGreaterThan(100);
    // Shared prefixes cost no forward: a handful of trie nodes, not 2e4 × length.
    expect(seq.forwards).toBeLessThan(40);
    const last = tokens.at(-1)!.annotations as GrammarAnnotations;
    expect(last.asap!.distribution!.reduce((a, d) => a + d.count, 0)).toBe(N);
    const emitted = tokens
      .filter((t) => t.id !== EOS)
      .map((t) => CHARS[t.id])
      .join('');
    expect(new RegExp(`^(?:${G})$`).test(emitted)).toBe(true);
    // θ̂ of the root's 'a' converged near the true EFG = p(b|a)·… ≪ 1.
    const a0 = tokens[0]!.annotations as GrammarAnnotations;
    expect(a0.asap!.bars.find((b) => b.id === 0)!.pTheta).toBeLessThan(0.6 * 0.2);
  }, 60_000);

  it('sample 1 draws from the GCD distribution (θ̂ = 1 on every allowed token)', async () => {
    for (const seed of [1, 2, 5, 9]) {
      const gcd = await decode(settings({ pattern: G }), seed);
      const asap = await decode(settings({ pattern: G, asap: true, samples: 1 }), seed);
      const a = asap.notes[0]!;
      for (const b of a.asap!.bars) expect(b.pTheta).toBe(b.p);
      // q at the root = p restricted to {a, b}, renormalised: the masked distribution GCD draws from.
      const first = asap.ids[0]!;
      expect(a.processedProb).toBeCloseTo(toyProbs([])[first]! / 0.8, 5);
      if (gcd.ids[0] === first) expect(gcd.notes[0]!.processedProb).toBeCloseTo(a.processedProb, 5);
      expect(a.removedMass).toBeCloseTo(gcd.notes[0]!.removedMass, 5);
    }
  });

  it('every ASAp output matches; truncated samples count as ungrammatical', async () => {
    const pattern = 'a[abc]{2,5}b';
    const re = new RegExp(`^(?:${pattern})$`);
    for (let seed = 1; seed <= 10; seed++) {
      const { text, ids, run: r } = await decode(settings({ pattern, asap: true, samples: 12 }), seed, 8);
      if (ids.at(-1) === EOS && (r.samplesDrawn.at(-1)?.grammatical ?? false)) expect(re.test(text), text).toBe(true);
      for (const d of r.samplesDrawn) if (d.grammatical) expect(re.test(d.text), d.text).toBe(true);
    }
    // A budget too short for any grammatical output: every sample is truncated, and that is said.
    await expect(decode(settings({ pattern: 'aaaaaaaa', asap: true, samples: 3 }), 1, 4)).rejects.toThrow(/no grammatical output within 3 tokens/);
  });
});

describe('grammar: settings', () => {
  it('gives clear errors', () => {
    expect(() => compileSettings(parseGrammarSettings({ regex: '(a' }))).toThrow(/missing "\)"/);
    expect(() => compileSettings(parseGrammarSettings({ regex: 'a[^\\s\\S]' }))).toThrow(/matches no string/);
    expect(() => parseGrammarSettings({ regex: '' })).toThrow(/regex is empty/);
    expect(() => parseGrammarSettings({ regex: 'a', asap: 1, temperature: 0 })).toThrow(/ASAp samples: set temperature > 0/);
    expect(() => parseGrammarSettings({ regex: 'a', jsonSchema: '{"type":"object","properties":{"a":{"type":"boolean"}}}' })).toThrow(
      /either regex or jsonSchema/,
    );
    expect(() => parseGrammarSettings({ samples: 65 })).toThrow(/samples/);
    expect(parseGrammarSettings({ jsonSchema: '{"type":"object","properties":{"a":{"type":"boolean"}}}' }).pattern).toBe('\\{"a": (?:true|false)\\}');
  });
});

describe('grammar: logit lab', () => {
  it('lists the grammar mask as the stage after the raw softmax, and every later stage keeps it', async () => {
    const { stagePlan } = await import('../../workers/decode/lab');
    const allow = Uint32Array.of(0b11);
    const plans = stagePlan({ chain: { ...IDENTITY_CHAIN, temperature: 0.7, repetitionPenalty: 1.2 }, history: [0], uniform: 0.3, allow }, true);
    expect(plans.map((p) => p.id).slice(0, 2)).toEqual(['raw', 'allow']);
    expect(plans[0]!.opts.allow).toBeUndefined();
    for (const p of plans.slice(1)) expect(p.opts.allow).toBe(allow);
  });
});
