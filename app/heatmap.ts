/**
 * Heatmap modes: what a token's background colour encodes. Continuous modes map a number onto the
 * viridis scale (colour-blind safe, luminance rising with the value); rank uses six steps of the
 * same scale; provenance uses categorical Okabe–Ito colours. `heatOf` is the single definition the
 * token spans, the legend and the tests share.
 */
import type { TokenRecord } from '../protocol';
import { hexToRgb, sequentialColors, textColorFor, toHex, type TokenColors } from './color-scale';
import { PROVENANCE, provenanceOf, type ProvenanceKind } from './provenance';

/** The colouring modes the UI offers. */
export type HeatmapMode = 'probability' | 'surprisal' | 'entropy' | 'rank' | 'provenance';

/** Every mode, in menu order. */
export const HEATMAP_MODES: readonly HeatmapMode[] = ['probability', 'surprisal', 'entropy', 'rank', 'provenance'];

/** Upper end of the surprisal and entropy scales, nats (values above are clamped to the top colour). */
export const NATS_SCALE_MAX = 8;

/** Rank buckets: [first rank, last rank, position on the scale]; rank 1 is the brightest. */
export const RANK_BUCKETS: readonly { label: string; from: number; to: number; t: number }[] = [
  { label: '1', from: 1, to: 1, t: 1 },
  { label: '2', from: 2, to: 2, t: 0.8 },
  { label: '3', from: 3, to: 3, t: 0.6 },
  { label: '4–5', from: 4, to: 5, t: 0.4 },
  { label: '6–10', from: 6, to: 10, t: 0.2 },
  { label: '> 10', from: 11, to: Infinity, t: 0 },
];

/** A token's colour in a mode and the value it encodes (number, or the provenance category). */
export interface Heat {
  value: number | ProvenanceKind;
  colors: TokenColors;
}

/** Short names and one-line definitions per mode (menu and legend). */
export const MODE_INFO: Readonly<Record<HeatmapMode, { label: string; caption: string }>> = {
  probability: { label: 'Probability', caption: 'Token colour = probability p the model gave the chosen token' },
  surprisal: { label: 'Surprisal', caption: `Token colour = surprisal −ln p of the chosen token, nats (${NATS_SCALE_MAX}+ is the top colour)` },
  entropy: { label: 'Entropy', caption: `Token colour = entropy of the model’s distribution at that step, nats (${NATS_SCALE_MAX}+ is the top colour)` },
  rank: { label: 'Rank', caption: 'Token colour = rank of the chosen token among the model’s alternatives (1 = most probable)' },
  provenance: { label: 'Provenance', caption: 'Token colour = which part of the strategy produced the token' },
};

/** −ln p in nats (from the record's logprob; Infinity for p = 0). */
export function surprisalOf(t: Pick<TokenRecord, 'prob' | 'logprob'>): number {
  if (Number.isFinite(t.logprob)) return Math.max(0, -t.logprob);
  return t.prob > 0 ? -Math.log(t.prob) : Infinity;
}

/** 1-based rank of the chosen token in `top` (probability descending, ties to the lower id); null when not listed. */
export function rankOf(t: Pick<TokenRecord, 'id' | 'top'>): number | null {
  const i = t.top.findIndex((e) => e.id === t.id);
  return i < 0 ? null : i + 1;
}

/** The rank bucket's index in RANK_BUCKETS (a token outside the listed top counts as "> 10"). */
export function rankBucket(rank: number | null): number {
  const r = rank ?? Infinity;
  const i = RANK_BUCKETS.findIndex((b) => r >= b.from && r <= b.to);
  return i < 0 ? RANK_BUCKETS.length - 1 : i;
}

const PROVENANCE_COLORS = new Map<ProvenanceKind, TokenColors>(
  Object.entries(PROVENANCE).map(([k, s]) => [k as ProvenanceKind, { background: s.color, color: toHex(textColorFor(hexToRgb(s.color))) }]),
);

/** Colours of a provenance category. */
export function provenanceColors(kind: ProvenanceKind): TokenColors {
  return PROVENANCE_COLORS.get(kind) ?? sequentialColors(0);
}

// Token records never change once emitted, so a token's heat per mode is computed once.
const CACHE = new Map<HeatmapMode, WeakMap<TokenRecord, Heat>>(HEATMAP_MODES.map((m) => [m, new WeakMap()]));

/** The colour of a token in `mode`, and the number (or category) it encodes (memoised per token object). */
export function heatOf(mode: HeatmapMode, t: TokenRecord): Heat {
  const cache = CACHE.get(mode);
  const known = cache?.get(t);
  if (known) return known;
  const heat = computeHeat(mode, t);
  cache?.set(t, heat);
  return heat;
}

function computeHeat(mode: HeatmapMode, t: TokenRecord): Heat {
  switch (mode) {
    case 'probability':
      return { value: t.prob, colors: sequentialColors(t.prob) };
    case 'surprisal': {
      const s = surprisalOf(t);
      return { value: s, colors: sequentialColors(s / NATS_SCALE_MAX) };
    }
    case 'entropy':
      return { value: t.entropy, colors: sequentialColors(t.entropy / NATS_SCALE_MAX) };
    case 'rank': {
      const rank = rankOf(t);
      const bucket = RANK_BUCKETS[rankBucket(rank)];
      return { value: rank ?? Infinity, colors: sequentialColors(bucket?.t ?? 0) };
    }
    case 'provenance': {
      const kind = provenanceOf(t);
      return { value: kind, colors: provenanceColors(kind) };
    }
  }
}
