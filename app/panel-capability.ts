/** What the UI can tell about a panel before a run: whether its strategy can run on the chosen model at all. */
import type { StrategyInfo } from '../protocol';
import { BUILTIN_PREFIX } from './model-spec';
import type { Catalog } from './validation';

/**
 * Whether `model` is known NOT to export `last_hidden_state`: the curated Hub models are standard
 * exports without it (a folder or local model may have it; only the worker can tell).
 */
export function lacksHiddenState(model: string, catalog: Catalog | null): boolean {
  const m = model.trim();
  return catalog?.hub?.some((h) => h.id === m || m.startsWith(`${h.id}@`)) ?? false;
}

/** Whether a strategy that needs hidden states may lack them on `model` (unknown: not built-in). */
export function mayLackHiddenState(model: string): boolean {
  return !model.trim().startsWith(BUILTIN_PREFIX);
}

/** The sentence that refuses `info` on `model`, or null when the panel can run as far as the UI knows. */
export function cannotRunReason(info: StrategyInfo | null, model: string, catalog: Catalog | null): string | null {
  // The curated Hub models are standard exports: no hidden states, no per-layer logits.
  if (!info || !lacksHiddenState(model, catalog)) return null;
  if (info.needsHiddenState) return `${info.label} needs a model that exports last_hidden_state; ${model.trim()} does not. Choose a built-in model or another strategy`;
  if (info.needsLayerLogits) return `${info.label} needs a model that exports every layer’s logits (layer_logits: the built-in trained models and llama2.c imports); ${model.trim()} does not. Choose stories260K or another strategy`;
  if (info.needsSuperposedInput) return `${info.label} needs a model with a superposed-input graph (mix_ids / mix_weights: the built-in trained models and llama2.c imports); ${model.trim()} has none. Choose stories260K or another strategy`;
  return null;
}
