/**
 * Probability → colour: the viridis sequential scale (perceptually uniform, colour-blind safe,
 * luminance rising with probability), and a text colour (black or white) chosen for contrast.
 */

/** sRGB colour, channels 0..255 (not necessarily integers). */
export type Rgb = readonly [number, number, number];

// matplotlib viridis at 0, 0.1, ..., 1.
const VIRIDIS: readonly Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x48, 0x24, 0x75],
  [0x41, 0x44, 0x87],
  [0x35, 0x5f, 0x8d],
  [0x2a, 0x78, 0x8e],
  [0x21, 0x91, 0x8c],
  [0x22, 0xa8, 0x84],
  [0x44, 0xbf, 0x70],
  [0x7a, 0xd1, 0x51],
  [0xbd, 0xdf, 0x26],
  [0xfd, 0xe7, 0x25],
];

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/**
 * Viridis colour at `t` in [0, 1] (clamped; NaN counts as 0), linear between stops. Channels are
 * not rounded: rounding to 8 bits makes neighbouring steps tie or dip in luminance.
 */
export function viridis(t: number): Rgb {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS[i] ?? BLACK;
  const b = VIRIDIS[i + 1] ?? BLACK;
  const mix = (u: number, v: number) => u + (v - u) * f;
  return [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])];
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) .. 1 (white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio between two colours, 1..21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever contrasts more with `background`. */
export function textColorFor(background: Rgb): Rgb {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
}

/** `#rrggbb` for a colour (channels rounded). */
export function toHex(c: Rgb): string {
  return `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** CSS `rgb(r g b)` with two decimals (keeps the scale's luminance strictly increasing). */
export function toCssRgb(c: Rgb): string {
  return `rgb(${c.map((v) => Number(v.toFixed(2))).join(' ')})`;
}

/** Background and text colours (CSS) of a token with probability `p`. */
export interface TokenColors {
  background: string;
  color: string;
}

const LUT_SIZE = 256;
const LUT: readonly TokenColors[] = Array.from({ length: LUT_SIZE }, (_, i) => {
  const bg = viridis(i / (LUT_SIZE - 1));
  return { background: toCssRgb(bg), color: toHex(textColorFor(bg)) };
});

/** Colours for probability `p` in [0, 1], from a 256-step table (rendering hot path). */
export function probabilityColors(p: number): TokenColors {
  const x = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
  return LUT[Math.round(x * (LUT_SIZE - 1))] ?? { background: 'rgb(0 0 0)', color: '#ffffff' };
}

/** CSS `linear-gradient` of the whole scale, left (p = 0) to right (p = 1), for the legend. */
export function scaleGradient(direction = 'to right'): string {
  const stops = VIRIDIS.map((c, i) => `${toHex(c)} ${(i * 100) / (VIRIDIS.length - 1)}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}

/** Colours for a position `t` in [0, 1] on the sequential scale (any continuous heatmap mode). */
export const sequentialColors: (t: number) => TokenColors = probabilityColors;

/** `#rrggbb` → channels (throws naming the value when it is not that shape). */
export function hexToRgb(hex: string): Rgb {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) throw new RangeError(`hex colour must be #rrggbb, got ${JSON.stringify(hex)}`);
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
