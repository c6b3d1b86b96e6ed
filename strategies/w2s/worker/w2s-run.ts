import { w2sKls } from '../../../kernels/reference/w2sFusion';
import { processRow, type ProcessRowOptions } from '../../../workers/decode/fusion';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import { isSampling } from '../../../workers/processors/chain';
import type { Rng } from '../../../workers/rng';
import type { StepResult, StrategyRun } from '../../types';
import type { W2sAnnotations, W2sEntry } from '../annotations';
import type { ExpertSequence } from './expert';
import { chooseAlpha, type W2sSettings } from './settings';
import type { W2sKernels, W2sRows } from './w2s-kernels';

/** Alternatives listed per distribution in a token's annotations. */
const LISTED = 5;

/**
 * One weak-to-strong panel (Dynamic Logits Fusion, docs/algorithms.md#w2s): per token one forward
 * of the large model L (target), the small model S (draft, on the prompt) and the expert E (the
 * draft on the expert context, or S itself when the prefix is empty), all three caches in
 * lock-step. On the backend's kernels: the exact full-vocabulary KL(F(α) ‖ L) of every grid α and
 * κ = KL(E ‖ S), α* = argmin |KL − κ| (ties → smaller α), the fused row z_L + α*·(z_E − z_S) written
 * as a new row, then the processor chain on it (greedy by default). L's own row goes through the
 * same chain (and uniform) to name its own pick.
 */
export class W2sRun implements StrategyRun {
  private first = true;

  constructor(
    private readonly large: TokenSequence,
    private readonly small: TokenSequence,
    /** The expert's sequence, or null when E is S (empty expert prefix). */
    private readonly expert: ExpertSequence | null,
    private readonly s: W2sSettings,
    private readonly kernels: W2sKernels,
    private readonly rng: Rng,
    private readonly topK: number,
    private readonly textAfter: (context: readonly number[], id: number) => string = (_c, id) => `#${id}`,
  ) {}

  async step(): Promise<StepResult> {
    const history = [...this.large.ids];
    const owned: Logits[] = [];
    try {
      const zL = await this.large.forwardPending();
      owned.push(zL);
      const zS = await this.small.forwardPending();
      owned.push(zS);
      let zE = zS;
      if (this.expert) {
        zE = await this.expert.forwardPending();
        owned.push(zE);
      }
      const rows: W2sRows = {
        large: { logits: zL, row: zL.rowIndex(0, -1) },
        small: { logits: zS, row: zS.rowIndex(0, -1) },
        expert: { logits: zE, row: zE.rowIndex(0, -1) },
      };
      const { grid, dynamic, chain } = this.s;
      const { stats, bytes } = await this.kernels.stats(rows, grid);
      this.large.readout.bytes += bytes;
      const { kls, kappa } = w2sKls(stats, grid);
      const j = dynamic ? chooseAlpha(kls, kappa) : grid.length - 1;
      const alpha = grid[j]!;
      const fusedLogits = this.kernels.fused(rows, alpha);
      owned.push(fusedLogits);
      const uniform = isSampling(chain) ? this.rng.next() : null;
      const opts: ProcessRowOptions = { chain, history, uniform, k: this.topK };
      // L alone first: the logit lab opens on the last row, the decision that was emitted.
      const alone = await processRow(this.large, zL, rows.large.row, { ...opts, labLabel: 'large model alone', mirostatPeek: true });
      const fused = await processRow(this.large, fusedLogits, 0, { ...opts, labLabel: 'fused' });
      const id = fused.id;
      const base = await this.large.readout.withToken(zL, rows.large.row, alone.raw, id, this.topK);
      const [smallRow] = await this.small.readout.rows(zS, rows.small.row, 1, LISTED);
      const [expertRow] = this.expert ? await this.small.readout.rows(zE, rows.expert.row, 1, LISTED) : [smallRow];
      const list = (r: RowSummary): W2sEntry[] => r.topIds.slice(0, LISTED).map((t, i) => ({ id: t, text: this.textAfter(history, t), p: Math.exp(r.topLogits[i]! - r.lse) }));
      const annotations: W2sAnnotations = {
        kind: 'w2s',
        provenance: id === alone.id ? 'agreed' : 'flipped',
        alpha,
        dynamic,
        kappa,
        kl: kls[j]!,
        curve: kls,
        grid: [...grid],
        sampled: fused.sampled,
        processedProb: fused.processedProb,
        largeChoice: { id: alone.id, text: this.textAfter(history, alone.id), prob: alone.processedProb },
        top: { large: list(alone.raw), small: list(smallRow!), expert: list(expertRow!), fused: list(fused.raw) },
      };
      if (this.first) annotations.expertContext = { tokens: this.expert ? this.expert.ids.length : this.small.ids.length, sharesSmall: this.expert === null };
      this.first = false;
      this.large.commit([id]);
      this.small.commit([id]);
      this.expert?.commit([id]);
      return { tokens: [{ id, base, annotations }] };
    } finally {
      for (const l of owned) l.dispose();
    }
  }

  dispose(): void {
    this.expert?.dispose();
    this.kernels.dispose();
  }
}
