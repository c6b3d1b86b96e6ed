/**
 * The run bar: stays at the top of the window (sticky) so Generate and Stop are in reach while the
 * output streams and the page scrolls; it also folds the settings column and switches presentation
 * mode.
 */
import { useAppStore } from '../store';
import { RunActions } from './RunActions';

/** Id of the settings column the fold button controls. */
export const SETTINGS_COLUMN_ID = 'settings-column';

/** Settings fold, Generate / Stop / status, presentation switch. */
export function RunBar() {
  const collapsed = useAppStore((s) => s.settingsCollapsed);
  const presentation = useAppStore((s) => s.presentation);
  const actions = useAppStore.getState();
  return (
    <div className="run-bar" data-testid="run-bar" role="region" aria-label="Run">
      <button
        type="button"
        className="quiet settings-toggle"
        data-testid="settings-toggle"
        aria-expanded={!collapsed}
        aria-controls={SETTINGS_COLUMN_ID}
        onClick={() => actions.settingsToggled(!collapsed)}
      >
        {collapsed ? 'Show settings' : 'Hide settings'}
      </button>
      <RunActions />
      <button
        type="button"
        className="presentation-toggle"
        data-testid="presentation-toggle"
        aria-pressed={presentation}
        title="Larger type and the panels across the page, for projecting (mode=present in a link)"
        onClick={() => actions.presentationToggled(!presentation)}
      >
        Presentation mode
      </button>
    </div>
  );
}
