/** Number and text formatting for the UI (pure). */

/** A probability in [0, 1]: 3 decimals, or scientific notation below 0.001 (exact values are in the export). */
export function formatProb(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p !== 0 && Math.abs(p) < 1e-3) return p.toExponential(2);
  return p.toFixed(3);
}

/** A log-probability or entropy in nats, 2 decimals. */
export function formatNats(x: number): string {
  if (x === -Infinity) return '−∞ nats';
  return Number.isFinite(x) ? `${x.toFixed(2)} nats` : String(x);
}

/** A byte count with binary units: `1.5 MB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Milliseconds: `850 ms` or `1.25 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Tokens per second with one decimal. */
export function formatRate(tokensPerSecond: number): string {
  return Number.isFinite(tokensPerSecond) ? `${tokensPerSecond.toFixed(1)} tok/s` : '—';
}

const VISIBLE: Record<string, string> = { ' ': '␣', '\n': '↵', '\t': '⇥', '\r': '␍' };

/**
 * The marks `visibleTokenText` uses, for the legend: one rendering of whitespace, empty and control
 * tokens everywhere (stream markers, popover, lists, chips).
 */
export const TOKEN_GLYPHS: readonly { glyph: string; meaning: string }[] = [
  { glyph: '␣', meaning: 'space' },
  { glyph: '↵', meaning: 'line break' },
  { glyph: '⇥', meaning: 'tab' },
  { glyph: '∅', meaning: 'no text (e.g. end of sequence)' },
  { glyph: '⟨U+202E⟩', meaning: 'control character' },
  { glyph: '�', meaning: 'part of a multi-byte character' },
];

/** Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they reorder the text after them. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** A bidi control as a visible escape, e.g. `⟨U+202E⟩`. */
function bidiEscape(ch: string): string {
  return `⟨U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}⟩`;
}

/**
 * Token text as the stream shows it: the text itself, except that bidi controls become visible
 * escapes, so no token can visually reorder what follows it (a model's or an imported run's text).
 */
export function streamTokenText(text: string): string {
  return text.replace(BIDI_CONTROLS, bidiEscape);
}

function visibleChar(ch: string): string {
  const named = VISIBLE[ch];
  if (named) return named;
  const escaped = streamTokenText(ch);
  if (escaped !== ch) return escaped;
  const code = ch.codePointAt(0) ?? 0;
  // Other C0 controls and DEL as Unicode control pictures (U+2400..U+2421).
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  return code === 0x7f ? '\u2421' : ch;
}

/**
 * THE visible rendering of a token's text (popover, top lists, chips, stream markers): whitespace and
 * control characters made visible (␣ ↵ ⇥ ␚, bidi controls as `⟨U+202E⟩`), `∅` for empty text.
 */
export function visibleTokenText(text: string): string {
  if (text === '') return '∅';
  return Array.from(text, visibleChar).join('');
}

// Characters that show nothing one can point at in a pre-wrap line: spaces and tabs (a blank sliver),
// C0 controls other than newline, DEL, zero-width space/joiners, word joiner, BOM.
function isInvisible(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c <= 0x20 && c !== 0x0a) || c === 0x7f || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
}

/**
 * Which marker a token needs in the stream so that it never collapses to nothing: `newline`
 * (shown as ↵ before the break), `empty`, or `invisible` (only spaces, tabs or zero-width
 * characters, shown as their `visibleTokenText` glyphs, e.g. `␣`). Markers are drawn by CSS, so they never enter the token's text.
 */
export function tokenMarker(text: string): 'newline' | 'empty' | 'invisible' | null {
  if (text === '') return 'empty';
  if (text.includes('\n')) return 'newline';
  return Array.from(text).every(isInvisible) ? 'invisible' : null;
}
