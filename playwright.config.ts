import { defineConfig } from '@playwright/test';
import { chromiumPath, webgpuArgs } from './scripts/chromium';

// System Chromium with WebGPU on SwiftShader (see docs/architecture.md#testing). No browser download.
const port = Number(process.env.E2E_PORT ?? 4173);
// Parallel developers build into their own folder (LOGITSCOPE_HARNESS=1 vite build --outDir X: the kernel
// specs need the test-only harness page) and serve it on their own port.
const outDir = process.env.E2E_OUTDIR ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    // Production builds register an offline service worker; only e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: chromiumPath,
      args: webgpuArgs,
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${outDir}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
