/** Asks before a link's model from another host is downloaded (app/link-consent.ts). */
import { fireAndForget, useController } from '../controller-context';
import { setConsent, usePendingConsent } from '../link-consent';
import { useAppStore } from '../store';
import { DEFAULT_URL_STATE } from '../url-state';

/** The question, with the hosts; nothing is fetched from them before "Download". */
export function LinkConsentCard() {
  const consent = usePendingConsent();
  const model = useAppStore((s) => s.model);
  const draft = useAppStore((s) => s.draft);
  const controller = useController();
  if (!consent) return null;
  const named = consent.models.filter((m) => m.spec === model || m.spec === draft);
  if (named.length === 0) return null;
  const hosts = [...new Set(named.map((m) => m.host))];
  const allow = () => {
    setConsent(null);
    if (consent.run) fireAndForget(controller.startLinkRun());
  };
  const builtIn = () => {
    setConsent(null);
    useAppStore.getState().runOptionsApplied({ model: DEFAULT_URL_STATE.model, draft: DEFAULT_URL_STATE.draft });
  };
  return (
    <div className="banner banner-warning" role="alertdialog" aria-labelledby="link-consent-title" data-testid="link-consent">
      <p id="link-consent-title">
        <strong>This link asks to download a model from {hosts.join(' and ')}.</strong> Nothing has been downloaded or requested from {hosts.length > 1 ? 'them' : 'it'} yet.
      </p>
      <ul>
        {named.map((m) => (
          <li key={m.spec}>
            <code>{m.spec}</code> ({m.host}; size unknown until the download starts)
          </li>
        ))}
      </ul>
      <p className="hint">Files over the limits are refused while downloading (JSON files 1 MB, tokenizer 64 MB, ONNX graph 2 GB), and a model enters this browser's model cache only once it has loaded.</p>
      <div className="banner-actions">
        <button type="button" className="primary" data-testid="link-consent-allow" onClick={allow}>
          {consent.run ? 'Download and run' : 'Allow download'}
        </button>
        <button type="button" data-testid="link-consent-builtin" onClick={builtIn}>
          Use the built-in model instead
        </button>
      </div>
    </div>
  );
}
