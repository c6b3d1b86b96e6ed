// "Open a llama2.c checkpoint…": the real stories260K checkpoint and tok512 tokenizer picked in the
// page, converted in the decode worker, selected as local:stories260K and decoded on WASM and WebGPU
// exactly like run.c and like builtin:stories260k (the same files converted at build time).
// Wrong files are refused inline and leave the previous model selected.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, RunRecord } from '../protocol';
import { apiRun, openApp } from './helpers';
import { tryRun } from './support/model-pages';

const CHECKPOINT = fileURLToPath(new URL('../data/llama2c/stories260K.bin', import.meta.url));
const TOKENIZER = fileURLToPath(new URL('../data/llama2c/tok512.bin', import.meta.url));
const PROMPT = 'Once upon a time';
/** What llama2.c's `run stories260K.bin -z tok512.bin -t 0 -i "Once upon a time"` prints after the prompt. */
const RUN_C_CONTINUATION = ', there was a little girl named Lily. She loved to play outside in the park.';

let scratch = '';
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'logitscope-llama2c-'));
});
test.afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function greedy(page: Page, model: string, backend: Backend): Promise<RunRecord> {
  return apiRun(page, { prompt: PROMPT, model, backend, maxNewTokens: 40, panels: [{ strategy: 'greedy', params: {} }] });
}

test('a picked llama2.c checkpoint is converted, selected and decodes like run.c on WASM and WebGPU', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page, '?model=builtin:tiny-llama&draft=builtin:tiny-llama-draft');
  await expect(page.getByTestId('draft-model')).toHaveValue('builtin:tiny-llama-draft');
  // A weights choice the fp32-only conversion lacks goes back to auto; a chat template is turned off.
  await page.getByTestId('dtype-select').selectOption('q4');
  await page.getByTestId('chat-template').check();
  await page.getByTestId('llama2c-input').setInputFiles([CHECKPOINT, TOKENIZER]);
  const status = page.getByTestId('llama2c-status');
  await expect(status).toContainText('Converted stories260K.bin with tok512.bin: 5 layers, dim 64, 8 heads (4 key/value), vocab 512, context 512 tokens');
  await expect(status).toContainText('Selected as local:stories260K');
  await expect(page.getByTestId('model-select')).toHaveValue('local:stories260K');
  await expect(page.getByTestId('dtype-select')).toHaveValue('auto');
  await expect(page.getByTestId('chat-template')).not.toBeChecked();
  // A draft for another tokenizer would refuse every run of the imported model: it is cleared.
  await expect(page.getByTestId('draft-model')).toHaveCount(0);
  await expect(page.getByTestId('llama2c-error')).toHaveCount(0);

  const wasm = await greedy(page, 'local:stories260K', 'wasm');
  expect(wasm.model.source).toBe('local:stories260K');
  expect(wasm.model.backend).toBe('wasm');
  expect(wasm.model.vocabSize).toBe(512);
  expect(wasm.model.dtype).toBe('fp32');
  expect(wasm.panels[0]!.text.startsWith(RUN_C_CONTINUATION)).toBe(true);

  const gpu = await greedy(page, 'local:stories260K', 'webgpu');
  expect(gpu.model.backend).toBe('webgpu');
  expect(gpu.panels[0]!.text.startsWith(RUN_C_CONTINUATION)).toBe(true);
  expect(gpu.panels[0]!.tokens.map((t) => t.id)).toEqual(wasm.panels[0]!.tokens.map((t) => t.id));
  expect(gpu.promptTokens).toEqual(wasm.promptTokens);

  // After a device loss the page starts a fresh worker, which converts the picked files again.
  expect(await page.evaluate(() => window.logitscope.debug!.loseDevice())).toBe(true);
  expect(await tryRun(page, { model: 'local:stories260K', backend: 'webgpu' })).toContain('[device-lost]');
  await page.getByTestId('error-banner').getByTestId('reload-model').click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-run-state', 'done', { timeout: 150_000 });
  const again = await page.evaluate(() => window.logitscope.exportRun()!);
  expect(again.model.source).toBe('local:stories260K');
  expect(again.model.backend).toBe('webgpu');
  expect(again.panels[0]!.tokens.map((t) => t.id)).toEqual(wasm.panels[0]!.tokens.map((t) => t.id));

  // The same checkpoint converted at build time: identical prompt tokens and continuation.
  const builtin = await greedy(page, 'builtin:stories260k', 'wasm');
  expect(builtin.promptTokens).toEqual(wasm.promptTokens);
  expect(wasm.panels[0]!.tokens.map((t) => t.id)).toEqual(builtin.panels[0]!.tokens.map((t) => t.id));
});

test('files that are not a checkpoint and tokenizer are refused inline; the previous model stays selected', async ({ page }) => {
  await openApp(page);
  const select = page.getByTestId('model-select');
  const before = await select.inputValue();
  const error = page.getByTestId('llama2c-error');
  const notes = join(scratch, 'notes.bin');
  writeFileSync(notes, 'These are my notes about llama2.c, not a checkpoint.\n');

  // One file: the page asks for both before anything reaches the worker.
  await page.getByTestId('llama2c-input').setInputFiles(notes);
  await expect(error).toContainText('Pick two files together, the llama2.c checkpoint (e.g. stories15M.bin) and its tokenizer (tokenizer.bin); got only notes.bin.');

  // A text file with a real tokenizer: the worker reads its header and names the file.
  await page.getByTestId('llama2c-input').setInputFiles([notes, TOKENIZER]);
  await expect(error).toContainText('notes.bin: header field dim must be in');
  await expect(error).toContainText('is this a llama2.c checkpoint?');
  await expect(select).toHaveValue(before);
  await expect(page.getByTestId('llama2c-status')).toHaveCount(0);

  // Dropped files with names that do not tell: the smaller (the text) is taken as the tokenizer,
  // so the tokenizer's bytes are read as a checkpoint header and refused by name.
  const dropped = await page.evaluateHandle((tok) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['not a tokenizer'], 'a.bin'));
    dt.items.add(new File([new Uint8Array(tok)], 'b.bin'));
    return dt;
  }, [...readFileSync(TOKENIZER)]);
  await page.getByTestId('llama2c-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(error).toContainText('b.bin: header field hiddenDim must be in');
  await expect(select).toHaveValue(before);

  // The page is still usable: the previous model runs.
  const rec = await apiRun(page, { prompt: PROMPT, maxNewTokens: 4, backend: 'wasm', panels: [{ strategy: 'greedy', params: {} }] });
  expect(rec.model.source).toBe(before);
});
