// The panel's logit-lens strip is a closed <details> while tokens stream: it must not build its
// table of STRIP_TOKENS × layers cells until it is opened (a streaming run re-rendered the hidden
// table on every batch of steps; e2e/dola.spec.ts opens it and checks the cells).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LensStrip } from '../../app/components/LensView';
import type { TokenRecord } from '../../protocol';
import { token } from './fixtures-ui';

function withLens(id: number, layers: number): TokenRecord {
  return { ...token(id, 0.5), lens: Array.from({ length: layers }, (_, layer) => ({ layer, top: [{ id, text: `t${id}`, prob: 0.1 * (layer + 1) }] })) };
}

describe('LensStrip', () => {
  it('closed, it renders the summary with the layer count and no table', () => {
    const html = renderToStaticMarkup(createElement(LensStrip, { tokens: [token(1, 0.5), withLens(2, 6), withLens(3, 6)], panelIndex: 0 }));
    expect(html).toContain('Logit lens · 6 layers');
    expect(html).not.toContain('<table');
    expect(html).not.toContain('lens-cell');
  });

  it('renders nothing when no token has a lens', () => {
    expect(renderToStaticMarkup(createElement(LensStrip, { tokens: [token(1, 0.5)], panelIndex: 0 }))).toBe('');
  });
});
