import { describe, expect, it } from 'vitest';
import { runLoop, type PanelJob } from '../../workers/decode/loop';
import { LabLog, labCandidates, stagePlan } from '../../workers/decode/lab';
import { StepGate } from '../../workers/decode/step-gate';
import { yieldToEventLoop } from '../../workers/decode/stop';
import { processRow, type FusionHost } from '../../workers/decode/fusion';
import { Readout } from '../../workers/decode/readout';
import { GREEDY_CHAIN } from '../../workers/processors/chain';
import type { StepEvent } from '../../protocol';
import { Rng } from '../../workers/rng';
import { sample } from '../../strategies/base/worker/sample';
import { CpuSequence, cpuLogits } from '../processors/cpuSequence';
import { letters } from './fakes';

const V = 10;
/** A row that depends on the sequence, so a stepped run and a straight one must agree token by token. */
const rowFor = (ids: number[]) => Array.from({ length: V }, (_, i) => Math.sin(ids.length * 1.7 + i * 0.9 + (ids[ids.length - 1] ?? 0)) * 2);

function job(params: Record<string, number>, seed: number): { job: PanelJob; seq: CpuSequence } {
  const seq = new CpuSequence([0, 1], rowFor);
  const lab = new LabLog();
  seq.lab = { log: lab, model: 'target' };
  return {
    seq,
    job: {
      run: sample.start({ params, target: seq, draft: null, rng: new Rng(seed), topK: 10 }),
      target: seq,
      draft: null,
      readouts: [],
      promptIds: [...seq.ids],
      generated: [],
      lab,
      record: { strategy: 'sample', params, text: '', tokens: [], stats: { newTokens: 0, targetForwards: 0, draftForwards: 0, wallMs: 0, tokensPerSecond: 0, readbackBytes: 0, finishReason: null, timeToFirstTokenMs: null } },
    },
  };
}

function loop(jobs: PanelJob[], maxNewTokens: number, gate?: StepGate, events?: StepEvent[], interrupted: () => boolean = () => false) {
  // A yield between every two steps (the fake steps take no time): the test's Pause gets in mid-run.
  return runLoop({ jobs, maxNewTokens, tokenizer: letters, eosIds: [], interrupted, emit: (e) => events?.push(e), isFatal: () => false, yieldIntervalMs: 0, ...(gate && { gate }) });
}

const PARAMS = { temperature: 0.8, topK: 6, topP: 0.9, repetitionPenalty: 1.3 };

describe('step gate', () => {
  it('holds a paused run until step() grants a round, which resolves with that round', async () => {
    const gate = new StepGate(true);
    const { job: j } = job(PARAMS, 7);
    const done = loop([j], 5, gate);
    await new Promise((r) => setTimeout(r, 20));
    expect(j.record.tokens).toHaveLength(0);
    const first = await gate.step();
    expect(first).toHaveLength(1);
    expect(first![0]!.tokens).toHaveLength(1);
    expect(j.record.tokens).toHaveLength(1);
    const second = await gate.step();
    expect(second![0]!.tokens[0]!.id).toBe(j.record.tokens[1]!.id);
    await new Promise((r) => setTimeout(r, 20));
    expect(j.record.tokens).toHaveLength(2);
    gate.resume();
    await done;
    expect(j.record.tokens).toHaveLength(5);
    gate.end();
    expect(await gate.step()).toBeNull();
  });

  it('Step → Run → Pause → Step gives the tokens of an uninterrupted run with the same seed', async () => {
    const straight = job(PARAMS, 11).job;
    await loop([straight], 12);
    const gate = new StepGate(true);
    const stepped = job(PARAMS, 11).job;
    const done = loop([stepped], 12, gate);
    await gate.step();
    await gate.step();
    gate.resume();
    // Let it run a round or more (the loop yields through the same channel), then pause mid-run.
    while (stepped.record.tokens.length < 3) await yieldToEventLoop();
    const paused = await gate.step();
    expect(paused).not.toBeNull();
    await gate.step();
    gate.resume();
    await done;
    expect(stepped.record.tokens.map((t) => t.id)).toEqual(straight.record.tokens.map((t) => t.id));
    expect(stepped.record.tokens.map((t) => t.prob)).toEqual(straight.record.tokens.map((t) => t.prob));
  });

  it('Stop releases a paused run', async () => {
    let stop = false;
    const gate = new StepGate(true);
    const { job: j } = job(PARAMS, 3);
    const done = loop([j], 5, gate, undefined, () => stop);
    await gate.step();
    stop = true;
    gate.release();
    await done;
    expect(j.record.stats.finishReason).toBe('stopped');
    expect(j.record.tokens).toHaveLength(1);
  });
});

describe('logit lab', () => {
  it('records the stages of a stepped sample and agrees with the token record', async () => {
    const gate = new StepGate(true);
    const { job: j } = job(PARAMS, 5);
    const events: StepEvent[] = [];
    const done = loop([j], 3, gate, events);
    for (let s = 0; s < 3; s++) {
      const entries = await gate.step();
      const entry = entries![0]!;
      const token = entry.tokens[0]!;
      const row = entry.lab!.rows[0]!;
      expect(row.chosen).toBe(token.id);
      expect(row.candidates[0]!.id).toBe(token.id);
      expect(row.stages.map((st) => st.id)).toEqual(['raw', 'repetitionPenalty', 'temperature', 'topK', 'topP']);
      // Raw stage = the record's raw softmax for every candidate in its top list.
      for (const t of token.top) {
        const at = row.candidates.findIndex((c) => c.id === t.id);
        if (at >= 0) expect(row.stages[0]!.probs[at]).toBeCloseTo(t.prob, 6);
      }
      const last = row.stages[row.stages.length - 1]!;
      const ann = token.annotations as { processedProb: number; kept: number };
      expect(last.kept).toBe(ann.kept);
      expect(last.probs[0]).toBeCloseTo(ann.processedProb, 9);
      expect(row.sampled).toBe(true);
      expect(row.uniform).toBeGreaterThanOrEqual(0);
      // Top-k 6 keeps 6 ids; the stages only ever remove.
      expect(row.stages[3]!.kept).toBe(6);
      expect(row.stages[0]!.kept).toBe(V);
      expect(events.at(-1)!.lab).toEqual(entry.lab);
    }
    await done;
  });

  it('records nothing while the run goes straight through', async () => {
    const events: StepEvent[] = [];
    const { job: j } = job(PARAMS, 5);
    await loop([j], 3, new StepGate(false), events);
    expect(events.every((e) => e.lab === undefined)).toBe(true);
  });

  it('plans only the stages that apply: greedy has no temperature or warpers', () => {
    const chain = { ...GREEDY_CHAIN, temperature: 0, topP: 0.5, repetitionPenalty: 1.2 };
    expect(stagePlan({ chain, history: [], uniform: null }, false).map((p) => p.id)).toEqual(['raw', 'repetitionPenalty']);
    const sampling = { ...GREEDY_CHAIN, temperature: 1, minP: 0.1 };
    const plans = stagePlan({ chain: sampling, history: [], uniform: 0.5 }, true);
    expect(plans.map((p) => p.id)).toEqual(['raw', 'temperature', 'minP']);
    expect(plans[0]!.opts.uniform).toBeNull();
    expect(plans[2]!.opts.uniform).toBe(0.5);
  });

  it('lists the chosen id first, then the final and raw tops by rank, at most 16', () => {
    expect(labCandidates(4, [4, 2, 7], [1, 4, 3])).toEqual([4, 1, 2, 7, 3]);
    expect(labCandidates(0, Array.from({ length: 30 }, (_, i) => i), [])).toHaveLength(16);
  });

  it('processRow records only while the log is enabled, without counting the lab readback', async () => {
    const log = new LabLog();
    const host: FusionHost = { gpu: null, readout: new Readout(null), lab: { log, model: 'draft' } };
    const logits = cpuLogits([[1, 2, 3, 0, -1]]);
    await processRow(host, logits, 0, { chain: GREEDY_CHAIN, history: [], uniform: null });
    expect(log.rows).toHaveLength(0);
    const bytes = host.readout.bytes;
    log.reset(true);
    const r = await processRow(host, logits, 0, { chain: GREEDY_CHAIN, history: [], uniform: null });
    expect(host.readout.bytes - bytes).toBe(bytes);
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]).toMatchObject({ model: 'draft', chosen: r.id, sampled: false, uniform: null });
    expect(log.rows[0]!.stages.map((s) => s.id)).toEqual(['raw']);
  });
});
