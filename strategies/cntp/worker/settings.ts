import { LogitscopeError } from '../../../workers/errors';
import { chainParams, parseChain, type ChainParams } from '../../../workers/processors/chain';
import { refuseMirostat } from '../../../workers/processors/mirostat';
import type { ParamSchema, ParamValue } from '../../../protocol';
import { numberParam, param } from '../../../workers/params';
import { validateTrialCount, type TrialCountSettings } from './trial-count';

/** Everything a CNTP panel is configured with. */
export interface CntpSettings {
  count: TrialCountSettings;
  /** Longest trial, in tokens (our cap; the main reference variant has none). */
  trialCap: number;
  /** The sampling chain; entropy is measured on its processed distribution. */
  chain: ChainParams;
}

/** The reference scripts' chain: temperature 0.8, top-p 0.9. */
export const CNTP_CHAIN_DEFAULTS: Partial<ChainParams> = { temperature: 0.8, topP: 0.9 };

/** CNTP's parameter schema: the reference code's defaults, then the processor chain. */
export function cntpParams(): ParamSchema[] {
  return [
    { name: 'hLow', label: 'H low (nats)', type: 'number', default: 0.01, min: 0, max: 100, help: 'At or below this entropy of the processed distribution the step samples one token (N = 1).' },
    { name: 'hHigh', label: 'H high (nats)', type: 'number', default: 1.5, min: 0, max: 100, help: 'At or above this entropy the step runs the maximum number of trials.' },
    { name: 'maxTrials', label: 'Max trials', type: 'integer', default: 10, min: 1, max: 32, help: 'N_max: trials at the highest entropy; they run as one batch of N rows.' },
    { name: 'trialCap', label: 'Trial cap (tokens)', type: 'integer', default: 32, min: 1, max: 256, help: 'A trial ends at punctuation, EOS or after this many tokens (our cap; the paper has none).' },
    { name: 'paperForm', label: 'Paper formula for N', type: 'boolean', default: false, help: 'Off: the released code, N = 1 + ⌊(N_max − 1)·h⌋. On: the paper, N = max(1, ⌊h·N_max⌋), h = normalised entropy.' },
    ...chainParams(CNTP_CHAIN_DEFAULTS),
  ];
}

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** Read params into settings through the shared checker; errors name the parameter and the value. */
export function parseCntpSettings(p: Record<string, ParamValue>): CntpSettings {
  const schema = cntpParams();
  const num = (name: string) => numberParam(schema, p, name);
  const cap = num('trialCap');
  let count: TrialCountSettings;
  try {
    count = validateTrialCount({ hLow: num('hLow'), hHigh: num('hHigh'), maxTrials: num('maxTrials'), paperForm: param(schema, p, 'paperForm') === true });
  } catch (e) {
    bad(e instanceof Error ? e.message : String(e));
  }
  const chain = parseChain(p);
  refuseMirostat(chain, 'CNTP', 'it draws many trials per step from one distribution');
  return { count, trialCap: cap, chain };
}
