import { processRow, type ContrastTerm, type ProcessRowOptions } from '../../../workers/decode/fusion';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import { isSampling, type ChainParams } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import type { StepResult, StrategyRun } from '../../types';
import { cdAnnotations, penalisedArgmax } from './cd-annotations';
import type { ContrastSettings } from './cd-settings';
import { breakTie } from './cd-tiebreak';

/** Everything a contrastive-decoding panel is configured with. */
export interface CdConfig {
  contrast: ContrastSettings;
  chain: ChainParams;
  /** Top-k size of the base summaries (≥ 10, for the token records). */
  topK: number;
}

/**
 * One panel of contrastive decoding (expert = target, amateur = draft). Per token: one forward of
 * each model (the two KV caches advance in lock-step), then ONE fused pass on the expert's logits
 * row with the amateur's row as the contrast term (repetition penalty on both → plausibility mask →
 * contrast → [warpers, draw]), and a small readout of the amateur's row for the annotations. On
 * WebGPU the vocabulary rows stay on the GPU; only summaries are read back.
 */
export class ContrastiveDecodingRun implements StrategyRun {
  constructor(
    private readonly expert: TokenSequence,
    private readonly amateur: TokenSequence,
    private readonly config: CdConfig,
    private readonly rng: Rng,
  ) {}

  async step(): Promise<StepResult> {
    const zE = await this.expert.forwardPending();
    let zA: Logits | null = null;
    try {
      zA = await this.amateur.forwardPending();
      return await this.decide(zE, zA);
    } finally {
      zE.dispose();
      zA?.dispose();
    }
  }

  private async decide(zE: Logits, zA: Logits): Promise<StepResult> {
    const { contrast, chain, topK } = this.config;
    const host = this.expert;
    const rowE = zE.rowIndex(0, -1);
    const term: ContrastTerm = { logits: zA, row: zA.rowIndex(0, -1), ...contrast };
    const history = [...this.expert.ids];
    const opts: ProcessRowOptions = { chain, history, uniform: isSampling(chain) ? this.rng.next() : null, contrast: term, k: topK };
    const fused = await processRow(host, zE, rowE, opts);
    const id = await breakTie(host, zE, rowE, opts, fused);
    // Sampling reports the kept set after the warpers; |V_head| then needs the unwarped pass.
    const vHead = fused.sampled ? (await processRow(host, zE, rowE, { ...opts, uniform: null, k: 1 })).kept : fused.kept;
    const expertRow = await this.expert.readout.withToken(zE, rowE, fused.raw, id, topK);
    const [amateurRow] = await this.amateur.readout.rows(zA, term.row, 1, topK, [id]);
    const annotations = cdAnnotations({
      settings: contrast,
      chosen: id,
      fused,
      vHead,
      expertGreedy: penalisedArgmax(fused.raw, history, chain),
      expert: expertRow,
      amateur: amateurRow!,
    });
    this.expert.commit([id]);
    this.amateur.commit([id]);
    return { tokens: [{ id, base: expertRow, annotations: { ...annotations } }] };
  }
}
