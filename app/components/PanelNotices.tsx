/**
 * Why a panel cannot run as configured (needs a second model; needs hidden states), whether its
 * tokens are stale (settings changed since they were generated), and the worker's panel error.
 */
import type { PanelSpec, StrategyInfo } from '../../protocol';
import { suggestedDraft } from '../draft-suggestion';
import { cannotRunReason, mayLackHiddenState } from '../panel-capability';
import { sameEffectiveSpec } from '../panel-editor';
import type { PanelView } from '../step-batching';
import { useAppStore } from '../store';

interface Props {
  spec: PanelSpec;
  info: StrategyInfo | null;
  view: PanelView | undefined;
  disabled: boolean;
}

/** Notices under a panel's header; nothing when all is well. */
export function PanelNotices({ spec, info, view, disabled }: Props) {
  const model = useAppStore((s) => s.model);
  const draft = useAppStore((s) => s.draft);
  const catalog = useAppStore((s) => s.catalog);
  const suggestion = suggestedDraft(model, catalog);
  const needsDraft = Boolean(info?.needsDraft) && !draft?.trim();
  const refused = cannotRunReason(info, model, catalog);
  const hidden = !refused && Boolean(info?.needsHiddenState) && mayLackHiddenState(model);
  const stale = view !== undefined && !sameEffectiveSpec(spec, view.spec, info);
  return (
    <>
      {needsDraft && (
        <div className="notice notice-warning" data-testid="panel-needs-draft">
          <p>{info?.label} needs a second model (draft / amateur) that shares the tokenizer.</p>
          {suggestion && (
            <button type="button" disabled={disabled} data-testid="use-suggested-draft" onClick={() => useAppStore.getState().draftChanged(suggestion)}>
              Use {suggestion}
            </button>
          )}
        </div>
      )}
      {refused && (
        <p className="notice notice-error" data-testid="panel-cannot-run">
          Cannot run: {refused}.
        </p>
      )}
      {hidden && (
        <p className="notice notice-warning" data-testid="panel-needs-hidden">
          Needs a model that exports last_hidden_state. The built-in models do; standard Hub exports do not, and then the panel stops with an error.
        </p>
      )}
      {stale && (
        <p className="notice" data-testid="panel-stale">
          Settings changed since these tokens were generated: press Generate to update.
        </p>
      )}
      {view?.error && (
        <p className="panel-error" role="alert" data-testid="panel-error">
          {view.error}
        </p>
      )}
    </>
  );
}
