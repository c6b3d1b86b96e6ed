/** Share (URL state to address bar and clipboard) and export (run record download). */
import type { RunRecord } from '../protocol';
import { DEFAULT_URL_STATE, serializeUrlState, type UrlMode, type UrlState } from './url-state';
import type { RunForm } from './validation';

/** URL state for the form and the page modes on (number fields that are not valid yet fall back to the defaults). */
export function urlStateOfForm(form: RunForm, modes: UrlMode[] = []): UrlState {
  const max = Number(form.maxNewTokens);
  const seed = Number(form.seed);
  return {
    model: form.model.trim(),
    draft: form.draft?.trim() ? form.draft.trim() : null,
    dtype: form.dtype,
    backend: form.backend,
    prompt: form.prompt,
    maxNewTokens: Number.isSafeInteger(max) && max > 0 ? max : DEFAULT_URL_STATE.maxNewTokens,
    seed: Number.isSafeInteger(seed) && seed >= 0 ? seed : DEFAULT_URL_STATE.seed,
    panels: form.panels,
    chatTemplate: form.chatTemplate,
    logitLens: form.logitLens,
    run: false,
    modes,
    lesson: null,
  };
}

/** Absolute share URL for the form (and the page modes on), on the page's own origin and path. */
export function shareUrl(form: RunForm, location: { origin: string; pathname: string }, modes: UrlMode[] = []): string {
  return shareUrlOf(urlStateOfForm(form, modes), location);
}

/** Absolute URL of a URL state, on the page's own origin and path. */
export function shareUrlOf(state: UrlState, location: { origin: string; pathname: string }): string {
  return `${location.origin}${location.pathname}?${serializeUrlState(state)}`;
}

/** Copies text; false when the clipboard is unavailable or refuses (the caller shows the text). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** `logitscope-run-<timestamp>.json`, timestamp from the record's createdAt (file-name safe). */
export function exportFileName(record: RunRecord, now: Date = new Date()): string {
  const created = new Date(record.createdAt);
  const when = Number.isNaN(created.getTime()) ? now : created;
  return `logitscope-run-${when.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** `logitscope-run-<timestamp>.csv`, the CSV twin of `exportFileName`. */
export function csvFileName(record: RunRecord, now: Date = new Date()): string {
  return exportFileName(record, now).replace(/\.json$/, '.csv');
}

/** Saves `text` as a file called `name` through a temporary link. */
export function downloadText(name: string, text: string, type: string): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the record as pretty-printed JSON. */
export function downloadRecord(record: RunRecord): void {
  downloadText(exportFileName(record), JSON.stringify(record, null, 2), 'application/json');
}
