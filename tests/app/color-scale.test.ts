import { describe, expect, it } from 'vitest';
import { contrastRatio, probabilityColors, relativeLuminance, scaleGradient, textColorFor, toHex, viridis, type Rgb } from '../../app/color-scale';

function parseColor(css: string): Rgb {
  if (css.startsWith('#')) {
    const n = Number.parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /^rgb\(([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(css);
  if (!m) throw new Error(`not a colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

describe('colour scale', () => {
  it('has luminance strictly increasing over the 256 rendered steps', () => {
    let previous = -1;
    for (let i = 0; i <= 255; i++) {
      const l = relativeLuminance(parseColor(probabilityColors(i / 255).background));
      expect(l).toBeGreaterThan(previous);
      previous = l;
    }
    expect(relativeLuminance(viridis(1))).toBeGreaterThan(relativeLuminance(viridis(0)) + 0.5);
  });

  it('has luminance strictly increasing along the continuous scale', () => {
    for (let i = 0; i < 10_000; i++) {
      expect(relativeLuminance(viridis((i + 1) / 10_000))).toBeGreaterThan(relativeLuminance(viridis(i / 10_000)));
    }
  });

  it('keeps token text contrast at WCAG AA (4.5:1) everywhere', () => {
    for (let i = 0; i <= 1000; i++) {
      const { background, color } = probabilityColors(i / 1000);
      expect(contrastRatio(parseColor(background), parseColor(color))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('uses white text on the dark end and black text on the light end', () => {
    expect(probabilityColors(0).color).toBe('#ffffff');
    expect(probabilityColors(1).color).toBe('#000000');
    expect(textColorFor([255, 255, 0])).toEqual([0, 0, 0]);
  });

  it('clamps out-of-range and non-finite probabilities', () => {
    expect(probabilityColors(-1)).toEqual(probabilityColors(0));
    expect(probabilityColors(2)).toEqual(probabilityColors(1));
    expect(probabilityColors(Number.NaN)).toEqual(probabilityColors(0));
    expect(viridis(Number.POSITIVE_INFINITY)).toEqual(viridis(0));
  });

  it('table colours match the continuous scale', () => {
    expect(toHex(viridis(0.5))).toBe('#21918c');
    expect(parseColor(probabilityColors(0).background)).toEqual(viridis(0));
    expect(parseColor(probabilityColors(1).background)).toEqual(viridis(1));
  });

  it('gradient lists the stops from p = 0 to p = 1', () => {
    const g = scaleGradient();
    expect(g.startsWith('linear-gradient(to right, #440154 0%')).toBe(true);
    expect(g.endsWith('#fde725 100%)')).toBe(true);
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([10, 20, 30], [10, 20, 30])).toBe(1);
  });
});
