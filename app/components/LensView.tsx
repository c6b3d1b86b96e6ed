/**
 * The logit lens (docs/algorithms.md#logit-lens): what each layer would predict at a token's
 * position, decoded through the final norm and the LM head. `LensTable` is one token's layers ×
 * top-5 grid (popover, logit lab); `LensStrip` is the panel's layers × recent tokens heat strip.
 */
import { useState } from 'react';
import type { LensEntry, TokenRecord } from '../../protocol';
import { sequentialColors } from '../color-scale';
import { formatProb, visibleTokenText } from '../format';

/** Tokens the panel strip shows (the most recent ones with a lens). */
export const STRIP_TOKENS = 20;

/** Row name of layer `l` of `count` lens rows: the embedding, a block, or the model's output. */
export function layerName(l: number, count: number): string {
  if (l === 0) return 'embed';
  return l === count - 1 ? `out ${l}` : `L${l}`;
}

/** Why a token has no lens: the model has none anywhere in the panel, or this token was not read. */
export function lensAbsence(tokens: readonly TokenRecord[]): string {
  return tokens.some((t) => t.lens)
    ? 'No logit lens for this token: it was decided inside a longer forward (a verified draft, a beam step), where only the last position’s layers are read.'
    : 'No logit lens: this model’s graph exports no per-layer logits (layer_logits). The built-in models and llama2.c imports have them; Hub exports from Optimum do not.';
}

function cellStyle(p: number) {
  const c = sequentialColors(p);
  return { background: c.background, color: c.color };
}

/** Layers (output first) × top tokens of one token's lens; the chosen token is marked where it appears. */
export function LensTable({ token, tokens, testId = 'lens-table' }: { token: TokenRecord; tokens: readonly TokenRecord[]; testId?: string }) {
  const lens = token.lens;
  if (!lens || lens.length === 0) {
    return (
      <p className="hint lens-absent" data-testid={`${testId}-absent`}>
        {lensAbsence(tokens)}
      </p>
    );
  }
  const rows = [...lens].sort((a, b) => b.layer - a.layer);
  const firstHit = [...lens].sort((a, b) => a.layer - b.layer).find((l) => l.top[0]?.id === token.id);
  return (
    <div className="lens" data-testid={testId}>
      <p className="popover-caption">
        Logit lens: each layer’s top 5 through the final norm and LM head
        {firstHit ? ` · the chosen token leads from ${layerName(firstHit.layer, lens.length)}` : ' · no layer ranks the chosen token first'}
      </p>
      <table className="lens-table">
        <tbody>
          {rows.map((l: LensEntry) => (
            <tr key={l.layer} data-layer={l.layer}>
              <th scope="row">{layerName(l.layer, lens.length)}</th>
              {l.top.map((e) => (
                <td key={e.id} style={cellStyle(e.prob)} data-chosen={e.id === token.id || undefined} title={`id ${e.id} · p = ${formatProb(e.prob)}`}>
                  {visibleTokenText(e.text)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The panel's heat strip: rows = layers (output on top), columns = the last STRIP_TOKENS tokens with a
 * lens, cell = that layer's top-1 token coloured by its probability; a click shows the cell's top 5.
 */
export function LensStrip({ tokens, panelIndex }: { tokens: readonly TokenRecord[]; panelIndex: number }) {
  const [picked, setPicked] = useState<{ token: number; layer: number } | null>(null);
  // The table is built only while the strip is open: closed, a streaming run re-rendered a hidden
  // table of STRIP_TOKENS × layers cells per panel on every batch of steps.
  const [open, setOpen] = useState(false);
  let last = tokens.length - 1;
  while (last >= 0 && !(tokens[last]!.lens && tokens[last]!.lens!.length > 0)) last--;
  if (last < 0) return null;
  const withLens = open ? tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.lens && t.lens.length > 0) : [];
  const shown = withLens.slice(-STRIP_TOKENS);
  const count = open ? Math.max(...shown.map(({ t }) => t.lens!.length)) : tokens[last]!.lens!.length;
  const layers = Array.from({ length: count }, (_, l) => count - 1 - l);
  const pickedEntry = picked ? tokens[picked.token]?.lens?.find((l) => l.layer === picked.layer) : undefined;
  return (
    <details className="lens-strip" data-testid={`lens-strip-${panelIndex}`} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Logit lens · {count} layers</summary>
      {open && (
        <div className="lens-strip-wrap">
          <table className="lens-table">
            <thead>
              <tr>
                <th scope="col">layer</th>
                {shown.map(({ t, i }) => (
                  <th scope="col" key={i} title={`token ${i + 1}`}>
                    {visibleTokenText(t.text)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {layers.map((layer) => (
                <tr key={layer} data-layer={layer}>
                  <th scope="row">{layerName(layer, count)}</th>
                  {shown.map(({ t, i }) => {
                    const top = t.lens!.find((l) => l.layer === layer)?.top[0];
                    if (!top) return <td key={i} />;
                    return (
                      <td key={i} style={cellStyle(top.prob)} data-chosen={top.id === t.id || undefined}>
                        <button
                          type="button"
                          className="lens-cell"
                          aria-label={`Token ${i + 1}, ${layerName(layer, count)}: ${visibleTokenText(top.text)} (${formatProb(top.prob)})`}
                          onClick={() => setPicked({ token: i, layer })}
                        >
                          {visibleTokenText(top.text)}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && picked && pickedEntry && (
        <p className="lens-picked" data-testid={`lens-picked-${panelIndex}`}>
          Token {picked.token + 1}, {layerName(picked.layer, count)}:{' '}
          {pickedEntry.top.map((e) => `${visibleTokenText(e.text)} ${formatProb(e.prob)}`).join(' · ')}
        </p>
      )}
    </details>
  );
}
