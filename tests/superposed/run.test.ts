// SuperposedRun over a fake runner (a toy linear LM: logits of a mix = Σ W(v)·T[v]): emits greedy's
// tokens for k = 1, α = 0; with k = 3 it emits the tokens every running draft agrees on and the rest of
// the best draft at the end, one forward per step, with the records the popover reads; a corpus is
// needed only for α > 0.
import { describe, expect, it } from 'vitest';
import { bigramTable } from './toy-table';
import { SuperposedRun, type SuperposedSequence } from '../../strategies/superposed/worker/superposed';
import { parseSuperposedSettings } from '../../strategies/superposed/worker/settings';
import type { SearchConfig } from '../../strategies/superposed/worker/search';
import type { RowSummary } from '../../workers/decode/readout';
import type { SuperposedAnnotations } from '../../protocol';
import type { EmittedToken } from '../../workers/decode/step';

const V = 10;
const EOS = 0;

const table = (seed: number) => bigramTable(V, seed);

function summary(row: number[]): RowSummary {
  const order = row.map((z, id) => ({ z, id })).sort((a, b) => b.z - a.z || a.id - b.id);
  const m = order[0]!.z;
  const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
  return { max: m, lse, entropy: 0, topIds: order.map((o) => o.id), topLogits: order.map((o) => o.z), tokenLogit: null };
}

/** A fake runner; `forwards` counts both kinds of forward. */
function fakeRunner(t: number[][], prompt: number[]) {
  const state = { forwards: 0, superposed: 0 };
  const logitsOf = (row: number[]) => ({ row, validVocab: V, rowIndex: () => 0, dispose: () => undefined });
  const cache = () => ({ length: 0, batch: 1, dispose: () => undefined });
  const runner = {
    ids: [...prompt],
    commit(ids: number[]) {
      this.ids.push(...ids);
    },
    async forwardPending() {
      state.forwards++;
      return logitsOf(t[prompt.at(-1)!]!);
    },
    readout: { bytes: 0, rows: async (l: { row: number[] }) => [summary(l.row)] },
    tiledCache: () => cache(),
    async forwardSuperposed(mix: { ids: number[]; weights: number[] }[]) {
      state.forwards++;
      state.superposed++;
      const out = new Array<number>(V).fill(0);
      mix[0]!.ids.forEach((id, j) => t[id]!.forEach((z, k) => (out[k]! += mix[0]!.weights[j]! * z)));
      return { logits: logitsOf(out), cache: cache() };
    },
    model: { session: { hasSuperposedInput: true } },
  };
  return { runner: runner as unknown as SuperposedSequence, state };
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

async function drive(t: number[][], params: Record<string, number | string>, corpus: string[] = [], max = 12) {
  const s = parseSuperposedSettings(params);
  const config: SearchConfig = { k: s.n, tokenSample: s.tokenSample, temperature: s.temperature, alpha: s.alpha, penalty: s.penalty, eos: new Set([EOS]), maxNewTokens: max };
  const { runner, state } = fakeRunner(t, [5]);
  const tokenizer = { encode: (text: string) => text.split(' ').map(Number), specials: new Set([EOS]) };
  const run = new SuperposedRun(runner, s, config, tokenizer, async () => corpus, 10, (_c, id) => `<${id}>`);
  const tokens: EmittedToken[] = [];
  let steps = 0;
  for (;;) {
    const r = await run.step();
    if (r.tokens.length === 0 && r.live?.done !== false) break;
    tokens.push(...r.tokens);
    steps++;
    if (r.live?.done) break;
  }
  run.dispose();
  return { tokens, state, steps, ids: runner.ids.slice(1) };
}

describe('superposed run over a fake runner', () => {
  it('k = 1, α = 0 emits greedy tokens one per step', async () => {
    for (let seed = 1; seed <= 15; seed++) {
      const t = table(seed);
      const { tokens, state, ids } = await drive(t, { n: 1, alpha: 0, corpusName: 'none' });
      expect(tokens.map((x) => x.id)).toEqual(greedy(t, 5, 12));
      expect(ids).toEqual(greedy(t, 5, 12));
      expect(state.forwards).toBe(tokens.length);
    }
  });

  it('k = 3: one forward per step; tokens with their records, the drafts and the final state on the last', async () => {
    const t = table(7);
    const corpus = ['5 1 2 3 4 1 2 6 7 8 9 1 2 3 4 5 6 7 8 9 2 4 6 8 1 3 5 7 9'];
    const { tokens, state } = await drive(t, { corpusName: 'none' }, corpus);
    expect(tokens.length).toBeGreaterThan(0);
    expect(state.forwards).toBe(tokens.length);
    expect(state.superposed).toBe(tokens.length - 1);
    const anns = tokens.map((x) => x.annotations as SuperposedAnnotations);
    anns.forEach((a, i) => {
      expect(a.kind).toBe('superposed');
      expect(a.step).toBe(i);
      expect(a.candidates[a.rank]!.id).toBe(tokens[i]!.id);
      expect(a.candidates[a.rank]!.onOutput).toBe(true);
      if (i > 0) expect(a.mix.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 12);
    });
    expect(anns[0]!.corpus?.tokens).toBe(29);
    expect(anns.at(-1)!.final).toBeDefined();
    expect(anns.slice(0, -1).every((a) => a.final === undefined)).toBe(true);
  });

  it('α > 0 without a corpus is refused with a clear message; α = 0 needs none', async () => {
    await expect(drive(table(3), { corpusName: 'none' })).rejects.toThrow(/needs an n-gram corpus/);
    await expect(drive(table(3), { corpusName: 'none', alpha: 0 })).resolves.toBeDefined();
  });
});
