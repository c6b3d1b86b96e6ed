/**
 * Panel colours and line dashes for charts and panel swatches: the Okabe–Ito palette (safe for
 * every common colour-vision deficiency), with a distinct dash per panel so lines differ without colour.
 */
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
const DASHES = ['', '8 4', '2 3', '10 3 2 3', '5 5', '1 4', '12 6', '3 6'];

/** `#rrggbb` of panel `index` (cycles after eight panels). */
export function panelColor(index: number): string {
  return COLORS[((index % COLORS.length) + COLORS.length) % COLORS.length]!;
}

/** SVG stroke-dasharray of panel `index` ('' = solid). */
export function panelDash(index: number): string {
  return DASHES[((index % DASHES.length) + DASHES.length) % DASHES.length]!;
}
