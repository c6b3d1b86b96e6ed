import type { Dtype, HubModelEntry } from '../../protocol';

/**
 * Curated Hub models known to work with transformers.js-style ONNX exports (decoder with KV cache,
 * `onnx/model{_fp16,_quantized,_q4,_q4f16}.onnx`). Facts were looked up in stored copies of the
 * Hub's file and commit pages (this project cannot reach the Hub):
 * - a revision is a full commit id only where that id was seen; otherwise it stays `main`;
 * - sizes are the Hub's file listing at that revision (decimal units, three significant figures),
 *   so they are approximate to ±0.5 % and shown as "about"; null where no listing was seen.
 */

const MB = 1_000_000;
const GB = 1_000_000_000;

const SMOLLM2_NOTE = 'Hub file listing of onnx/ (decimal MB, 3 significant figures)';

/** The curated list, in picker order: each pair's draft/amateur first, then its target/expert. */
export const HUB_CATALOG: readonly HubModelEntry[] = [
  {
    id: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    label: 'SmolLM2 135M Instruct',
    description: 'Llama-architecture chat model, 30 layers; draft / amateur for SmolLM2 360M.',
    family: 'smollm2',
    role: 'draft',
    pairedWith: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    // "Upload ONNX weights (#1)": the commit that added onnx/ (commit page seen with its full id).
    revision: '8065371cb317383b7a3ea72b72ab5affe24bd30f',
    vocabSize: 49_152,
    instruct: true,
    sizes: { fp32: 654 * MB, fp16: 327 * MB, q4: 200 * MB, q4f16: 134 * MB },
    sizeNote: SMOLLM2_NOTE,
  },
  {
    id: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    label: 'SmolLM2 360M Instruct',
    description: 'Llama-architecture chat model; target / expert for SmolLM2 135M.',
    family: 'smollm2',
    role: 'target',
    pairedWith: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    // Only short commit ids (6d8b2a3, "Upload improved ONNX weights (#7)") were seen: unpinned.
    revision: 'main',
    vocabSize: 49_152,
    instruct: true,
    sizes: { fp32: 1.64 * GB, fp16: 819 * MB, q4: 417 * MB, q4f16: 299 * MB },
    sizeNote: `${SMOLLM2_NOTE}, at main after commit 6d8b2a3`,
  },
  {
    id: 'onnx-community/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct',
    description: 'Qwen2 chat model, 24 layers; draft / amateur for Qwen2.5 1.5B. lm_head rows beyond the tokenizer are masked.',
    family: 'qwen2.5',
    role: 'draft',
    pairedWith: 'onnx-community/Qwen2.5-1.5B-Instruct',
    // "[Automated] Update base model metadata", the head of main in the stored commit history;
    // onnx/ last changed in 516c8d0 ("Upload folder using huggingface_hub").
    revision: 'cc5cc01a65cc3ff17bdb73a7de33d879f62599b0',
    vocabSize: 151_936,
    instruct: true,
    sizes: { fp32: 1.99 * GB, fp16: 997 * MB, q8: 512 * MB, q4: 786 * MB, q4f16: 483 * MB },
    sizeNote: 'Hub file listing of onnx/ at commit 516c8d0 (decimal units, 3 significant figures)',
  },
  {
    id: 'onnx-community/Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B Instruct',
    description: 'Qwen2 chat model; target / expert for Qwen2.5 0.5B. fp32/fp16 weights are external data files.',
    family: 'qwen2.5',
    role: 'target',
    pairedWith: 'onnx-community/Qwen2.5-0.5B-Instruct',
    // Only short commit ids (94677ac head, 9f9c976 upload) were seen: unpinned.
    revision: 'main',
    vocabSize: 151_936,
    instruct: true,
    // fp32 and fp16 are a 1 MB graph plus model*.onnx_data.
    sizes: { fp32: 1.06 * MB + 6.21 * GB, fp16: 1.1 * MB + 3.1 * GB, q8: 1.58 * GB, q4: 1.79 * GB, q4f16: 1.22 * GB },
    sizeNote: 'Hub file listing of onnx/ at commit 9f9c976 (decimal units, 3 significant figures; fp32/fp16 include .onnx_data)',
  },
];

/**
 * External data chunks per catalog model and dtype (`onnx/model{suffix}.onnx_data`), as the Hub
 * listing shows them; used when the model's config does not declare `use_external_data_format`.
 */
export const CATALOG_EXTERNAL_DATA: Readonly<Record<string, Partial<Record<Dtype, number>>>> = {
  'onnx-community/Qwen2.5-1.5B-Instruct': { fp32: 1, fp16: 1 },
};

/** The catalog entry for a Hub id (exact match), if curated. */
export function catalogEntry(id: string): HubModelEntry | undefined {
  return HUB_CATALOG.find((e) => e.id === id);
}

/** The dtypes a catalog entry's export offers. */
export function catalogDtypes(entry: HubModelEntry): Dtype[] {
  return (Object.keys(entry.sizes) as Dtype[]).filter((d) => entry.sizes[d] !== undefined);
}
