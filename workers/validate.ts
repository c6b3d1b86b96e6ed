import { LogitscopeError } from './errors';
import type { Backend, Dtype, Limits, ParamSchema, ParamValue, PanelSpec, RunRequest } from './protocol';
import { getStrategy } from './strategies/registry';

/** Limits enforced here and shown by the UI (sent with `catalog()`). */
export const LIMITS: Limits = { maxNewTokensMin: 1, maxNewTokensMax: 2048, maxPromptChars: 20_000, maxPanels: 6 };

const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
const BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** A request with every field checked and every panel's params completed with defaults. */
export interface ValidRequest extends RunRequest {
  backend: Backend;
  panels: PanelSpec[];
}

/** Check a run request at the worker boundary; throws naming the field and the value. */
export function validateRequest(req: RunRequest): ValidRequest {
  if (!req || typeof req !== 'object') bad('the run request must be an object');
  if (typeof req.prompt !== 'string' || req.prompt.trim() === '') bad('prompt must not be empty');
  if (req.prompt.length > LIMITS.maxPromptChars) bad(`prompt must be at most ${LIMITS.maxPromptChars} characters, got ${req.prompt.length}`);
  if (typeof req.model !== 'string' || req.model.trim() === '') bad('model must not be empty');
  if (req.draft !== undefined && req.draft !== null && (typeof req.draft !== 'string' || req.draft.trim() === '')) bad(`draft must be a model string, got ${JSON.stringify(req.draft)}`);
  const n = req.maxNewTokens;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < LIMITS.maxNewTokensMin || n > LIMITS.maxNewTokensMax) {
    bad(`max new tokens must be an integer from ${LIMITS.maxNewTokensMin} to ${LIMITS.maxNewTokensMax}, got ${String(n)}`);
  }
  if (typeof req.seed !== 'number' || !Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff) {
    bad(`seed must be an integer from 0 to 4294967295, got ${String(req.seed)}`);
  }
  if (req.dtype !== undefined && !DTYPES.includes(req.dtype)) bad(`dtype must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(req.dtype)}`);
  const backend = req.backend ?? 'webgpu';
  if (!BACKENDS.includes(backend)) bad(`backend must be webgpu or wasm, got ${JSON.stringify(req.backend)}`);
  if (!Array.isArray(req.panels) || req.panels.length < 1 || req.panels.length > LIMITS.maxPanels) {
    bad(`panels must list 1 to ${LIMITS.maxPanels} strategies, got ${Array.isArray(req.panels) ? req.panels.length : String(req.panels)}`);
  }
  const panels = req.panels.map((p, i) => validatePanel(p, i, Boolean(req.draft)));
  return { ...req, backend, panels };
}

function validatePanel(p: PanelSpec, index: number, hasDraft: boolean): PanelSpec {
  const strategy = p && typeof p.strategy === 'string' ? getStrategy(p.strategy) : undefined;
  if (!strategy) bad(`panel ${index + 1}: unknown strategy ${JSON.stringify(p?.strategy)}`);
  if (strategy.info.needsDraft && !hasDraft) bad(`panel ${index + 1}: ${strategy.info.label} needs a second model (draft); choose one`);
  const given = p.params ?? {};
  for (const name of Object.keys(given)) {
    if (!strategy.info.params.some((s) => s.name === name)) bad(`panel ${index + 1}: ${strategy.info.label} has no parameter ${JSON.stringify(name)}`);
  }
  const params: Record<string, ParamValue> = {};
  for (const schema of strategy.info.params) params[schema.name] = checkParam(schema, given[schema.name], index);
  return { strategy: strategy.info.id, params };
}

/** Validate one parameter value against its schema (undefined takes the default). */
export function checkParam(s: ParamSchema, v: ParamValue | undefined, panel: number): ParamValue {
  if (v === undefined) return s.default;
  const where = `panel ${panel + 1}: ${s.name}`;
  switch (s.type) {
    case 'boolean':
      if (typeof v !== 'boolean') bad(`${where} must be true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !s.options?.includes(v)) bad(`${where} must be one of ${s.options?.join(', ')}, got ${JSON.stringify(v)}`);
      return v;
    case 'text':
      if (typeof v !== 'string') bad(`${where} must be text, got ${JSON.stringify(v)}`);
      if (s.maxLength !== undefined && v.length > s.maxLength) bad(`${where} must be at most ${s.maxLength} characters, got ${v.length}`);
      return v;
    default: {
      if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${where} must be a finite number, got ${JSON.stringify(v)}`);
      if (s.type === 'integer' && !Number.isInteger(v)) bad(`${where} must be an integer, got ${v}`);
      if (s.min !== undefined && v < s.min) bad(`${where} must be at least ${s.min}, got ${v}`);
      if (s.max !== undefined && v > s.max) bad(`${where} must be at most ${s.max}, got ${v}`);
      return v;
    }
  }
}
