/** A panel's token stream (prompt echo + token spans) and its single token popover. */
import { useEffect, useMemo, useRef, useState, type FocusEvent } from 'react';
import { createPortal } from 'react-dom';
import type { TokenRecord } from '../../protocol';
import { diffColors, diffMark } from '../diff';
import { followLater, readerScrolled } from '../follow-scroll';
import { heatOf, type HeatmapMode } from '../heatmap';
import { useProgressiveCount } from '../use-progressive-count';
import { ErrorBoundary } from './ErrorBoundary';
import { TokenPopover } from './TokenPopover';
import { TokenSpan } from './TokenSpan';
import { useTokenPopover } from './use-token-popover';

interface Props {
  panelIndex: number;
  strategyLabel: string;
  tokens: TokenRecord[];
  prompt: string | null;
  busy: boolean;
  /** The panel ended with an error (its message is shown above the stream). */
  failed?: boolean;
  mode: HeatmapMode;
  /** Diff mode: the first departure from greedy (null: none); undefined when diff mode is off. */
  departure: number | null | undefined;
}

function paints(tokens: readonly TokenRecord[], mode: HeatmapMode, departure: number | null | undefined) {
  return tokens.map((t, i) => {
    if (departure === undefined) {
      const h = heatOf(mode, t);
      return { colors: h.colors, heat: h.value, diff: undefined };
    }
    const mark = diffMark(i, departure);
    return { colors: diffColors(mark), heat: mark, diff: mark };
  });
}

/** Tokens as spans with one tab stop; hover, focus or click one to see its alternatives. */
export function TokenStream({ panelIndex, strategyLabel, tokens, prompt, busy, failed = false, mode, departure }: Props) {
  const containerRef = useRef<HTMLSpanElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const { active, close, container, popover } = useTokenPopover(containerRef, popoverRef, tokens.length);
  const [stop, setStop] = useState(0);
  const painted = useMemo(() => paints(tokens, mode, departure), [tokens, mode, departure]);
  // An imported record of thousands of tokens appears over a few frames instead of one long freeze.
  const rendered = useProgressiveCount(tokens.length);
  const popoverId = `panel-${panelIndex}-popover`;
  const activeToken = active ? tokens[active.index] : undefined;
  const tabStop = Math.min(stop, Math.max(0, tokens.length - 1));
  // Follow new tokens while the reader is at the bottom of the stream; leave them alone once they scroll up.
  const streamRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (streamRef.current) followLater(streamRef.current);
  }, [rendered]);
  const onScroll = () => {
    if (streamRef.current) readerScrolled(streamRef.current);
  };
  const onFocus = (e: FocusEvent) => {
    const index = Number((e.target as HTMLElement).dataset.index);
    if (Number.isInteger(index)) setStop(index);
    container.onFocus(e);
  };

  return (
    <div ref={streamRef} className="stream" aria-busy={busy} onScroll={onScroll}>
      {prompt !== null && <span className="prompt-echo">{prompt}</span>}
      <span
        ref={containerRef}
        className="tokens"
        data-testid="tokens"
        role="group"
        aria-label={`${strategyLabel}: ${tokens.length} generated tokens. Arrow keys move between tokens, Home and End jump, Enter pins the details, Escape closes them.`}
        {...container}
        onFocus={onFocus}
      >
        {tokens.slice(0, rendered).map((t, i) => {
          const p = painted[i]!;
          return (
            <TokenSpan
              key={i}
              token={t}
              index={i}
              colors={p.colors}
              heat={p.heat}
              diff={p.diff}
              tabbable={i === tabStop}
              describedBy={active?.index === i ? popoverId : undefined}
            />
          );
        })}
      </span>
      {tokens.length === 0 && !busy && (
        <p className="placeholder" data-testid="stream-placeholder">
          {failed ? 'No tokens: this panel stopped with the error above.' : 'Press Generate to see the continuation here.'}
        </p>
      )}
      {/* In <body>: panels and streams use CSS containment, which would clip and re-anchor a fixed popover. */}
      {active &&
        activeToken &&
        createPortal(
          <ErrorBoundary label="this token's details" resetKey={activeToken}>
            <TokenPopover
              ref={popoverRef}
              id={popoverId}
              token={activeToken}
              tokens={tokens}
              container={containerRef}
              index={active.index}
              pinned={active.pinned}
              onClose={close}
              {...popover}
            />
          </ErrorBoundary>,
          document.body,
        )}
    </div>
  );
}
