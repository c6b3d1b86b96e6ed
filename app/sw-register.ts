/**
 * Registers the offline service worker (`/sw.js`, written by scripts/vite-offline-plugin.ts) in
 * production builds only: the dev server has no precache list. A new build's worker installs and
 * waits (workers/offline/service-worker.ts); this module notices it and offers the update, which
 * the user applies with "Reload" (`applyUpdate`): the waiting worker takes over and this page reloads.
 * Other open pages keep running their build; its cache stays until none of them is open.
 */
import { externalValue } from './external-value';

/** Check for a new deploy this often while the page stays open (a teacher's tab can stay open all day). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let registration: ServiceWorkerRegistration | null = null;
const updateReady = externalValue(false);
let applying = false;

function setReady(): void {
  if (!updateReady.get()) updateReady.set(true);
}

/** Watches `worker` until it is installed; an installed worker under a controlled page is an update. */
function track(worker: ServiceWorker | null): void {
  if (!worker) return;
  const check = () => {
    if (worker.state === 'installed' && navigator.serviceWorker.controller) setReady();
  };
  check();
  worker.addEventListener('statechange', check);
}

/** Registers `/sw.js` when the build is a production one and the browser supports it. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const sws = navigator.serviceWorker;
  sws.addEventListener('controllerchange', () => {
    // Only the page that asked for the update reloads; the others keep their build until they do.
    if (applying) window.location.reload();
  });
  sws
    .register('/sw.js', { scope: '/' })
    .then((reg) => {
      registration = reg;
      track(reg.waiting);
      track(reg.installing);
      reg.addEventListener('updatefound', () => track(reg.installing));
      setInterval(() => void reg.update().catch(() => undefined), UPDATE_CHECK_MS);
      // This page has loaded: the page it replaced (on a reload) is gone, and its build's cache may go.
      void sws.ready.then((r) => r.active?.postMessage('clean-up'));
    })
    .catch((err: unknown) => {
      // Blocked (some test setups, private modes) or failed: the app works, just not offline.
      console.warn('service worker not registered:', err);
    });
}

/** Take the waiting new version now: this page reloads onto it once the new worker controls it. */
export function applyUpdate(): void {
  const waiting = registration?.waiting;
  if (!waiting) {
    // Another page already applied it: this one only needs to reload.
    window.location.reload();
    return;
  }
  applying = true;
  waiting.postMessage('skip-waiting');
}

/** True once a new version is installed and waiting for this page to reload. */
export function useUpdateReady(): boolean {
  return updateReady.use();
}
