/** Entry point: store from the URL, worker client, controller, `window.logitscope`, React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { storedMeasurements } from './backend-store';
import { ClientContext } from './client-context';
import { ControllerContext, fireAndForget } from './controller-context';
import { probeAdapterFacts } from './gpu-probe';
import { foreignModels, pendingConsent, setConsent, settleConsent } from './link-consent';
import { lessonById, lessonSetup } from './lesson-setup';
import { installLogitscopeGlobal } from './logitscope-global';
import { createRunController } from './run-controller';
import { useAppStore } from './store';
import { registerServiceWorker } from './sw-register';
import { parseUrlState } from './url-state';
import { WorkerClient } from './worker-client';
import './styles.css';

const url = parseUrlState(window.location.search);
// A lesson link sets the lesson's setup first; the link's other fields apply over it.
const lesson = url.state.lesson ? lessonById(url.state.lesson) : undefined;
if (lesson) useAppStore.getState().lessonOpened(lesson.id, lessonSetup(lesson).setup);
useAppStore.getState().urlStateLoaded(url.state, url.errors);
useAppStore.getState().measurementsLoaded(storedMeasurements());

const client = new WorkerClient();
const controller = createRunController(client, useAppStore);
installLogitscopeGlobal(controller, useAppStore, client);
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ControllerContext.Provider value={controller}>
      <ClientContext.Provider value={client}>
        <App />
      </ClientContext.Provider>
    </ControllerContext.Provider>
  </StrictMode>,
);

// A link's model on another host waits for the visitor's consent (app/link-consent.ts); the
// curated Hub models, known once the catalog has loaded, need none.
setConsent({ models: foreignModels([url.state.model, url.state.draft], window.location.origin, null), run: Boolean(url.state.run) });
if (url.state.run && !pendingConsent()) fireAndForget(controller.startLinkRun());
else {
  void controller.loadCatalog().then((catalog) => {
    const run = pendingConsent()?.run ?? false;
    if (catalog && settleConsent(catalog.hub) === null && run) fireAndForget(controller.startLinkRun());
  });
}

// The adapter decides what `auto` means here; then the WebGPU pipelines warm in the background
// (only when the form's built-in models would run on WebGPU), again after a change of model,
// draft, dtype or backend.
void probeAdapterFacts().then((facts) => {
  useAppStore.getState().adapterProbed(facts);
  if (!url.state.run) fireAndForget(controller.warm());
  let timer: ReturnType<typeof setTimeout> | undefined;
  useAppStore.subscribe((s, prev) => {
    if (s.model === prev.model && s.draft === prev.draft && s.dtype === prev.dtype && s.backend === prev.backend) return;
    clearTimeout(timer);
    timer = setTimeout(() => fireAndForget(controller.warm()), 500);
  });
});
