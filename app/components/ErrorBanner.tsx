/** The error banner: title by code, the message as text, "Reload model" after a device loss,
 * "Reload page" when the app was updated under this page. */
import { fireAndForget, useController } from '../controller-context';
import { useAppStore } from '../store';
import { applyUpdate } from '../sw-register';
import { errorTitle } from '../worker-error';

/** Shows the current error; the rest of the page stays as it was. */
export function ErrorBanner() {
  const error = useAppStore((s) => s.error);
  const busy = useAppStore((s) => s.runState === 'loading' || s.runState === 'running');
  const errorDismissed = useAppStore((s) => s.errorDismissed);
  const controller = useController();
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <p>
        <strong>{errorTitle(error.code)}:</strong> {error.message}
      </p>
      <div className="banner-actions">
        {error.code === 'device-lost' && (
          <button type="button" data-testid="reload-model" disabled={busy} onClick={() => fireAndForget(controller.reloadModel())}>
            Reload model
          </button>
        )}
        {error.code === 'app-updated' && (
          <button type="button" data-testid="reload-page" disabled={busy} onClick={applyUpdate}>
            Reload page
          </button>
        )}
        <button type="button" className="quiet" onClick={errorDismissed}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
