/**
 * Diff mode: where each panel departs from the greedy panel. Token sequences share one tokenizer,
 * so the comparison is by token id, position by position, up to the first difference; after it the
 * contexts differ and position-wise comparison means nothing, so those tokens are only "after".
 */
import type { PanelSpec } from '../protocol';
import { hexToRgb, textColorFor, toHex, type TokenColors } from './color-scale';

/** How a token relates to the greedy reference. */
export type DiffMark = 'same' | 'departure' | 'after';

/** Colours and legend text per mark. */
export const DIFF_STYLE: Readonly<Record<DiffMark, { color: string; label: string }>> = {
  same: { color: '#E4E4E7', label: 'Same token as the greedy panel' },
  departure: { color: '#D55E00', label: 'First token that differs from greedy' },
  after: { color: '#FBE3D6', label: 'After the departure (contexts differ)' },
};

const COLORS = new Map<DiffMark, TokenColors>(
  Object.entries(DIFF_STYLE).map(([k, s]) => [k as DiffMark, { background: s.color, color: toHex(textColorFor(hexToRgb(s.color))) }]),
);

/** Colours of a diff mark. */
export function diffColors(mark: DiffMark): TokenColors {
  return COLORS.get(mark) ?? { background: '#ffffff', color: '#000000' };
}

/** Index of the reference panel (the first greedy one), or null when there is none. */
export function greedyReference(specs: readonly Pick<PanelSpec, 'strategy'>[]): number | null {
  const i = specs.findIndex((s) => s.strategy === 'greedy');
  return i < 0 ? null : i;
}

/** Index of the first position where `ids` differs from `reference`; null when they agree on their common length. */
export function firstDeparture(ids: readonly number[], reference: readonly number[]): number | null {
  const n = Math.min(ids.length, reference.length);
  for (let i = 0; i < n; i++) if (ids[i] !== reference[i]) return i;
  return null;
}

/** The mark of token `index` given the panel's first departure (null: none so far). */
export function diffMark(index: number, departure: number | null): DiffMark {
  if (departure === null || index < departure) return 'same';
  return index === departure ? 'departure' : 'after';
}
