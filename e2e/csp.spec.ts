import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../scripts/vite-csp-plugin';
import { apiRun, openApp, waitForState } from './helpers';

// The built page ships a strict Content-Security-Policy (scripts only from the app's origin, no
// eval, no inline scripts): it blocks injected scripts, and a whole run on both backends with every
// part of the UI (streams, popover, charts, the offline service worker) raises no violation.

declare global {
  interface Window {
    __cspViolations?: string[];
    __inlineRan?: boolean;
  }
}

test('the page carries the policy; injected inline scripts are refused; runs on WASM and WebGPU raise no violation', async ({ page }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CONTENT_SECURITY_POLICY);

  for (const backend of ['wasm', 'webgpu'] as const) {
    const rec = await apiRun(page, {
      prompt: 'Once upon a time',
      model: 'builtin:tiny-llama',
      maxNewTokens: 8,
      backend,
      panels: [
        { strategy: 'greedy', params: {} },
        { strategy: 'sample', params: {} },
      ],
    });
    expect(rec.model.backend).toBe(backend);
    for (const p of rec.panels) {
      expect(p.error).toBeUndefined();
      expect(p.tokens.length).toBe(8);
    }
  }
  await waitForState(page, ['done']);
  await expect(page.getByTestId('charts')).toBeVisible();
  await page.getByTestId('panel-0').locator('.token').first().hover();
  await expect(page.getByRole('tooltip')).toBeVisible();
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);

  // What the policy is for: injected inline scripts do not run, and the attempt is reported.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.head.appendChild(s);
  });
  expect(await page.evaluate(() => window.__inlineRan === true)).toBe(false);
  expect((await page.evaluate(() => window.__cspViolations!)).some((v) => v.startsWith('script-src'))).toBe(true);
});
