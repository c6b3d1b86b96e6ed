/** One decoding panel: title and actions, strategy settings, notices, the token stream, the timeline, the counters. */
import { memo } from 'react';
import type { PanelSpec, StrategyInfo } from '../../protocol';
import type { HeatmapMode } from '../heatmap';
import { changedParams } from '../panel-editor';
import { describeParams } from '../panel-spec';
import type { PanelView } from '../step-batching';
import { panelColor } from './charts/palette';
import { LiveHypotheses } from './LiveHypotheses';
import { LensStrip } from './LensView';
import { LogitLab } from './LogitLab';
import { PanelConfig } from './PanelConfig';
import { PanelNotices } from './PanelNotices';
import { PanelStatsFooter } from './PanelStatsFooter';
import { PanelToolbar } from './PanelToolbar';
import { BeamTree } from '../../strategies/beam/ui/BeamTree';
import { shownLive } from '../../strategies/beam/ui/beam-record-tree';
import { SpeculativeTimeline } from '../../strategies/speculative/ui/SpeculativeTimeline';
import { SmcLivePanel } from '../../strategies/smc/ui/SmcLivePanel';
import { smcLiveFromTokens } from '../../strategies/smc/ui/smc-view';
import { MultiDraftTimeline } from '../../strategies/multi-draft/ui/MultiDraftTimeline';
import { SuperposedLivePanel } from '../../strategies/superposed/ui/SuperposedLivePanel';
import { StrategyExplainer } from './StrategyExplainer';
import { TokenStream } from './TokenStream';

interface Props {
  index: number;
  count: number;
  canAdd: boolean;
  spec: PanelSpec;
  /** This panel's results in the run on screen (undefined: not run yet). */
  view: PanelView | undefined;
  info: StrategyInfo | null;
  strategies: readonly StrategyInfo[];
  /** Prompt shown before the tokens (muted), null before any run. */
  prompt: string | null;
  streaming: boolean;
  /** No edits while a run is in flight. */
  locked: boolean;
  mode: HeatmapMode;
  departure: number | null | undefined;
  isReference: boolean;
  /** What the departure is measured against when not the greedy panel (a saved run's panel). */
  against?: string;
  /** The panel's key (survives moves) and whether it is shown enlarged. */
  panelKey: string;
  enlarged: boolean;
  /** Step mode: the panel shows its logit lab; `waiting`: no run goes on by itself (Step takes the next step). */
  stepMode: boolean;
  waiting: boolean;
}

function diffSummary(departure: number | null | undefined, isReference: boolean, n: number, against = 'greedy'): string | null {
  if (departure === undefined) return null;
  if (isReference) return 'Reference for the comparison';
  return departure === null ? `Same as ${against} so far (${n} tokens)` : `Departs from ${against} at token ${departure + 1}`;
}

/** A panel card; its stream, timeline and stats depend only on the tokens, never on the strategy's code. */
export const PanelCard = memo(function PanelCard(p: Props) {
  const { index, spec, view, info } = p;
  const label = info?.label ?? spec.strategy;
  const titleId = `panel-${index}-title`;
  const shownParams = describeParams(changedParams(view?.spec ?? spec, info));
  const tokens = view?.tokens ?? [];
  const diff = diffSummary(p.departure, p.isReference, tokens.length, p.against);
  // A search strategy's state: the stream's, or once the run is over the one its tokens record.
  const live = view ? (shownLive(view.live, tokens, view.spec.params, p.streaming) ?? (p.streaming ? null : smcLiveFromTokens(tokens))) : null;
  return (
    <article
      className="panel"
      data-testid={`panel-${index}`}
      data-strategy={spec.strategy}
      data-enlarged={p.enlarged || undefined}
      aria-labelledby={titleId}
    >
      {/* Three rows (settings, stream, results) that line up across side-by-side panels (CSS subgrid). */}
      <div className="panel-top">
        <header className="panel-header">
          <h2 id={titleId} title={label}>
            <span className="panel-swatch" style={{ background: panelColor(index) }} aria-hidden="true" />
            <span className="panel-number">{index + 1}</span> <span className="panel-label">{label}</span>
          </h2>
          {info?.interpretation && (
            <span className="badge" data-testid="interpretation-badge" title="The paper’s exact method is not public: this is our reading of it">
              our interpretation
            </span>
          )}
          <PanelToolbar
            index={index}
            count={p.count}
            canAdd={p.canAdd}
            disabled={p.locked}
            name={`panel ${index + 1} (${label})`}
            panelKey={p.panelKey}
            enlarged={p.enlarged}
          />
        </header>
        <StrategyExplainer info={info} index={index} />
        {shownParams && <p className="panel-params">{shownParams}</p>}
        <PanelConfig index={index} spec={spec} info={info} strategies={p.strategies} disabled={p.locked} />
        <PanelNotices spec={spec} info={info} view={view} disabled={p.locked} />
        {diff && (
          <p className="diff-summary" data-testid="diff-summary">
            {diff}
          </p>
        )}
      </div>
      <TokenStream
        panelIndex={index}
        strategyLabel={label}
        tokens={tokens}
        prompt={view ? p.prompt : null}
        busy={p.streaming}
        failed={Boolean(view?.error)}
        mode={p.mode}
        departure={p.departure}
      />
      <div className="panel-bottom">
        {live?.tree && <BeamTree live={live} panelIndex={index} />}
        {live?.smc && <SmcLivePanel live={live} panelIndex={index} />}
        {live?.superposed && <SuperposedLivePanel live={live} panelIndex={index} />}
        {live && !live.smc && !live.superposed && <LiveHypotheses live={live} panelIndex={index} />}
        <LensStrip tokens={tokens} panelIndex={index} />
        {p.stepMode && <LogitLab panelIndex={index} lab={view?.lab} tokens={tokens} waiting={p.waiting} />}
        <SpeculativeTimeline tokens={tokens} />
        <MultiDraftTimeline tokens={tokens} />
        <PanelStatsFooter stats={view?.stats ?? null} />
      </div>
    </article>
  );
});
