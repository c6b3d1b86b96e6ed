import type { FusionHost } from '../../../workers/decode/fusion';
import type { LabTag } from '../../../workers/decode/lab';
import type { LensLayerTop } from '../../../workers/decode/lens';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Logits } from '../../../workers/model/logits';
import type { Proposal, Verification, Verifier } from '../../speculative/worker/types';

/** Top ids read per row for a recording when the verifier reads none itself (the recycled width). */
const RECORD_K = 8;

/**
 * Sees every row of every target forward a verification runs: `inputs[i]` is the token fed at row i
 * and `rows[i]` the RAW summary of the logits after it (temperature 1, no processors).
 */
export type ForwardRecorder = (inputs: readonly number[], rows: readonly RowSummary[], vocab: number) => void;

/**
 * The target as a verifier sees it, with every forward's rows recorded (token recycling's matrix
 * update, docs/algorithms.md#token-recycling): `feed` reads ALL fed rows (the prompt's too on the
 * first iteration) in one readout call and hands the verifier the last `lastRows` of them, so the
 * steady state (L + 1 fed rows, L + 1 read) costs no extra readback; `forwardPending` (the processed
 * verifier) reads the fed rows' top-8 once more (a small summary per row). Rows of a chunked
 * prefill's earlier chunks (prompts over 256 tokens) are dropped unread by the runner, so they
 * update nothing.
 */
export class RecordingSequence implements TokenSequence, FusionHost {
  constructor(
    private readonly inner: TokenSequence,
    private readonly record: ForwardRecorder,
  ) {}

  get ids(): number[] {
    return this.inner.ids;
  }
  get forwards(): number {
    return this.inner.forwards;
  }
  get gpu(): GPUDevice | null {
    return this.inner.gpu;
  }
  get readout() {
    return this.inner.readout;
  }
  get mirostat() {
    return this.inner.mirostat;
  }
  get lab(): LabTag | null | undefined {
    return (this.inner as FusionHost).lab;
  }
  commit(ids: number[]): void {
    this.inner.commit(ids);
  }
  truncate(length: number): void {
    this.inner.truncate(length);
  }
  takeLens(prefix: readonly number[]): Promise<LensLayerTop[] | undefined> {
    return this.inner.takeLens ? this.inner.takeLens(prefix) : Promise.resolve(undefined);
  }
  dispose(): void {
    this.inner.dispose();
  }

  async next(k: number, tokenId?: number): Promise<RowSummary> {
    const [row] = await this.feed(k, [tokenId ?? null], 1);
    return row!;
  }

  async feed(k: number, tokenIds?: (number | null)[], lastRows?: number): Promise<RowSummary[]> {
    const logits = await this.inner.forwardPending();
    try {
      const n = logits.seqLen;
      const rows = lastRows ?? n;
      if (!Number.isInteger(rows) || rows < 1 || rows > n) throw new Error(`lastRows must be an integer from 1 to the ${n} rows of the forward, got ${rows}`);
      if (tokenIds && tokenIds.length !== rows) throw new Error(`tokenIds needs ${rows} entries, got ${tokenIds.length}`);
      const wanted: (number | null)[] = [...new Array<null>(n - rows).fill(null), ...(tokenIds ?? new Array<null>(rows).fill(null))];
      const all = await this.inner.readout.rows(logits, 0, n, Math.max(k, RECORD_K), wanted);
      this.record(this.inner.ids.slice(-n), all, logits.validVocab);
      return all.slice(n - rows).map((r) => (r.topIds.length > k ? { ...r, topIds: r.topIds.slice(0, k), topLogits: r.topLogits.slice(0, k) } : r));
    } finally {
      logits.dispose();
    }
  }

  async forwardPending(): Promise<Logits> {
    const logits = await this.inner.forwardPending();
    try {
      const all = await this.inner.readout.rows(logits, 0, logits.seqLen, RECORD_K);
      this.record(this.inner.ids.slice(-logits.seqLen), all, logits.validVocab);
    } catch (e) {
      logits.dispose();
      throw e;
    }
    return logits;
  }
}

/** A verifier whose target forwards are recorded (the record is taken BEFORE acceptance is decided). */
export class RecordingVerifier implements Verifier {
  constructor(
    private readonly inner: Verifier,
    private readonly record: ForwardRecorder,
  ) {}

  verify(target: TokenSequence, proposal: Proposal): Promise<Verification> {
    return this.inner.verify(new RecordingSequence(target, this.record), proposal);
  }
}
