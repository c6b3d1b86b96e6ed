/**
 * Token text by id, gathered from a run's own records (each token's text and its top alternatives),
 * for ids the UI has no text for otherwise (rejected drafts, the amateur's alternatives). The UI has
 * no tokenizer: an id never seen in the run shows as `#id`.
 */
import type { TokenRecord } from '../protocol';
import { visibleTokenText } from './format';

const cache = new WeakMap<readonly TokenRecord[], Map<number, string>>();

/** id → text over every token and top entry of one panel (memoised per token array). */
export function textIndex(tokens: readonly TokenRecord[]): Map<number, string> {
  const known = cache.get(tokens);
  if (known) return known;
  const map = new Map<number, string>();
  for (const t of tokens) {
    if (!map.has(t.id)) map.set(t.id, t.text);
    for (const e of t.top) if (!map.has(e.id)) map.set(e.id, e.text);
  }
  cache.set(tokens, map);
  return map;
}

/** One map over several panels (the first panel that knows an id wins). */
export function mergedTextIndex(panels: readonly (readonly TokenRecord[])[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const tokens of panels) for (const [id, text] of textIndex(tokens)) if (!out.has(id)) out.set(id, text);
  return out;
}

/** Display text of an id: `own` text when the annotation carries it, else its text in the run, `#id` when unknown. */
export function idText(index: ReadonlyMap<number, string>, id: number, own?: string): string {
  const text = own ?? index.get(id);
  return text === undefined ? `#${id}` : visibleTokenText(text);
}
