import { LogitscopeError } from './errors';
import { BACKEND_CHOICES, checkPanelParams, DTYPES, isBackendChoice, isDtype, LIMITS, SEED_MAX, unknownStrategyMessage, withDefaults, type BackendChoice, type PanelSpec, type RunRequest } from '../protocol';
import { getStrategy, listStrategies } from '../strategies/registry';

/** Limits enforced here and shown by the UI (sent with `catalog()`); one copy, in protocol/constants.ts. */
export { LIMITS };

function bad(message: string): never {
  throw new LogitscopeError('bad-request', message);
}

/** A request with every field checked and every panel's params completed with defaults. */
export interface ValidRequest extends RunRequest {
  backend: BackendChoice;
  panels: PanelSpec[];
}

/** Check a run request at the worker boundary; throws naming the field and the value. */
export function validateRequest(req: RunRequest): ValidRequest {
  if (!req || typeof req !== 'object') bad('the run request must be an object');
  if (typeof req.prompt !== 'string' || req.prompt.trim() === '') bad('prompt must not be empty');
  checkPromptLength(req.prompt);
  checkModel(req.model);
  if (req.draft !== undefined && req.draft !== null && (typeof req.draft !== 'string' || req.draft.trim() === '')) bad(`draft must be a model string, got ${JSON.stringify(req.draft)}`);
  const n = req.maxNewTokens;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < LIMITS.maxNewTokensMin || n > LIMITS.maxNewTokensMax) {
    bad(`max new tokens must be an integer from ${LIMITS.maxNewTokensMin} to ${LIMITS.maxNewTokensMax}, got ${String(n)}`);
  }
  if (typeof req.seed !== 'number' || !Number.isInteger(req.seed) || req.seed < 0 || req.seed > SEED_MAX) {
    bad(`seed must be an integer from 0 to ${SEED_MAX}, got ${String(req.seed)}`);
  }
  if (req.dtype !== undefined && !isDtype(req.dtype)) bad(`dtype must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(req.dtype)}`);
  const backend = req.backend ?? BACKEND_CHOICES[0]!;
  if (!isBackendChoice(backend)) bad(`backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${JSON.stringify(req.backend)}`);
  if (req.logitLens !== undefined && typeof req.logitLens !== 'boolean') bad(`logitLens must be true or false, got ${JSON.stringify(req.logitLens)}`);
  if (req.backendMeasurements !== undefined && !Array.isArray(req.backendMeasurements)) bad('backendMeasurements must be a list of stored measurements');
  if (!Array.isArray(req.panels) || req.panels.length < 1 || req.panels.length > LIMITS.maxPanels) {
    bad(`panels must list 1 to ${LIMITS.maxPanels} strategies, got ${Array.isArray(req.panels) ? req.panels.length : String(req.panels)}`);
  }
  const panels = req.panels.map((p, i) => validatePanel(p, i, Boolean(req.draft)));
  return { ...req, backend, panels };
}

/** A tokenize request (the prompt's token view): an empty prompt is allowed, a long one is not. */
export function validateTokenize(model: unknown, text: unknown): asserts text is string {
  checkModel(model);
  if (typeof text !== 'string') bad('the text to tokenize must be a string');
  checkPromptLength(text);
}

function checkModel(model: unknown): void {
  if (typeof model !== 'string' || model.trim() === '') bad('model must not be empty');
}

function checkPromptLength(text: string): void {
  if (text.length > LIMITS.maxPromptChars) bad(`prompt must be at most ${LIMITS.maxPromptChars} characters, got ${text.length}`);
}

function validatePanel(p: PanelSpec, index: number, hasDraft: boolean): PanelSpec {
  const strategy = p && typeof p.strategy === 'string' ? getStrategy(p.strategy) : undefined;
  if (!strategy) bad(unknownStrategyMessage(index, p?.strategy, listStrategies()));
  if (strategy.info.needsDraft && !hasDraft) bad(`panel ${index + 1}: ${strategy.info.label} needs a second model (draft); choose one`);
  // The one parameter checker both sides use (protocol/params.ts): the first problem is the error.
  const checked = checkPanelParams(strategy.info, p.params ?? {}, index);
  if (checked.errors.length > 0) bad(checked.errors[0]!);
  return { strategy: strategy.info.id, params: withDefaults(strategy.info, checked.params) };
}

/** Read from config.json (workers/model/config-check.ts); the service and the prompt check use it. */
export { contextLength } from './model/config-check';

/** Longest prompt any model is given, in tokens, whatever its context (a browser tab's memory). */
export const MAX_PROMPT_TOKENS = 4096;


/**
 * Refuse a prompt longer than min(every model's context, `cap`) tokens, with a message that names
 * its length, the limit and where the limit comes from.
 */
export function checkPromptTokens(count: number, models: readonly { spec: string; context: number | null }[], cap = MAX_PROMPT_TOKENS): void {
  let limit = cap;
  let why = `the prompt cap of ${cap} tokens`;
  for (const m of models) {
    if (m.context !== null && m.context < limit) {
      limit = m.context;
      why = `the context length of ${m.spec} (${m.context} tokens)`;
    }
  }
  if (count > limit) bad(`the prompt is ${count} tokens, over ${why}: shorten it to at most ${limit} tokens`);
}
