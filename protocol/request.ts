/** What the UI asks the worker to run: the request and its panels (docs/url.md carries the same fields). */
import type { BackendMeasurement } from './backend-choice';
import type { BackendChoice, Dtype } from './constants';

/** A strategy parameter value as it travels in URLs and run records. */
export type ParamValue = number | string | boolean;

/** One panel of a run: a registered strategy id and its parameters (missing ones take defaults). */
export interface PanelSpec {
  strategy: string;
  params: Record<string, ParamValue>;
}

/** What the UI asks the worker to do. */
export interface RunRequest {
  /** Prompt text; must contain at least one non-whitespace character. */
  prompt: string;
  /**
   * `builtin:<name>`, a Hub id `org/name`, a model folder URL (`/path` or `https://...`), or
   * `local:<name>` for a folder registered with `registerLocalFolder` (never shareable by URL).
   */
  model: string;
  /** Second model (draft / amateur) for strategies that need one. */
  draft?: string | null;
  dtype?: Dtype;
  /**
   * `auto` (the default: chosen per model and device by measurement, protocol/backend-choice.ts) or
   * a forced backend; the worker falls back to wasm (and says why) when WebGPU is missing.
   */
  backend?: BackendChoice;
  /**
   * Measurements the UI has stored for this model (any adapter): `auto` uses the one for the
   * worker's adapter instead of timing again. Malformed entries are ignored.
   */
  backendMeasurements?: BackendMeasurement[];
  /** New tokens per panel, in [Limits.maxNewTokensMin, Limits.maxNewTokensMax]. */
  maxNewTokens: number;
  /** Seed of the PRNG every random draw goes through. Non-negative integer. */
  seed: number;
  panels: PanelSpec[];
  /** Apply the tokenizer's chat template to the prompt (off: plain encode with BOS). */
  chatTemplate?: boolean;
  /**
   * Record the logit lens (each layer's top tokens per emitted token) where the model outputs
   * `layer_logits` (the built-in models, llama2.c imports). Default true; false saves one small
   * readback per forward.
   */
  logitLens?: boolean;
}
