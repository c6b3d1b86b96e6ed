/**
 * Registers the offline service worker (`/sw.js`, written by scripts/vite-offline-plugin.ts) in
 * production builds only: the dev server has no precache list. A new build ships a new `sw.js`,
 * which installs, takes over and deletes the previous build's cache.
 */

/** Registers `/sw.js` when the build is a production one and the browser supports it. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
    // Blocked (some test setups, private modes) or failed: the app works, just not offline.
    console.warn('service worker not registered:', err);
  });
}
