/** Entry point: store from the URL, worker client, controller, `window.logitscope`, React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ControllerContext, fireAndForget } from './controller-context';
import { installLogitscopeGlobal } from './logitscope-global';
import { createRunController } from './run-controller';
import { useAppStore } from './store';
import { parseUrlState } from './url-state';
import { WorkerClient } from './worker-client';
import './styles.css';

const url = parseUrlState(window.location.search);
useAppStore.getState().urlStateLoaded(url.state, url.errors);

const controller = createRunController(new WorkerClient(), useAppStore);
installLogitscopeGlobal(controller, useAppStore);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>
  </StrictMode>,
);

fireAndForget(url.state.run ? controller.startRun() : controller.loadCatalog());
