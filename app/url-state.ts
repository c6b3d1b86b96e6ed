/**
 * The shareable URL state (docs/url.md). Parsing is field by field: a bad field is reported with
 * its name and value and skipped, the others still apply. Values are only ever data: nothing here
 * (or downstream) executes them or renders them as HTML.
 */
import { BACKEND_CHOICES, DTYPES, LIMITS, SEED_MAX, type BackendChoice, type Dtype, type PanelSpec } from '../protocol';
import { LESSONS } from './lessons';
import { checkModelSpec, quoteValue } from './model-spec';
import { parsePanels, serializePanels } from './panel-spec';

/** Everything a URL can carry. `null` draft/dtype mean "none" / "let the worker choose". */
export interface UrlState {
  model: string;
  draft: string | null;
  dtype: Dtype | null;
  backend: BackendChoice;
  prompt: string;
  maxNewTokens: number;
  seed: number;
  panels: PanelSpec[];
  chatTemplate: boolean;
  /** Record the logit lens where the model has layer outputs (`lens=0` turns it off). */
  logitLens: boolean;
  /** Start a run as soon as the page has loaded. */
  run: boolean;
  /** Page modes the link opens in (`mode=present`); empty: the normal page. */
  modes: UrlMode[];
  /** Built-in lesson (app/lessons.ts) whose setup the link opens; its other fields apply over that setup. */
  lesson: string | null;
}

/**
 * Page modes a link may name in `mode=` (comma-separated, so later modes such as step mode can be
 * combined with presentation: add the name here and handle it where the store loads the URL).
 */
export const URL_MODES = ['present', 'step'] as const;

/** One page mode of `URL_MODES`. */
export type UrlMode = (typeof URL_MODES)[number];

/** A rejected URL field: `message` names the field and the (quoted, truncated) value. */
export interface UrlFieldError {
  field: string;
  value: string;
  message: string;
}

/** Defaults for fields the URL leaves out. */
export const DEFAULT_URL_STATE: Readonly<UrlState> = {
  // The trained llama2.c pair: real TinyStories English from the first click, offline.
  model: 'builtin:stories260k',
  draft: 'builtin:stories-draft',
  dtype: null,
  backend: BACKEND_CHOICES[0]!,
  prompt: 'Once upon a time',
  maxNewTokens: 32,
  seed: 0,
  panels: [{ strategy: 'greedy', params: {} }],
  chatTemplate: false,
  logitLens: true,
  run: false,
  modes: [],
  lesson: null,
};

/** Longest prompt a URL may carry (characters): the worker's limit. */
export const URL_PROMPT_MAX = LIMITS.maxPromptChars;

type FieldParser = (value: string, state: Partial<UrlState>) => string | null;

function parseCount(value: string, min: number): number | null {
  if (!/^\d{1,16}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : null;
}

function oneOf<T extends string>(options: readonly T[], value: string): T | null {
  return (options as readonly string[]).includes(value) ? (value as T) : null;
}

// Each parser stores its field and returns null, or returns why the value is rejected.
const LOCAL_IN_URL = 'is a local folder, which a link cannot carry: pick the folder again';

const PARSERS: Record<string, FieldParser> = {
  model(value, s) {
    const check = checkModelSpec(value);
    if (!check.ok) return check.reason;
    if (check.kind === 'local') return LOCAL_IN_URL;
    s.model = check.value;
    return null;
  },
  draft(value, s) {
    const check = checkModelSpec(value);
    if (!check.ok) return check.reason;
    if (check.kind === 'local') return LOCAL_IN_URL;
    s.draft = check.value;
    return null;
  },
  dtype(value, s) {
    const v = oneOf(DTYPES, value);
    if (v === null) return `is not one of ${DTYPES.join(', ')}`;
    s.dtype = v;
    return null;
  },
  backend(value, s) {
    const v = oneOf(BACKEND_CHOICES, value);
    if (v === null) return `is not one of ${BACKEND_CHOICES.join(', ')}`;
    s.backend = v;
    return null;
  },
  prompt(value, s) {
    if (value.length > URL_PROMPT_MAX) return `is longer than ${URL_PROMPT_MAX} characters`;
    s.prompt = value;
    return null;
  },
  max(value, s) {
    const n = parseCount(value, 1);
    if (n === null) return 'is not a positive integer';
    s.maxNewTokens = n;
    return null;
  },
  seed(value, s) {
    const n = parseCount(value, 0);
    if (n === null || n > SEED_MAX) return `is not an integer from 0 to ${SEED_MAX}`;
    s.seed = n;
    return null;
  },
  panels(value, s) {
    const parsed = parsePanels(value);
    if (!parsed.ok) return parsed.reason;
    s.panels = parsed.panels;
    return null;
  },
  chat(value, s) {
    if (value !== '0' && value !== '1') return 'is not 0 or 1';
    s.chatTemplate = value === '1';
    return null;
  },
  lens(value, s) {
    if (value !== '0' && value !== '1') return 'is not 0 or 1';
    s.logitLens = value === '1';
    return null;
  },
  lesson(value, s) {
    if (!LESSONS.some((l) => l.id === value)) return `is not a lesson (one of ${LESSONS.map((l) => l.id).join(', ')})`;
    s.lesson = value;
    return null;
  },
  run(value, s) {
    if (value !== '1' && value !== '0') return 'is not 0 or 1';
    s.run = value === '1';
    return null;
  },
  mode(value, s) {
    const names = value.split(',');
    const modes: UrlMode[] = [];
    for (const name of names) {
      const m = oneOf(URL_MODES, name);
      if (m === null) return `${name === value ? 'is' : `names ${quoteValue(name)}, which is`} not a page mode (one of: ${URL_MODES.join(', ')})`;
      if (modes.includes(m)) return `names ${m} twice`;
      modes.push(m);
    }
    s.modes = modes;
    return null;
  },
};

/** Parses a query string (with or without `?`). Unknown parameters are ignored. */
export function parseUrlState(search: string): { state: Partial<UrlState>; errors: UrlFieldError[] } {
  const params = new URLSearchParams(search);
  const state: Partial<UrlState> = {};
  const errors: UrlFieldError[] = [];
  for (const [field, parse] of Object.entries(PARSERS)) {
    const value = params.get(field);
    if (value === null) continue;
    const reason = parse(value, state);
    if (reason !== null) errors.push({ field, value, message: `${field}: ${quoteValue(value)} ${reason}` });
  }
  // The default draft belongs to the default model: a link that names a model and no draft has none.
  if (state.model !== undefined && !params.has('draft')) state.draft = null;
  return { state, errors };
}

// Percent-encode, but keep the characters that make models and panel lists readable.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%(2C|3A|2F|3D|3B)/gi, (m) => decodeURIComponent(m));
}

/** Query string (without `?`) for a state; `parseUrlState` of it gives the state back. */
export function serializeUrlState(state: UrlState): string {
  const pairs: [string, string][] = state.lesson ? [['lesson', state.lesson]] : [];
  pairs.push(['model', state.model]);
  if (state.draft) pairs.push(['draft', state.draft]);
  if (state.dtype) pairs.push(['dtype', state.dtype]);
  pairs.push(['backend', state.backend], ['max', String(state.maxNewTokens)], ['seed', String(state.seed)], ['panels', serializePanels(state.panels)]);
  if (state.chatTemplate) pairs.push(['chat', '1']);
  if (!state.logitLens) pairs.push(['lens', '0']);
  pairs.push(['prompt', state.prompt]);
  if (state.run) pairs.push(['run', '1']);
  if (state.modes.length > 0) pairs.push(['mode', state.modes.join(',')]);
  return pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&');
}
