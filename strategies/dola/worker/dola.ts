import { processRow, type ProcessRowOptions } from '../../../workers/decode/fusion';
import type { BatchedSequence, TokenSequence } from '../../../workers/decode/sequence';
import { LogitscopeError } from '../../../workers/errors';
import type { Logits } from '../../../workers/model/logits';
import { isSampling } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import { modelView, penalisedArgmax } from '../../contrastive/worker/cd-annotations';
import type { DecodingStrategy, StepResult, StrategyRun } from '../../types';
import type { DolaAnnotations, DolaCandidate } from '../annotations';
import { LayerDivergenceOp } from '../../../kernels/ops/layerDivergence';
import { layerDivergences } from './divergence';
import { candidateLayers, firstMax } from './layers';
import { dolaParams, parseDolaSettings, type DolaSettings } from './settings';

/** Scores and premature-layer tokens listed per token. */
const LISTED = 5;

/** What DoLa needs beyond TokenSequence: the feed that also returns every layer's lens (a SequenceRunner's). */
export type LayeredSequence = TokenSequence & Pick<BatchedSequence, 'forwardPendingLayers'>;

/** Why a model cannot run DoLa. */
export const NO_LAYER_LOGITS =
  'DoLa needs every layer’s logits, and this model’s graph exports no layer_logits: use a built-in model or a llama2.c checkpoint imported in the app (Hub exports from Optimum have no per-layer outputs)';

/**
 * One DoLa panel (docs/algorithms.md#dola). Per token: one forward returning the logits and the
 * logit lens of every layer at the last position (layer_logits); the divergence of each candidate
 * layer's distribution from the output's picks the premature layer m (on the GPU, 8 bytes per
 * layer read back); then ONE fused pass on the output row with the layer-m row as Li's contrast
 * term, log p_L − log p_m on the plausible set {p_L ≥ α·max p_L} (the repetition penalty applies to
 * both rows first, as in our contrastive decoding), greedy argmax (ties to the lower id) or a draw.
 */
export class DolaRun implements StrategyRun {
  private layers: number[] | null = null;
  /** The divergence kernel with its buffers, made on the first WebGPU step and kept for the run. */
  private op: LayerDivergenceOp | null = null;

  constructor(
    private readonly seq: LayeredSequence,
    private readonly s: DolaSettings,
    private readonly tied: boolean,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string = (_c, id) => `#${id}`,
  ) {}

  async step(): Promise<StepResult> {
    const history = [...this.seq.ids];
    const { logits, layers } = await this.seq.forwardPendingLayers();
    try {
      if (!layers) throw new LogitscopeError('model-invalid', NO_LAYER_LOGITS);
      return await this.decide(history, logits, layers);
    } finally {
      logits.dispose();
      layers?.dispose();
    }
  }

  private async decide(history: number[], logits: Logits, layers: Logits): Promise<StepResult> {
    const L = layers.seqLen - 1;
    if (!this.layers) {
      try {
        this.layers = candidateLayers(this.s.layers, L, this.tied);
      } catch (e) {
        throw new LogitscopeError('bad-request', e instanceof Error ? e.message : String(e));
      }
    }
    const J = this.layers;
    const row = logits.rowIndex(0, -1);
    // As Hugging Face: with one candidate no divergence is computed.
    const op = () => (this.op ??= new LayerDivergenceOp(this.seq.gpu!));
    const div = J.length > 1 ? await layerDivergences(this.seq, op, logits, row, layers, J.map((l) => layers.rowIndex(0, l))) : null;
    const m = div ? J[firstMax(div.map((d) => d.code))]! : J[0]!;
    const premRow = layers.rowIndex(0, m);
    const { chain } = this.s;
    const uniform = isSampling(chain) ? this.rng.next() : null;
    const opts: ProcessRowOptions = {
      chain,
      history,
      uniform,
      k: this.topK,
      contrast: { logits: layers, row: premRow, form: 'logprob', alpha: this.s.alpha, beta: 0, amateurTemperature: 1 },
    };
    const fused = await processRow(this.seq, logits, row, opts);
    const id = fused.id;
    // |plausible set| is the unwarped pass's kept count; a draw reports the set after the warpers.
    const plausible = fused.sampled ? (await processRow(this.seq, logits, row, { ...opts, uniform: null, k: 1 })).kept : fused.kept;
    const [prem] = await this.seq.readout.rows(layers, premRow, 1, LISTED, [id]);
    const modelGreedy = penalisedArgmax(fused.raw, history, chain);
    const top = fused.processedTop;
    const candidates: DolaCandidate[] = J.map((layer, i) => ({ layer, divergence: div ? div[i]!.code : null, jsd: div ? div[i]!.jsd : null }));
    const annotations: DolaAnnotations = {
      kind: 'dola',
      candidates,
      premature: m,
      mature: L,
      alpha: this.s.alpha,
      plausible,
      modelGreedy,
      departed: id !== modelGreedy,
      sampled: fused.sampled,
      scores: top.ids.slice(0, LISTED).map((t, i) => ({ id: t, score: top.logits[i]! })),
      // The fused pass reports the picked token's raw logit, also outside the top list.
      matureProb: modelView(fused.raw, id).prob,
      prematureProb: modelView(prem!, id).prob,
      prematureTop: prem!.topIds.slice(0, LISTED).map((t, i) => ({ id: t, text: this.textAfter(history, t), prob: Math.exp(prem!.topLogits[i]! - prem!.lse) })),
    };
    this.seq.commit([id]);
    return { tokens: [{ id, base: fused.raw, annotations }] };
  }

  dispose(): void {
    this.op?.dispose();
    this.op = null;
  }
}

/**
 * DoLa, Decoding by Contrasting Layers (Chuang et al., ICLR 2024, https://arxiv.org/abs/2309.03883):
 * contrast the output layer with the premature layer whose logit lens differs most from it, on the
 * tokens the output finds plausible. Needs layer_logits (the built-in models, llama2.c imports).
 */
export const dola: DecodingStrategy = {
  info: {
    id: 'dola',
    label: 'DoLa (contrast layers)',
    description:
      'Per token, the candidate layer whose early-exit distribution differs most from the output is contrasted with it: log p_output − log p_layer on the tokens the output finds plausible (repetition penalty 1.2 by default, as the paper recommends).',
    needsDraft: false,
    needsLayerLogits: true,
    interpretation: true,
    params: dolaParams(),
  },
  start(ctx) {
    const settings = parseDolaSettings(ctx.params);
    const runner = ctx.capabilities?.batched;
    if (!runner) return { step: () => Promise.reject(new LogitscopeError('internal', 'DoLa needs a model runner with layer outputs')) };
    const tied = runner.model.config.tie_word_embeddings !== false;
    return new DolaRun(runner, settings, tied, ctx.rng, ctx.topK, ctx.textAfter);
  },
};
