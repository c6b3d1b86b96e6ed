/** One PanelCard per panel: the streaming/finished run's panels, or the configured ones before a run. */
import { emptyViews } from '../step-batching';
import { useAppStore } from '../store';
import { PanelCard } from './PanelCard';
import { useMemo } from 'react';

/** The panels grid. */
export function PanelList() {
  const views = useAppStore((s) => s.panelViews);
  const panels = useAppStore((s) => s.panels);
  const strategies = useAppStore((s) => s.catalog?.strategies);
  const prompt = useAppStore((s) => s.shownPrompt);
  const streaming = useAppStore((s) => s.runState === 'running' && s.viewsRunId === s.activeRunId);
  const placeholder = useMemo(() => emptyViews(panels), [panels]);
  const shown = views ?? placeholder;
  return (
    <div className="panels">
      {shown.map((view, i) => (
        <PanelCard
          key={i}
          index={i}
          view={view}
          info={strategies?.find((s) => s.id === view.spec.strategy) ?? null}
          prompt={views ? prompt : null}
          streaming={streaming}
        />
      ))}
    </div>
  );
}
