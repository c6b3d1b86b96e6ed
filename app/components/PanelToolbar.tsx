/** Move, duplicate and remove buttons of one panel (named for screen readers, not only by glyph). */
import { memo } from 'react';
import { useAppStore } from '../store';
import { Icon } from './Icon';

interface Props {
  index: number;
  count: number;
  canAdd: boolean;
  disabled: boolean;
  name: string;
}

/** The buttons in a panel's header (memoised). */
export const PanelToolbar = memo(function PanelToolbar({ index, count, canAdd, disabled, name }: Props) {
  const actions = useAppStore.getState();
  return (
    <div className="panel-toolbar" role="group" aria-label={`Panel ${index + 1} actions`}>
      <button
        type="button"
        className="icon"
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
        className="icon"
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
        className="icon"
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
        className="icon"
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
