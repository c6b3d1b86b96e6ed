import { describe, expect, it } from 'vitest';
import { dtypePresent, onnxLayout, splitFilesFor } from '../../workers/model/layout';
import { dtypesInListing } from '../../workers/model/local-folders';

const probeOf = (files: string[]) => (f: string) => Promise.resolve(files.includes(f));

describe('ONNX layouts of a folder', () => {
  it('prefers the single decoder graph, else the split-embedding pair, from a listing; assumes the single graph without one', () => {
    const split = ['onnx/embed_tokens_q4.onnx', 'onnx/decoder_model_merged_q4.onnx'];
    expect(onnxLayout('q4', ['onnx/model_q4.onnx', ...split])).toEqual({ decoder: 'onnx/model_q4.onnx', embed: null });
    expect(onnxLayout('q4', split)).toEqual({ decoder: 'onnx/decoder_model_merged_q4.onnx', embed: 'onnx/embed_tokens_q4.onnx' });
    expect(onnxLayout('q4', split)).toEqual(splitFilesFor('q4'));
    expect(onnxLayout('q4', null)).toEqual({ decoder: 'onnx/model_q4.onnx', embed: null });
    // Nothing listed: the single name, so the "no ONNX file" message names the usual file.
    expect(onnxLayout('fp32', [])).toEqual({ decoder: 'onnx/model.onnx', embed: null });
  });

  it('counts a split decoder as its dtype, once', async () => {
    expect(await dtypePresent('q4f16', probeOf(['onnx/decoder_model_merged_q4f16.onnx']))).toBe(true);
    expect(await dtypePresent('q4', probeOf(['onnx/decoder_model_merged_q4f16.onnx']))).toBe(false);
    expect(dtypesInListing(['onnx/model_q4.onnx', 'onnx/decoder_model_merged_q4.onnx', 'onnx/decoder_model_merged.onnx', 'onnx/embed_tokens.onnx'])).toEqual(['q4', 'fp32']);
  });
});
