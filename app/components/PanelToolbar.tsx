/** Enlarge, move, duplicate and remove buttons of one panel (named for screen readers, not only by glyph). */
import { memo } from 'react';
import { useAppStore } from '../store';
import { Icon } from './Icon';

interface Props {
  index: number;
  count: number;
  canAdd: boolean;
  disabled: boolean;
  name: string;
  /** Key of the panel (what the store enlarges) and whether it is the enlarged one. */
  panelKey: string;
  enlarged: boolean;
}

/** The buttons in a panel's header (memoised). */
export const PanelToolbar = memo(function PanelToolbar({ index, count, canAdd, disabled, name, panelKey, enlarged }: Props) {
  const actions = useAppStore.getState();
  return (
    <div className="panel-toolbar" role="group" aria-label={`Panel ${index + 1} actions`}>
      {/* Only changes the view, so it works while a run streams (and stays in presentation mode). */}
      <button
        type="button"
        className="icon"
        aria-pressed={enlarged}
        aria-label={enlarged ? `Restore all panels (${name} is enlarged)` : `Enlarge ${name}`}
        title={enlarged ? 'Restore all panels' : 'Enlarge (hides the other panels until restored)'}
        data-testid="panel-enlarge"
        onClick={() => actions.panelEnlarged(enlarged ? null : panelKey)}
      >
        <Icon name={enlarged ? 'restore' : 'enlarge'} />
      </button>
      <button
        type="button"
        className="icon edit"
        disabled={disabled || index === 0}
        aria-label={`Move ${name} earlier`}
        title="Move earlier"
        data-testid="panel-move-earlier"
        onClick={() => actions.panelMoved(index, -1)}
      >
        <Icon name="earlier" />
      </button>
      <button
        type="button"
        className="icon edit"
        disabled={disabled || index === count - 1}
        aria-label={`Move ${name} later`}
        title="Move later"
        data-testid="panel-move-later"
        onClick={() => actions.panelMoved(index, 1)}
      >
        <Icon name="later" />
      </button>
      <button
        type="button"
        className="icon edit"
        disabled={disabled || !canAdd}
        aria-label={`Duplicate ${name}`}
        title="Duplicate"
        data-testid="panel-duplicate"
        onClick={() => actions.panelDuplicated(index)}
      >
        <Icon name="duplicate" />
      </button>
      <button
        type="button"
        className="icon edit"
        disabled={disabled || count <= 1}
        aria-label={`Remove ${name}`}
        title="Remove"
        data-testid="panel-remove"
        onClick={() => actions.panelRemoved(index)}
      >
        <Icon name="remove" />
      </button>
    </div>
  );
});
