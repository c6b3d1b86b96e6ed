/**
 * Inline validation of the form before a run starts: a run with invalid input never reaches the
 * worker. The worker validates again at its boundary; these checks exist to give messages early.
 */
import { SEED_MAX, type BackendChoice, type Dtype, type HubModelEntry, type Limits, type ModelListEntry, type PanelSpec, type RunRequest, type StrategyInfo } from '../protocol';
import { checkModelSpec, quoteValue } from './model-spec';
import { checkPanels } from './panel-spec';
import { cannotRunReason } from './panel-capability';

/** The worker's `catalog()` answer. */
export interface Catalog {
  models: ModelListEntry[];
  strategies: StrategyInfo[];
  limits: Limits;
  /** Curated Hub models (absent when the worker could not list them). */
  hub?: HubModelEntry[];
}

/** The form as typed: numbers stay text until validated. */
export interface RunForm {
  prompt: string;
  model: string;
  draft: string | null;
  dtype: Dtype | null;
  backend: BackendChoice;
  maxNewTokens: string;
  seed: string;
  panels: PanelSpec[];
  chatTemplate: boolean;
  logitLens: boolean;
}

/** Form fields a validation message can point at. */
export type FormField = 'prompt' | 'model' | 'draft' | 'maxNewTokens' | 'seed' | 'panels';

/** One problem: the field and a sentence naming it and its value. */
export interface ValidationIssue {
  field: FormField;
  message: string;
}

/** A valid request, or every problem found. */
export type FormCheck = { ok: true; request: RunRequest } | { ok: false; errors: ValidationIssue[] };


function parseInteger(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,16}$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

function checkMaxTokens(text: string, limits: Limits | null, errors: ValidationIssue[]): number {
  const n = parseInteger(text);
  const min = limits?.maxNewTokensMin ?? 1;
  const max = limits?.maxNewTokensMax ?? Number.MAX_SAFE_INTEGER;
  if (n === null || n < min || n > max) {
    const range = limits ? `from ${min} to ${max}` : `of at least ${min}`;
    errors.push({ field: 'maxNewTokens', message: `Max new tokens must be an integer ${range}, got ${quoteValue(text)}` });
  }
  return n ?? 0;
}

function checkPanelList(form: RunForm, catalog: Catalog | null, errors: ValidationIssue[]): PanelSpec[] {
  const fail = (field: FormField, message: string) => errors.push({ field, message });
  if (form.panels.length === 0) fail('panels', 'Add at least one panel');
  const maxPanels = catalog?.limits.maxPanels;
  if (maxPanels !== undefined && form.panels.length > maxPanels) {
    fail('panels', `At most ${maxPanels} panels can run together, got ${form.panels.length}`);
  }
  if (!catalog) return form.panels;
  const checked = checkPanels(form.panels, catalog.strategies);
  for (const message of checked.errors) fail('panels', message);
  checked.panels.forEach((p, i) => {
    const reason = cannotRunReason(catalog.strategies.find((s) => s.id === p.strategy) ?? null, form.model, catalog);
    if (reason) fail('panels', `Panel ${i + 1}: ${reason}`);
  });
  const needsDraft = checked.panels.map((p) => catalog.strategies.find((s) => s.id === p.strategy)).filter((s) => s?.needsDraft);
  if (needsDraft.length > 0 && !form.draft?.trim()) {
    fail('draft', `${needsDraft.map((s) => s?.label).join(', ')} needs a draft model`);
  }
  return checked.panels;
}

/** Checks the form against the catalog limits (when known) and builds the run request. */
export function validateRunForm(form: RunForm, catalog: Catalog | null): FormCheck {
  const errors: ValidationIssue[] = [];
  const fail = (field: FormField, message: string) => errors.push({ field, message });
  const limits = catalog?.limits ?? null;
  if (form.prompt.trim() === '') fail('prompt', 'Enter a prompt');
  else if (limits && form.prompt.length > limits.maxPromptChars) {
    fail('prompt', `The prompt has ${form.prompt.length} characters; the limit is ${limits.maxPromptChars}`);
  }
  const model = checkModelSpec(form.model);
  if (form.model.trim() === '') fail('model', 'Choose a model, or enter a Hub id or model folder URL');
  else if (!model.ok) fail('model', `Model ${quoteValue(form.model)} ${model.reason}`);
  const draftText = form.draft?.trim() ? form.draft : null;
  const draft = draftText === null ? null : checkModelSpec(draftText);
  if (draft && !draft.ok) fail('draft', `Draft model ${quoteValue(draftText ?? '')} ${draft.reason}`);
  const maxNewTokens = checkMaxTokens(form.maxNewTokens, limits, errors);
  const seed = parseInteger(form.seed);
  if (seed === null || seed > SEED_MAX) {
    fail('seed', `Seed must be a non-negative integer up to ${SEED_MAX}, got ${quoteValue(form.seed)}`);
  }
  const panels = checkPanelList(form, catalog, errors);
  if (errors.length > 0 || !model.ok || seed === null) return { ok: false, errors };
  const request: RunRequest = {
    prompt: form.prompt,
    model: model.value,
    draft: draft?.ok ? draft.value : null,
    backend: form.backend,
    maxNewTokens,
    seed,
    panels,
    chatTemplate: form.chatTemplate,
    logitLens: form.logitLens,
  };
  if (form.dtype) request.dtype = form.dtype;
  return { ok: true, request };
}
