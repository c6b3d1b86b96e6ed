/** A panel's counters: new tokens, speed, time to first token, forward passes, finish reason. */
import type { FinishReason, PanelStats } from '../../protocol';
import { formatMs, formatRate } from '../format';

const FINISH: Record<FinishReason, string> = {
  eos: 'end of sequence',
  max: 'max new tokens reached',
  stopped: 'stopped',
  error: 'error',
};

/** Footer line; dashes until the first step arrives. */
export function PanelStatsFooter({ stats }: { stats: PanelStats | null }) {
  return (
    <footer className="panel-stats" data-testid="panel-stats">
      <dl>
        <div>
          <dt>New tokens</dt>
          <dd>{stats ? stats.newTokens : '—'}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{stats ? formatRate(stats.tokensPerSecond) : '—'}</dd>
        </div>
        <div>
          <dt>First token</dt>
          <dd>{formatMs(stats?.timeToFirstTokenMs ?? null)}</dd>
        </div>
        <div>
          <dt>Forward passes</dt>
          <dd>
            {stats ? `${stats.targetForwards} target` : '—'}
            {stats && stats.draftForwards > 0 ? `, ${stats.draftForwards} draft` : ''}
            {stats && stats.newTokens > 0 ? ` (${(stats.targetForwards / stats.newTokens).toFixed(2)} target / token)` : ''}
          </dd>
        </div>
        {stats?.finishReason && (
          <div>
            <dt>Finished</dt>
            <dd>{FINISH[stats.finishReason]}</dd>
          </div>
        )}
      </dl>
    </footer>
  );
}
