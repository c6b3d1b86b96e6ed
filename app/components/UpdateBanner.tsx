/** "New version — reload": shown when a new deploy's service worker waits for this page (app/sw-register.ts). */
import { useAppStore } from '../store';
import { applyUpdate, useUpdateReady } from '../sw-register';

/** The offer to reload onto the new version; never reloads by itself (the output on screen would go). */
export function UpdateBanner() {
  const ready = useUpdateReady();
  const busy = useAppStore((s) => s.runState === 'loading' || s.runState === 'running');
  const hasOutput = useAppStore((s) => s.panelViews !== null);
  if (!ready) return null;
  return (
    <div className="banner banner-info" role="status" data-testid="update-banner">
      <p>
        <strong>New version of Logitscope available.</strong> This page keeps working as it is; reload to use the new version.
        {hasOutput && ' Reloading clears the output on screen: Export it first to keep it.'}
      </p>
      <div className="banner-actions">
        <button type="button" data-testid="update-reload" disabled={busy} title={busy ? 'Stop or finish the run first' : undefined} onClick={applyUpdate}>
          Reload
        </button>
      </div>
    </div>
  );
}
