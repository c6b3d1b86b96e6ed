import { processRow, type ProcessRowOptions } from '../../../workers/decode/fusion';
import { changesGreedyLogits } from '../../../workers/processors/chain';
import type { RowSummary } from '../../../workers/decode/readout';
import type { BatchedSequence } from '../../../workers/decode/sequence';
import type { StopSignal } from '../../../workers/decode/stop';
import type { Logits } from '../../../workers/model/logits';
import type { GradAnnotations, GradProvenance } from '../annotations';
import type { StepResult, StrategyRun } from '../../types';
import { buildGraph } from './build';
import { loadSampleCorpus, splitPassages } from '../../../workers/decode/corpus';
import { fusedArgmaxFromTop, planFusion, SCALE_TOP, type FusionPlan } from './fusion-plan';
import type { GraphRow, TransitionGraph } from './graph';
import { encodePassages, retrieve, type Retrieved } from './retrieval';
import { RunnerPrefill } from './runner-prefill';
import type { GradSettings } from './settings';

/** Budget of one corpus prefill's logits (batch × length × width elements, 96 MB as f32). */
export const MAX_PREFILL_LOGITS = 24 * 1024 * 1024;

/** Successors listed per token for the popover. */
const SUCCESSORS_SHOWN = 8;

/** Where the emitted token came from (../annotations.ts). */
export type Provenance = GradProvenance;

/** One step's pick. */
interface Choice {
  id: number;
  /** Raw summary at the position (tokenLogit set when `id` is outside its top). */
  raw: RowSummary;
  plan: FusionPlan | null;
  /** The choice without the graph term. */
  modelArgmax: number;
  /** Whether the GPU fusion pass ran (the top-k could not decide). */
  fusedPass: boolean;
}

interface BuiltGraph {
  graph: TransitionGraph;
  retrieved: Retrieved;
  prefills: number;
  positions: number;
  /** Bytes the build read back (GPU) or read from the CPU logits (WASM). */
  bytes: number;
  ms: number;
}

/**
 * One GRAD panel: on the first step, retrieve passages for the prompt (BM25) and build the transition
 * graph with one batched prefill; then decode greedily from z fused with the graph row of the last
 * token. The full row never reaches the CPU: the top-50 readout decides the fused argmax when it
 * provably can, otherwise processRow adds the sparse term on the GPU (CPU references on WASM).
 */
export class GradRun implements StrategyRun {
  private built: Promise<BuiltGraph> | null = null;
  private steps = 0;

  constructor(
    private readonly runner: BatchedSequence,
    private readonly s: GradSettings,
    private readonly topK: number,
    /** Origin the bundled corpora are fetched from. */
    private readonly origin: string,
    private readonly stop?: StopSignal,
  ) {}

  async step(): Promise<StepResult> {
    const built = await (this.built ??= this.build());
    await this.stop?.checkpoint();
    const u = this.runner.ids[this.runner.ids.length - 1]!;
    const g = built.graph.normalizedRow(u);
    const logits = await this.runner.forwardPending();
    let choice: Choice;
    try {
      choice = changesGreedyLogits(this.s.chain) ? await this.pickPenalised(logits, g) : await this.pickPlain(logits, g);
    } finally {
      logits.dispose();
    }
    this.runner.commit([choice.id]);
    const annotations = this.annotate(built, u, g, choice);
    this.steps++;
    return { tokens: [{ id: choice.id, base: choice.raw, annotations }] };
  }

  /**
   * No penalty: one raw readout (top-50, as greedy's but wider) usually decides argmax(z + c·g)
   * exactly (always under A with λ ≤ 1); otherwise processRow fuses the sparse term on the GPU.
   */
  private async pickPlain(logits: Logits, g: GraphRow | null): Promise<Choice> {
    const at = logits.rowIndex(0, -1);
    // Without a graph row this is exactly greedy's readout; with one, the top-50 also gives S.
    const k = g ? Math.max(this.topK, SCALE_TOP) : this.topK;
    const [raw] = await this.runner.readout.rows(logits, at, 1, k);
    const modelArgmax = raw!.topIds[0];
    if (modelArgmax === undefined) throw new Error('the logit row has no finite entry');
    if (!g) return { id: modelArgmax, raw: raw!, plan: null, modelArgmax, fusedPass: false };
    const plan = planFusion(this.s.fusion, { ...raw!, vocab: logits.validVocab });
    const quick = fusedArgmaxFromTop(raw!.topIds, raw!.topLogits, g, plan.graphScale, raw!.topIds.length < k);
    if (quick !== null) return { id: quick, raw: raw!, plan, modelArgmax, fusedPass: false };
    const row = await processRow(this.runner, logits, at, { ...this.options(k), sparse: { ids: g.ids, values: g.values, scale: plan.graphScale } });
    return { id: row.id, raw: row.raw, plan, modelArgmax, fusedPass: true };
  }

  /** With a repetition penalty: the fused pass always, plus the chain alone for the unfused argmax. */
  private async pickPenalised(logits: Logits, g: GraphRow | null): Promise<Choice> {
    const at = logits.rowIndex(0, -1);
    const k = Math.max(this.topK, SCALE_TOP);
    if (!g) {
      const row = await processRow(this.runner, logits, at, this.options(k));
      return { id: row.id, raw: row.raw, plan: null, modelArgmax: row.id, fusedPass: true };
    }
    const seen: { plan: FusionPlan | null } = { plan: null };
    const scale = (raw: RowSummary): number => {
      seen.plan = planFusion(this.s.fusion, { ...raw, vocab: logits.validVocab });
      return seen.plan.graphScale;
    };
    const row = await processRow(this.runner, logits, at, { ...this.options(k), sparse: { ids: g.ids, values: g.values, scale } });
    const modelArgmax = (await processRow(this.runner, logits, at, this.options(k))).id;
    return { id: row.id, raw: row.raw, plan: seen.plan, modelArgmax, fusedPass: true };
  }

  private options(k: number): ProcessRowOptions {
    return { chain: this.s.chain, history: this.runner.ids, uniform: null, k };
  }

  private annotate(built: BuiltGraph, u: number, g: GraphRow | null, c: Choice): GradAnnotations {
    const tok = this.runner.model.tokenizer;
    const provenance: Provenance = !g ? 'no graph row' : c.id === c.modelArgmax ? 'unchanged' : 'flipped by graph';
    const out: GradAnnotations = {
      kind: 'grad',
      provenance,
      variant: this.s.fusion.variant,
      lambdaT: c.plan?.lambdaT ?? 0,
      scale: c.plan?.scale ?? null,
      modelArgmax: c.modelArgmax,
      fusedPass: c.fusedPass,
      successors: built.graph.topSuccessors(u, SUCCESSORS_SHOWN).map((x) => ({ id: x.id, text: tok.decode([x.id]), weight: x.weight })),
    };
    if (this.steps === 0) {
      out.graph = {
        passages: built.retrieved.indices.map((index, i) => ({ index, score: built.retrieved.scores[i]!, text: built.retrieved.passages[i]! })),
        edges: built.graph.edgeCount,
        sources: built.graph.sourceCount,
        prefills: built.prefills,
        positions: built.positions,
        readbackBytes: built.bytes,
        buildMs: built.ms,
      };
    }
    return out;
  }

  private async build(): Promise<BuiltGraph> {
    const t0 = performance.now();
    const bytes0 = this.runner.readout.bytes;
    const tok = this.runner.model.tokenizer;
    const specials = new Set<number>(tok.eosIds);
    if (tok.bosId !== null) specials.add(tok.bosId);
    const pool = [...(await loadSampleCorpus(this.s.corpusName, this.origin)), ...splitPassages(this.s.corpus)];
    const query = tok.decode(this.runner.ids.filter((id) => !specials.has(id)));
    const retrieved = retrieve(pool, query, this.s.topN);
    const sequences = encodePassages(retrieved.passages, (text) => tok.encode(text, false));
    const reader = new RunnerPrefill(this.runner);
    const r = await buildGraph(sequences, reader, { skipIds: specials, padId: tok.eosIds[0] ?? 0, maxLogitElems: MAX_PREFILL_LOGITS, ...(this.stop ? { stop: this.stop } : {}) });
    return { graph: r.graph, retrieved, prefills: r.prefills, positions: r.positions, bytes: this.runner.readout.bytes - bytes0, ms: performance.now() - t0 };
  }
}
