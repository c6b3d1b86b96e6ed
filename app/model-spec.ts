/**
 * Model specifiers, as typed by the user or found in a URL: `builtin:<name>`, a Hugging Face Hub
 * id `org/name`, or a model folder URL (a same-origin path starting with `/`, or `https://...`).
 * Validation happens here so that nothing else ever has to treat the string as anything but data.
 */

/** What kind of source a valid model specifier names. */
export type ModelSpecKind = 'builtin' | 'hub' | 'path' | 'url' | 'local';

/** Result of checking a model specifier. */
export type ModelSpecCheck = { ok: true; kind: ModelSpecKind; value: string } | { ok: false; reason: string };

/** Longest specifier accepted (characters). */
export const MODEL_SPEC_MAX_CHARS = 2048;

const BUILTIN = /^builtin:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const LOCAL = /^local:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Prefix of local-folder specifiers (folders picked in this page; never shareable by URL). */
export const LOCAL_PREFIX = 'local:';
const HUB_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const SAME_ORIGIN_PATH = /^\/(?!\/)[A-Za-z0-9._~%/-]*$/;

/** Prefix of built-in model specifiers. */
export const BUILTIN_PREFIX = 'builtin:';

/** The shape every specifier must have, for error messages. */
export const MODEL_SPEC_HELP = 'a builtin:<name>, a Hub id org/name, a model folder URL (/path or https://...), or local:<name> for a picked folder';

/** True when `value` has whitespace or a control character (never part of a valid specifier). */
export function hasSpaceOrControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || /\s/.test(value.charAt(i))) return true;
  }
  return false;
}

function isHubId(value: string): boolean {
  const parts = value.split('/');
  if (parts.length !== 2) return false;
  // The Hub forbids "--" and ".." inside repo ids.
  return parts.every((p) => HUB_PART.test(p) && !p.includes('--') && !p.includes('..'));
}

function isHttpsUrl(value: string): boolean {
  if (!/^https:\/\//i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}

/** Checks a model specifier (surrounding whitespace is trimmed first). */
export function checkModelSpec(raw: string): ModelSpecCheck {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is empty' };
  if (value.length > MODEL_SPEC_MAX_CHARS) return { ok: false, reason: `is longer than ${MODEL_SPEC_MAX_CHARS} characters` };
  if (hasSpaceOrControl(value)) return { ok: false, reason: `contains whitespace or control characters; expected ${MODEL_SPEC_HELP}` };
  if (value.startsWith(LOCAL_PREFIX)) {
    return LOCAL.test(value) ? { ok: true, kind: 'local', value } : { ok: false, reason: 'is not a valid local:<name>' };
  }
  if (value.startsWith(BUILTIN_PREFIX)) {
    return BUILTIN.test(value) ? { ok: true, kind: 'builtin', value } : { ok: false, reason: 'is not a valid builtin:<name>' };
  }
  if (value.startsWith('/')) {
    return SAME_ORIGIN_PATH.test(value)
      ? { ok: true, kind: 'path', value }
      : { ok: false, reason: 'is not a same-origin path (/ followed by letters, digits, . _ ~ % - /)' };
  }
  if (isHttpsUrl(value)) return { ok: true, kind: 'url', value };
  if (isHubId(value)) return { ok: true, kind: 'hub', value };
  return { ok: false, reason: `is not ${MODEL_SPEC_HELP}` };
}

/** `builtin:<name>` for a catalog entry id that may or may not carry the prefix already. */
export function builtinSpec(catalogId: string): string {
  return catalogId.startsWith(BUILTIN_PREFIX) ? catalogId : `${BUILTIN_PREFIX}${catalogId}`;
}

export { quoteValue } from '../protocol';
