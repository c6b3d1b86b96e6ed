/**
 * An SMC panel's particle system as it stands (LiveState.smc), under the stream, updated with every
 * step event: the lineage fan, the ESS trace, and every particle's text after the emitted tokens
 * with its weight and reward (the final weighted set of completions once the run has ended).
 */
import type { LiveState } from '../../../protocol';
import { SmcLineage } from './SmcLineage';
import { CompletionList } from './SmcDetail';

export function SmcLivePanel({ live, panelIndex }: { live: LiveState; panelIndex: number }) {
  const s = live.smc!;
  return (
    <section className="live-hypotheses smc-live" data-testid={`smc-live-${panelIndex}`} aria-label={`Particles of panel ${panelIndex + 1}`}>
      <p className="popover-caption" data-testid={`smc-live-caption-${panelIndex}`}>
        {live.done ? `Ended after ${live.step} steps` : `After step ${live.step}`}: {s.particles} particles, resampled {s.resamplings} time{s.resamplings === 1 ? '' : 's'}
        {s.steps.length > 0 ? `, ESS ${s.steps.at(-1)!.ess.toFixed(2)}` : ''}
      </p>
      <SmcLineage steps={s.steps} first={s.first} particles={s.particles} threshold={s.threshold} head={s.head} testId={`smc-lineage-${panelIndex}`} />
      <CompletionList items={s.completions} caption={live.done ? 'The final weighted particles (the output marked)' : 'Particles (text still undecided), best first'} />
    </section>
  );
}
