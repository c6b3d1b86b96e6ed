// Superposed decoding needs the superposed-input graph: the UI refuses it on curated Hub models (standard
// exports), not on the built-in ones; the worker refuses a model without the graph with the same reason.
import { describe, expect, it } from 'vitest';
import { cannotRunReason } from '../../app/panel-capability';
import type { Catalog } from '../../app/validation';
import { listStrategies } from '../../strategies/registry';

const HUB = 'HuggingFaceTB/SmolLM2-135M-Instruct';

describe('superposed decoding capability', () => {
  it('refuses a curated Hub model, not a built-in one', () => {
    const info = listStrategies().find((s) => s.id === 'superposed')!;
    expect(info.needsSuperposedInput).toBe(true);
    const catalog = { models: [], strategies: listStrategies(), limits: { maxNewTokensMin: 1, maxNewTokensMax: 512, maxPromptChars: 100, maxPanels: 4 }, hub: [{ id: HUB }] } as unknown as Catalog;
    expect(cannotRunReason(info, HUB, catalog)).toMatch(/^Superposed decoding needs a model with a superposed-input graph/);
    expect(cannotRunReason(info, 'builtin:stories260k', catalog)).toBeNull();
  });
});
