// Shared by the sampling and typical-p specs: what a panel must produce, from the TypeScript
// reference model and the CPU processor chain; and the kernel harness page (test build).
import type { Browser, Page } from '@playwright/test';
import type { PanelSpec } from '../../protocol';
import { EOS_ID, ReferenceSession, TOKENIZER_VOCAB_SIZE } from '../../scripts/testmodels/reference';
import { pickChainCpu } from '../../tests/support/chain-reference';
import { isSampling, parseChain } from '../../workers/processors/chain';
import { Rng } from '../../workers/rng';

/**
 * The first `n` tokens (fewer at EOS) a panel of tiny-llama must emit after `promptIds`: the CPU
 * chain over the reference model's logits, one uniform from the run's seeded stream per sampled token.
 * `panel.params` are the record's (validated, defaults filled in). Greedy never samples: its warpers
 * are ignored, only the repetition and presence penalties apply.
 */
export function referenceChainTokens(promptIds: readonly number[], panel: PanelSpec, seed: number, n: number): number[] {
  const parsed = parseChain(panel.params);
  const chain = panel.strategy === 'greedy' ? { ...parsed, temperature: 0 } : parsed;
  const session = new ReferenceSession('tiny-llama');
  let row = promptIds.map((id) => session.push(id)).at(-1)!.logits;
  const rng = new Rng(seed);
  const seq = [...promptIds];
  const out: number[] = [];
  while (out.length < n) {
    const id = pickChainCpu(row, chain, seq, isSampling(chain) ? rng.next() : null, TOKENIZER_VOCAB_SIZE);
    out.push(id);
    seq.push(id);
    if (id === EOS_ID) break;
    row = session.push(id).logits;
  }
  return out;
}

/** A new page on the kernel harness (harness.html, test build only), once `window.fusionHarness` is ready; page errors are logged. */
export async function openFusionHarness(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('page:', m.text());
  });
  await page.goto('/harness.html');
  await page.waitForFunction(() => 'fusionHarness' in window, null, { timeout: 30_000 });
  return page;
}
