import { describe, expect, it } from 'vitest';
import type { CdAnnotations } from '../../strategies/contrastive/worker/cd-annotations';
import type { ContrastSettings } from '../../strategies/contrastive/worker/cd-settings';
import { Rng } from '../../workers/rng';
import { contrastive } from '../../strategies/contrastive/worker/contrastive';
import type { StrategyRun } from '../../strategies/types';
import { oracleArgmax, oracleRow, penalise, topMargin } from './cd-oracle';
import { hashVector } from './fake-branching';
import { FakeLogitsSequence } from './fake-logits-sequence';

const V = 40;
const PROMPT = [1, 2, 3];
/** Expert rows: pseudo-random with a spread of ~3 nats, so V_head (α = 0.1) holds several tokens. */
const expertRow = (ids: number[]) => Array.from(hashVector(ids, V), (x) => 3 * x);
/** Amateur rows: correlated with the expert's but not equal. */
const amateurRow = (ids: number[]) => expertRow(ids).map((z, i) => 0.6 * z + 2 * hashVector([...ids, 999], V)[i]!);

const DEFAULTS: Record<string, number | string> = { alpha: 0.1, beta: 0.5, form: 'logit', amateurTemperature: 1, temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 };

interface Panel {
  run: StrategyRun;
  expert: FakeLogitsSequence;
  amateur: FakeLogitsSequence;
}

function panel(params: Record<string, number | string>, amateur = amateurRow, expert = expertRow): Panel {
  const e = new FakeLogitsSequence(PROMPT, expert);
  const a = new FakeLogitsSequence(PROMPT, amateur);
  const run = contrastive.start({ params: { ...DEFAULTS, ...params }, target: e, draft: a, rng: new Rng(7), topK: 10 });
  return { run, expert: e, amateur: a };
}

async function decode(p: Panel, n: number): Promise<{ ids: number[]; notes: CdAnnotations[] }> {
  const ids: number[] = [];
  const notes: CdAnnotations[] = [];
  for (let i = 0; i < n; i++) {
    const [t] = (await p.run.step()).tokens;
    ids.push(t!.id);
    notes.push(t!.annotations as unknown as CdAnnotations);
  }
  return { ids, notes };
}

/** Expert greedy over the same fake model (argmax, ties to the lower id). */
function expertGreedy(n: number, expert = expertRow): number[] {
  const ids = [...PROMPT];
  for (let i = 0; i < n; i++) {
    const row = expert(ids);
    ids.push(row.indexOf(Math.max(...row)));
  }
  return ids.slice(PROMPT.length);
}

const settings = (p: Record<string, number | string>): ContrastSettings => ({ ...DEFAULTS, ...p }) as unknown as ContrastSettings;

describe('contrastive decoding on hand-built logits (CPU fusion)', () => {
  for (const form of ['logit', 'logprob']) {
    it(`${form} form: every choice is the oracle's and lies in V_head; it departs from expert greedy`, async () => {
      const params = { form, beta: 0.5, amateurTemperature: form === 'logprob' ? 0.7 : 1 };
      const { ids, notes } = await decode(panel(params), 30);
      const prefix = [...PROMPT];
      ids.forEach((id, i) => {
        const zE = expertRow(prefix);
        const row = oracleRow(zE, amateurRow(prefix), V, settings(params));
        expect(row.scores[id]).toBeGreaterThan(-Infinity);
        expect(zE[id]!).toBeGreaterThanOrEqual(row.threshold);
        expect(notes[i]!.vHead).toBe(row.headSize);
        expect(notes[i]!.expert.prob).toBeGreaterThanOrEqual(0.1 * notes[i]!.expert.maxProb);
        if (topMargin(row) > 1e-5) expect(id).toBe(oracleArgmax(row, zE));
        prefix.push(id);
      });
      expect(notes.some((n) => n.departed)).toBe(true);
      expect(ids).not.toEqual(expertGreedy(30));
    });
  }

  it('β = 0 (logit form) equals expert greedy even when the amateur disagrees', async () => {
    expect((await decode(panel({ beta: 0 }), 30)).ids).toEqual(expertGreedy(30));
  });

  it('α = 1 keeps only the expert maximum: expert greedy for both forms', async () => {
    for (const form of ['logit', 'logprob']) {
      const { ids, notes } = await decode(panel({ alpha: 1, beta: 2, form }), 30);
      expect(ids).toEqual(expertGreedy(30));
      expect(notes.every((n) => n.vHead === 1 && !n.departed)).toBe(true);
    }
  });

  it('|V_head| = 1 gives expert greedy although the amateur favours the expert top', async () => {
    // The expert's top beats the rest by 3 nats (> log 1/α); the amateur likes that top most too.
    const peaked = (ids: number[]) => expertRow(ids).map((z, i, r) => (i === r.indexOf(Math.max(...r)) ? z + 3 : z));
    const { ids, notes } = await decode(panel({ beta: 5 }, (ids) => peaked(ids).map((z) => 3 * z), peaked), 20);
    expect(notes.every((n) => n.vHead === 1)).toBe(true);
    expect(ids).toEqual(expertGreedy(20, peaked));
  });

  it('amateur := expert gives expert greedy for any β, Li form included (tie-break on z_E)', async () => {
    for (const form of ['logit', 'logprob']) {
      for (const beta of [0.5, 1, 3]) {
        const { ids, notes } = await decode(panel({ form, beta }, expertRow), 25);
        expect(ids).toEqual(expertGreedy(25));
        expect(notes.some((n) => n.vHead > 1)).toBe(true);
      }
    }
  });

  it('the repetition penalty applies to both rows before the contrast', async () => {
    const params = { repetitionPenalty: 1.8, beta: 1 };
    const { ids } = await decode(panel(params), 25);
    const prefix = [...PROMPT];
    for (const id of ids) {
      const zE = penalise(expertRow(prefix), prefix, 1.8);
      const row = oracleRow(zE, penalise(amateurRow(prefix), prefix, 1.8), V, settings(params));
      if (topMargin(row) > 1e-5) expect(id).toBe(oracleArgmax(row, zE));
      prefix.push(id);
    }
  });

  it('sampling (temperature > 0) draws inside V_head, one uniform per token, reproducibly', async () => {
    const a = await decode(panel({ temperature: 1.5 }), 30);
    const b = await decode(panel({ temperature: 1.5 }), 30);
    expect(a.ids).toEqual(b.ids);
    expect(a.notes.every((n) => n.sampled && n.expert.prob >= 0.1 * n.expert.maxProb)).toBe(true);
    const prefix = [...PROMPT];
    a.ids.forEach((id, i) => {
      expect(a.notes[i]!.vHead).toBe(oracleRow(expertRow(prefix), amateurRow(prefix), V, settings({})).headSize);
      prefix.push(id);
    });
  });

  it('advances both models in lock-step: one forward each per token', async () => {
    const p = panel({});
    await decode(p, 12);
    expect(p.expert.forwards).toBe(12);
    expect(p.amateur.forwards).toBe(12);
    expect(p.amateur.ids).toEqual(p.expert.ids);
  });

  it('refuses out-of-range settings naming the parameter and value', () => {
    expect(() => panel({ alpha: 0 })).toThrow(/alpha must be a number in \(0, 1\], got 0/);
    expect(() => panel({ amateurTemperature: 0 })).toThrow(/amateurTemperature must be a number in \(0, 100\], got 0/);
    const e = new FakeLogitsSequence(PROMPT, expertRow);
    expect(() => contrastive.start({ params: DEFAULTS, target: e, draft: null, rng: new Rng(1), topK: 10 })).toThrow(/needs a second model/);
  });
});
