import type { CaadModel, CaadTokenizer } from '../../strategies/caad/worker/caad-run';
import { summarise } from '../workers/fakes';
import type { CpuSequence } from '../processors/cpuSequence';
import type { Logits } from '../../workers/model/logits';

/**
 * A CaadModel over a CpuSequence: logits and hidden states are pure functions of the ids so far,
 * so a teacher-forced reference position and the same context at decode time agree exactly.
 */
export class FakeCaadModel implements CaadModel {
  bytes = 0;
  teacherForced: number[][] = [];

  constructor(
    private readonly seq: CpuSequence,
    private readonly rowFor: (ids: number[]) => number[],
    private readonly hiddenFor: (ids: number[]) => number[],
  ) {}

  async teacherForce(ids: number[]) {
    this.teacherForced.push([...ids]);
    const hidden: Float32Array[] = [];
    const rows = ids.map((_, i) => {
      const prefix = ids.slice(0, i + 1);
      hidden.push(Float32Array.from(this.hiddenFor(prefix)));
      const z = this.rowFor(prefix);
      const s = summarise(z, 64);
      const next = ids[i + 1];
      return { ...s, tokenLogit: next === undefined ? null : z[next]! };
    });
    return { hidden, rows };
  }

  async forwardPending(): Promise<{ logits: Logits; hidden: Float32Array }> {
    const logits = (await this.seq.forwardPending()) as unknown as Logits;
    return { logits, hidden: Float32Array.from(this.hiddenFor(this.seq.ids)) };
  }
}

/** Words are ids: "t5 t7 t2" → [5, 7, 2]. */
export const wordTokenizer: CaadTokenizer = {
  encode: (text) => text.split(/\s+/).filter(Boolean).map((w) => Number(w.slice(1))),
  decode: (ids) => ids.map((i) => `t${i}`).join(' '),
};

export const words = (ids: number[]) => ids.map((i) => `t${i}`).join(' ');
