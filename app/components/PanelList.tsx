/**
 * The panels grid: one card per configured panel, each showing its own tokens from the run on
 * screen (matched by panel key, so moving or duplicating panels never mixes results up).
 */
import { useMemo } from 'react';
import { firstDeparture, greedyReference } from '../diff';
import { activeComparison, savedDepartures } from '../run-compare';
import type { PanelView } from '../step-batching';
import { useAppStore } from '../store';
import { AddPanel } from './AddPanel';
import { ErrorBoundary } from './ErrorBoundary';
import { PanelCard } from './PanelCard';

const DEFAULT_MAX_PANELS = 6;

function viewByKey(views: PanelView[] | null, keys: string[] | null): Map<string, PanelView> {
  const map = new Map<string, PanelView>();
  if (!views || !keys) return map;
  keys.forEach((k, i) => {
    const v = views[i];
    if (v) map.set(k, v);
  });
  return map;
}

/**
 * Panels, the add-panel row, and each panel's first departure: from the same panel of a saved run
 * opened for comparison, else (in diff mode) from the greedy panel.
 */
export function PanelList() {
  const panels = useAppStore((s) => s.panels);
  const keys = useAppStore((s) => s.panelKeys);
  const views = useAppStore((s) => s.panelViews);
  const viewKeys = useAppStore((s) => s.viewKeys);
  const strategies = useAppStore((s) => s.catalog?.strategies);
  const maxPanels = useAppStore((s) => s.catalog?.limits.maxPanels ?? DEFAULT_MAX_PANELS);
  const prompt = useAppStore((s) => s.shownPrompt);
  const mode = useAppStore((s) => s.heatmap);
  const diffMode = useAppStore((s) => s.diffMode);
  const locked = useAppStore((s) => s.runState === 'loading' || s.runState === 'running');
  const streaming = useAppStore((s) => s.runState === 'running' && s.viewsRunId === s.activeRunId);
  const enlargedKey = useAppStore((s) => s.enlargedPanel);
  const stepMode = useAppStore((s) => s.stepMode);
  const paused = useAppStore((s) => s.runPaused || s.activeRunId === null);
  const compared = useAppStore(activeComparison);
  const byKey = useMemo(() => viewByKey(views, viewKeys), [views, viewKeys]);
  // A removed panel's key enlarges nothing: every panel shows again.
  const enlarged = enlargedKey === null ? -1 : keys.indexOf(enlargedKey);
  const savedDeps = useMemo(() => (compared && views ? savedDepartures(views.map((v) => v.tokens.map((t) => t.id)), compared) : null), [compared, views]);
  const ref = views && diffMode && !compared ? greedyReference(views.map((v) => v.spec)) : null;
  const refIds = ref === null ? null : (views?.[ref]?.tokens.map((t) => t.id) ?? null);
  const list = strategies ?? [];

  return (
    <>
      {enlarged >= 0 && (
        <p className="enlarged-note" data-testid="enlarged-note">
          Panel {enlarged + 1} of {panels.length} is enlarged; the others are hidden.{' '}
          <button type="button" className="quiet" data-testid="restore-panels" onClick={() => useAppStore.getState().panelEnlarged(null)}>
            Show all panels
          </button>
        </p>
      )}
      <div className="panels" data-testid="panels" data-enlarged={enlarged >= 0 || undefined}>
        {panels.map((spec, i) => {
          const key = keys[i] ?? `index-${i}`;
          const view = byKey.get(key);
          const at = view && views ? views.indexOf(view) : -1;
          const saved = compared?.panels[at];
          const departure =
            savedDeps && view
              ? savedDeps[at]
              : refIds && view
                ? firstDeparture(
                    view.tokens.map((t) => t.id),
                    refIds,
                  )
                : undefined;
          return (
            <ErrorBoundary key={key} label={`panel ${i + 1}`} resetKey={view}>
              <PanelCard
                index={i}
                count={panels.length}
                canAdd={panels.length < maxPanels}
                spec={spec}
                view={view}
                info={list.find((s) => s.id === spec.strategy) ?? null}
                strategies={list}
                prompt={prompt}
                streaming={streaming}
                locked={locked}
                mode={mode}
                departure={departure}
                isReference={ref !== null && view !== undefined && views?.[ref] === view}
                against={saved ? `the saved run’s panel ${at + 1} (${saved.strategy})` : undefined}
                panelKey={key}
                enlarged={i === enlarged}
                stepMode={stepMode}
                waiting={paused}
              />
            </ErrorBoundary>
          );
        })}
      </div>
      {list.length > 0 && <AddPanel strategies={list} count={panels.length} max={maxPanels} disabled={locked} />}
    </>
  );
}
