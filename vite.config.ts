import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { contentSecurityPolicy } from './scripts/vite-csp-plugin';
import { offlineServiceWorker } from './scripts/vite-offline-plugin';

// The test/bench build (`npm run build:test`, LOGITSCOPE_HARNESS=1) adds the kernel test page
// (harness.html: parity checks and benchmarks) and the test hooks (the worker's GPU submit counter,
// `window.logitscope.debug.loseDevice`); the product build has neither.
const withHarness = process.env.LOGITSCOPE_HARNESS === '1';

// Static app: everything (ORT wasm included) is bundled locally so the page works offline.
export default defineConfig({
  // The offline service worker (/sw.js) is written after each production build.
  plugins: [react(), contentSecurityPolicy(), offlineServiceWorker()],
  // No SPA fallback: a missing model file must be a real 404, not index.html.
  appType: 'mpa',
  worker: { format: 'es' },
  define: { 'import.meta.env.LOGITSCOPE_TEST_HOOKS': JSON.stringify(withHarness) },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        ...(withHarness ? { harness: resolve(import.meta.dirname, 'harness.html') } : {}),
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 5173 },
});
