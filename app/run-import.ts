/**
 * Import of an exported run record (docs/run-format.md) for viewing with no model loaded. The file
 * is untrusted: every field is checked, and a problem is explained with the path of the field and
 * the value found (`panels[1].tokens[4].prob must be a number from 0 to 1, got "x"`).
 */
import { LIMITS, SEED_MAX, type AnnotationKind, type TokenAnnotations, type PanelRecord, type PanelStats, type RunRecord, type TokenRecord, type TopEntry } from '../protocol';
import { quoteValue } from './model-spec';

/** Largest run file accepted, bytes. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/**
 * Caps on an imported record: what a run can produce (the worker's own limits), so a file cannot
 * ask the page to draw more than a run would (16 × 8192 tokens once froze the tab for a minute).
 */
export const MAX_IMPORT_PANELS = LIMITS.maxPanels;
export const MAX_IMPORT_TOKENS = LIMITS.maxNewTokensMax;
/** Alternatives per token accepted (a run records at most 64). */
export const MAX_IMPORT_TOP = 256;

/** Result of reading a run file. */
export type ImportResult = { ok: true; record: RunRecord } | { ok: false; errors: string[] };

const MAX_ERRORS = 5;

class Problems {
  readonly list: string[] = [];
  add(path: string, what: string, value: unknown): void {
    if (this.list.length < MAX_ERRORS) this.list.push(`${path} must be ${what}, got ${show(value)}`);
  }
  get full(): boolean {
    return this.list.length >= MAX_ERRORS;
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return quoteValue(v);
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isProb = (v: unknown): v is number => isNum(v) && v >= 0 && v <= 1;

function checkTop(v: unknown, path: string, pr: Problems): void {
  if (!Array.isArray(v)) return pr.add(path, 'a list of alternatives', v);
  // Every element kept is checked: a longer list is refused, never half-checked.
  if (v.length > MAX_IMPORT_TOP) return pr.add(path, `at most ${MAX_IMPORT_TOP} alternatives`, `${v.length} alternatives`);
  (v as unknown[]).forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(e)) return pr.add(p, 'an object {id, text, prob}', e);
    const entry = e as Partial<TopEntry>;
    if (!isCount(entry.id)) pr.add(`${p}.id`, 'a non-negative integer', entry.id);
    if (typeof entry.text !== 'string') pr.add(`${p}.text`, 'text', entry.text);
    if (!isProb(entry.prob)) pr.add(`${p}.prob`, 'a number from 0 to 1', entry.prob);
  });
}

function checkToken(v: unknown, path: string, pr: Problems): void {
  if (!isObj(v)) return pr.add(path, 'an object', v);
  const t = v as Partial<TokenRecord>;
  if (!isCount(t.id)) pr.add(`${path}.id`, 'a non-negative integer', t.id);
  if (typeof t.text !== 'string') pr.add(`${path}.text`, 'text', t.text);
  if (!isProb(t.prob)) pr.add(`${path}.prob`, 'a number from 0 to 1', t.prob);
  if (!isNum(t.logprob) || t.logprob > 1e-9) pr.add(`${path}.logprob`, 'a number ≤ 0 (nats)', t.logprob);
  if (!isNum(t.entropy) || t.entropy < 0) pr.add(`${path}.entropy`, 'a number ≥ 0 (nats)', t.entropy);
  checkTop(t.top, `${path}.top`, pr);
  if (!isObj(t.annotations)) pr.add(`${path}.annotations`, 'an object', t.annotations);
  if (t.lens !== undefined) checkLens(t.lens, `${path}.lens`, pr);
}

/** Layers a token's logit lens may list in an imported file. */
const MAX_IMPORT_LENS = 256;

function checkLens(v: unknown, path: string, pr: Problems): void {
  if (!Array.isArray(v)) return pr.add(path, 'a list of layers', v);
  if (v.length > MAX_IMPORT_LENS) return pr.add(path, `at most ${MAX_IMPORT_LENS} layers`, `${v.length} layers`);
  (v as unknown[]).forEach((e, i) => {
    if (!isObj(e) || !isCount(e.layer)) return pr.add(`${path}[${i}]`, 'an object {layer, top}', e);
    checkTop(e.top, `${path}[${i}].top`, pr);
  });
}

const STAT_COUNTS = ['newTokens', 'targetForwards', 'draftForwards', 'readbackBytes'] as const;
const FINISH = ['eos', 'max', 'stopped', 'error', null];

function checkStats(v: unknown, path: string, pr: Problems): void {
  if (!isObj(v)) return pr.add(path, 'an object', v);
  const s = v as Partial<PanelStats>;
  for (const k of STAT_COUNTS) if (!isCount(s[k])) pr.add(`${path}.${k}`, 'a non-negative integer', s[k]);
  if (!isNum(s.wallMs) || s.wallMs < 0) pr.add(`${path}.wallMs`, 'a number ≥ 0 (ms)', s.wallMs);
  if (!isNum(s.tokensPerSecond) || s.tokensPerSecond < 0) pr.add(`${path}.tokensPerSecond`, 'a number ≥ 0', s.tokensPerSecond);
  if (!FINISH.includes(s.finishReason as string | null)) pr.add(`${path}.finishReason`, 'eos, max, stopped, error or null', s.finishReason);
  if (s.timeToFirstTokenMs !== null && !(isNum(s.timeToFirstTokenMs) && s.timeToFirstTokenMs >= 0))
    pr.add(`${path}.timeToFirstTokenMs`, 'a number ≥ 0 or null', s.timeToFirstTokenMs);
}

const STRATEGY_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function checkPanel(v: unknown, path: string, pr: Problems): void {
  if (!isObj(v)) return pr.add(path, 'an object', v);
  const p = v as Partial<PanelRecord>;
  if (typeof p.strategy !== 'string' || !STRATEGY_ID.test(p.strategy)) pr.add(`${path}.strategy`, 'a strategy id', p.strategy);
  if (!isObj(p.params)) pr.add(`${path}.params`, 'an object', p.params);
  else
    for (const [name, value] of Object.entries(p.params)) {
      if (!PARAM_NAME.test(name)) pr.add(`${path}.params`, 'parameter names of letters, digits and _', name);
      else if (!(isNum(value) || typeof value === 'string' || typeof value === 'boolean'))
        pr.add(`${path}.params.${name}`, 'a number, text or true/false', value);
    }
  if (typeof p.text !== 'string') pr.add(`${path}.text`, 'text', p.text);
  if (p.error !== undefined && typeof p.error !== 'string') pr.add(`${path}.error`, 'text', p.error);
  checkStats(p.stats, `${path}.stats`, pr);
  if (!Array.isArray(p.tokens)) return pr.add(`${path}.tokens`, 'a list of tokens', p.tokens);
  if (p.tokens.length > MAX_IMPORT_TOKENS) return pr.add(`${path}.tokens`, `at most ${MAX_IMPORT_TOKENS} tokens`, `${p.tokens.length} tokens`);
  for (let i = 0; i < p.tokens.length && !pr.full; i++) checkToken(p.tokens[i], `${path}.tokens[${i}]`, pr);
}

function checkModel(v: unknown, path: string, pr: Problems, nullable: boolean): void {
  if (v === null && nullable) return;
  if (!isObj(v)) return pr.add(path, nullable ? 'a model record or null' : 'a model record', v);
  if (typeof v.source !== 'string') pr.add(`${path}.source`, 'text', v.source);
  if (!isCount(v.vocabSize)) pr.add(`${path}.vocabSize`, 'a non-negative integer', v.vocabSize);
  if (!isCount(v.tokenizerVocabSize)) pr.add(`${path}.tokenizerVocabSize`, 'a non-negative integer', v.tokenizerVocabSize);
}

function checkTopLevel(r: Record<string, unknown>, pr: Problems): void {
  if (typeof r.prompt !== 'string') pr.add('prompt', 'text', r.prompt);
  if (!Array.isArray(r.promptTokens) || !r.promptTokens.every(isCount)) pr.add('promptTokens', 'a list of token ids', r.promptTokens);
  checkModel(r.model, 'model', pr, false);
  checkModel(r.draft, 'draft', pr, true);
  if (!isCount(r.seed) || r.seed > SEED_MAX) pr.add('seed', `an integer from 0 to ${SEED_MAX}`, r.seed);
  if (!isCount(r.maxNewTokens) || r.maxNewTokens < 1) pr.add('maxNewTokens', 'a positive integer', r.maxNewTokens);
  if (typeof r.createdAt !== 'string') pr.add('createdAt', 'an ISO date text', r.createdAt);
  if (r.partial !== undefined && !(isObj(r.partial) && typeof r.partial.error === 'string')) pr.add('partial', 'absent or { error: text }', r.partial);
  if (!Array.isArray(r.panels) || r.panels.length === 0) return pr.add('panels', 'a non-empty list of panels', r.panels);
  if (r.panels.length > MAX_IMPORT_PANELS) return pr.add('panels', `at most ${MAX_IMPORT_PANELS} panels`, `${r.panels.length} panels`);
  r.panels.forEach((p, i) => checkPanel(p, `panels[${i}]`, pr));
}

/**
 * Files written before token annotations carried `kind` (protocol/annotations.ts): the kind follows
 * from the panel's strategy; empty annotations stay empty (greedy without a penalty).
 */
const LEGACY_KIND: Readonly<Record<string, AnnotationKind>> = {
  greedy: 'processed',
  sample: 'processed',
  speculative: 'speculative',
  'prompt-lookup': 'speculative',
  contrastive: 'contrastive',
  'contrastive-search': 'contrastive-search',
  grad: 'grad',
  cntp: 'cntp',
};

function addLegacyKinds(record: RunRecord): RunRecord {
  for (const panel of record.panels) {
    const kind = LEGACY_KIND[panel.strategy];
    if (!kind) continue;
    for (const t of panel.tokens) {
      if (t.annotations.kind === undefined && Object.keys(t.annotations).length > 0) t.annotations = { ...t.annotations, kind } as TokenAnnotations;
    }
  }
  return record;
}

/** Checks a parsed JSON value against run record version 1. */
export function checkRunRecord(value: unknown): ImportResult {
  if (!isObj(value)) return { ok: false, errors: ['The file is not a Logitscope run: it holds no JSON object'] };
  if (value.format !== 'logitscope-run')
    return { ok: false, errors: [`The file is not a Logitscope run: its "format" is ${show(value.format)}, expected "logitscope-run"`] };
  if (value.version !== 1) return { ok: false, errors: [`This run file is version ${show(value.version)}; this Logitscope reads version 1 only`] };
  const pr = new Problems();
  checkTopLevel(value, pr);
  return pr.list.length > 0 ? { ok: false, errors: pr.list } : { ok: true, record: addLegacyKinds(value as unknown as RunRecord) };
}

/** Parses and checks the text of a run file. */
export function parseRunFile(text: string): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The file is not valid JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  return checkRunRecord(value);
}

/** Reads a user-picked file (size-checked first) and checks it. */
export async function readRunFile(file: Blob): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES)
    return { ok: false, errors: [`The file has ${file.size} bytes; run files up to ${MAX_IMPORT_BYTES} bytes can be imported`] };
  return parseRunFile(await file.text());
}

/**
 * `readRunFile` in a short-lived worker (app/run-import.worker.ts), so parsing and checking a large
 * file never holds the page; where a worker cannot start, on this thread.
 */
export function readRunFileOffThread(file: Blob): Promise<ImportResult> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./run-import.worker.ts', import.meta.url), { type: 'module', name: 'logitscope-import' });
  } catch {
    return readRunFile(file);
  }
  return new Promise<ImportResult>((resolve) => {
    const done = (result: ImportResult | null) => {
      worker.terminate();
      resolve(result ?? readRunFile(file));
    };
    worker.onmessage = (e: MessageEvent<ImportResult>) => done(e.data);
    // The worker script failed to load (e.g. blocked): check the file here instead.
    worker.onerror = (e) => {
      e.preventDefault();
      done(null);
    };
    worker.postMessage(file);
  });
}
