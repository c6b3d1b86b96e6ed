/** One decoding panel: strategy title, the token stream, the counters. */
import { memo } from 'react';
import type { StrategyInfo } from '../../workers/protocol';
import { describeParams } from '../panel-spec';
import type { PanelView } from '../step-batching';
import { PanelStatsFooter } from './PanelStatsFooter';
import { TokenStream } from './TokenStream';

interface Props {
  index: number;
  view: PanelView;
  info: StrategyInfo | null;
  /** Prompt shown before the tokens (muted), null before any run. */
  prompt: string | null;
  streaming: boolean;
}

/** A generic panel: nothing here depends on which strategy produced the tokens. */
export const PanelCard = memo(function PanelCard({ index, view, info, prompt, streaming }: Props) {
  const params = describeParams(view.spec.params);
  const titleId = `panel-${index}-title`;
  return (
    <article className="panel" data-testid={`panel-${index}`} aria-labelledby={titleId}>
      <header className="panel-header">
        <h2 id={titleId}>{info?.label ?? view.spec.strategy}</h2>
        {params && <span className="panel-params">{params}</span>}
        {info?.interpretation && (
          <span className="badge" title="Our reading of an incompletely published method">
            interpretation
          </span>
        )}
      </header>
      {view.error && (
        <p className="panel-error" role="alert">
          {view.error}
        </p>
      )}
      <TokenStream panelIndex={index} tokens={view.tokens} prompt={prompt} busy={streaming} />
      <PanelStatsFooter stats={view.stats} />
    </article>
  );
});
