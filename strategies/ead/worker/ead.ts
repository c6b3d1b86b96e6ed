import { nextProcessed } from '../../../workers/decode/fusion';
import { chainParams, isSampling, parseChain, type ChainParams } from '../../../workers/processors/chain';
import { MirostatState } from '../../../workers/processors/mirostat';
import { numberParam, stringParam } from '../../../workers/params';
import { LogitscopeError } from '../../../workers/errors';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { ParamSchema, ParamValue } from '../../../protocol';
import type { EadAnnotations } from '../annotations';
import type { DecodingStrategy, StrategyRun } from '../../types';

/** EAD's own parameters (docs/algorithms.md#ead; the defaults are our interpretation). */
export const EAD_PARAMS: ParamSchema[] = [
  { name: 'threshold', label: 'Switch up above (bits)', type: 'number', default: 1.5, min: 0, max: 20, help: 'When the mean entropy of the last `window` tokens (in bits, of the model producing them) rises above this, the target takes over.' },
  { name: 'thresholdDown', label: 'Switch down at or below (bits)', type: 'number', default: -1, min: -1, max: 20, help: 'When the mean entropy falls to or below this, the draft takes over again. −1 = the same as the switch-up threshold.' },
  { name: 'window', label: 'Entropy window', type: 'integer', default: 5, min: 1, max: 64, help: 'How many of the latest tokens the mean entropy covers (fewer at the start).' },
  { name: 'minDwell', label: 'Minimum dwell', type: 'integer', default: 5, min: 0, max: 64, help: 'Tokens a model produces after a switch before the rule may switch again.' },
  { name: 'start', label: 'Start with', type: 'enum', default: 'draft', options: ['draft', 'target'], help: 'The model that produces the first token.' },
];

/** EAD's settings, checked. */
export interface EadSettings {
  chain: ChainParams;
  up: number;
  down: number;
  window: number;
  minDwell: number;
  start: 'draft' | 'target';
}

export function parseEadSettings(params: Record<string, ParamValue>): EadSettings {
  const up = numberParam(EAD_PARAMS, params, 'threshold');
  const down = numberParam(EAD_PARAMS, params, 'thresholdDown');
  return {
    chain: parseChain(params),
    up,
    down: down < 0 ? up : down,
    window: numberParam(EAD_PARAMS, params, 'window'),
    minDwell: numberParam(EAD_PARAMS, params, 'minDwell'),
    start: stringParam(EAD_PARAMS, params, 'start') === 'target' ? 'target' : 'draft',
  };
}

/**
 * The switch rule after a token (docs/algorithms.md#ead): with `mean` the windowed entropy (bits)
 * and `dwell` the active model's tokens since the last switch, the draft hands over above `up`, the
 * target hands back at or below `down`, and never before `minDwell` tokens.
 */
export function nextModel(active: 'draft' | 'target', mean: number, dwell: number, s: Pick<EadSettings, 'up' | 'down' | 'minDwell'>): 'draft' | 'target' {
  if (dwell < s.minDwell) return active;
  if (active === 'draft' && mean > s.up) return 'target';
  if (active === 'target' && mean <= s.down) return 'draft';
  return active;
}

/** One EAD panel: the active model decodes one token per step; both models are committed every token. */
export class EadRun implements StrategyRun {
  private active: 'draft' | 'target';
  private dwell = 0;
  private readonly entropies: number[] = [];
  /** Length of the prompt, and how many ids each model's cache holds (fed in its forwards so far). */
  private readonly promptLength: number;
  private readonly fed = { draft: 0, target: 0 };
  /** One Mirostat v2 state for the panel: both models' draws move the same μ (workers/processors/mirostat.ts). */
  private readonly mirostat = new MirostatState();

  constructor(
    private readonly target: TokenSequence,
    private readonly draft: TokenSequence,
    private readonly s: EadSettings,
    private readonly rng: { next(): number },
    private readonly topK: number,
  ) {
    this.active = s.start;
    this.promptLength = target.ids.length;
  }

  async step() {
    const model = this.active;
    const seq = model === 'draft' ? this.draft : this.target;
    // The catch-up: the generated tokens this model has not seen (the other model's since it was last active), fed in one forward with the last one.
    const catchUp = Math.max(0, seq.ids.length - Math.max(this.fed[model], this.promptLength) - 1);
    const uniform = isSampling(this.s.chain) ? this.rng.next() : null;
    const r = await nextProcessed(seq, { chain: this.s.chain, history: seq.ids, uniform, k: this.topK, mirostat: this.mirostat });
    this.fed[model] = seq.ids.length;
    const entropyBits = r.processedEntropy / Math.LN2;
    this.entropies.push(entropyBits);
    if (this.entropies.length > this.s.window) this.entropies.shift();
    const mean = this.entropies.reduce((a, b) => a + b, 0) / this.entropies.length;
    this.dwell++;
    const next = nextModel(model, mean, this.dwell, this.s);
    const annotations: EadAnnotations = {
      kind: 'ead',
      model,
      entropyBits,
      meanEntropyBits: mean,
      dwell: this.dwell,
      switchTo: next === model ? null : next,
      catchUp,
      processedProb: r.processedProb,
    };
    if (next !== model) {
      this.active = next;
      this.dwell = 0;
    }
    this.target.commit([r.id]);
    this.draft.commit([r.id]);
    return { tokens: [{ id: r.id, base: r.raw, annotations }] };
  }
}

/**
 * EAD, Entropy Adaptive Decoding (Simonds 2025, https://arxiv.org/abs/2502.06833): the draft
 * (small) model writes while the mean entropy of its recent tokens stays low; above a threshold the
 * target (large) model takes over, and hands back when the entropy falls again. One forward of the
 * active model per token; a switch costs one catch-up forward of the tokens the other model missed.
 * The window, dwell and start defaults are our interpretation.
 */
export const ead: DecodingStrategy = {
  info: {
    id: 'ead',
    label: 'EAD (entropy-adaptive)',
    description: 'The draft model writes while its recent entropy is low; the target takes over while it is high. Each token comes from one model; both keep the same text.',
    needsDraft: true,
    interpretation: true,
    params: [...EAD_PARAMS, ...chainParams()],
  },
  start(ctx) {
    const s = parseEadSettings(ctx.params);
    if (!ctx.draft) return { step: () => Promise.reject(new LogitscopeError('bad-request', 'EAD needs a second model: choose a draft (e.g. builtin:stories-draft)')) };
    return new EadRun(ctx.target, ctx.draft, s, ctx.rng, ctx.topK);
  },
};
