import { describe, expect, it } from 'vitest';
import { chooseDtype, configDtype, externalDataFiles, externalDataInListing, preferredDtypes } from '../../workers/model/dtype';
import { dtypeOfFile, onnxFileFor } from '../../workers/model/source';
import { LogitscopeError } from '../../workers/errors';
import type { Dtype } from '../../protocol';

const base = { requested: null, config: {}, where: 'https://x/m/' } as const;
const never = async () => {
  throw new Error('must not probe');
};

describe('dtype choice', () => {
  it('prefers q4f16 with shader-f16, else q4, else fp32, among what the export offers', async () => {
    const all: Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
    expect(await chooseDtype({ ...base, shaderF16: true, available: all, probe: never })).toBe('q4f16');
    expect(await chooseDtype({ ...base, shaderF16: false, available: all, probe: never })).toBe('q4');
    expect(await chooseDtype({ ...base, shaderF16: true, available: ['fp32', 'q4'], probe: never })).toBe('q4');
    expect(await chooseDtype({ ...base, shaderF16: false, available: ['fp32', 'q4f16'], probe: never })).toBe('fp32');
    expect(await chooseDtype({ ...base, shaderF16: false, available: ['q4f16'], probe: never })).toBe('q4f16');
  });

  it("follows the config's transformers.js dtype when the export has it", async () => {
    const config = { 'transformers.js_config': { dtype: 'fp32' } };
    expect(configDtype(config)).toBe('fp32');
    expect(configDtype({ 'transformers.js_config': { dtype: { model: 'q4' } } })).toBe('q4');
    expect(configDtype({ 'transformers.js_config': { dtype: 'int3' } })).toBeNull();
    expect(await chooseDtype({ ...base, config, shaderF16: true, available: ['fp32', 'q4f16'], probe: never })).toBe('fp32');
    expect(await chooseDtype({ ...base, config, shaderF16: true, available: ['q4f16'], probe: never })).toBe('q4f16');
  });

  it('probes unlisted folders in preference order and stops at the first file found', async () => {
    const asked: string[] = [];
    const probe = async (f: string) => {
      asked.push(f);
      return f === 'onnx/model.onnx';
    };
    expect(await chooseDtype({ ...base, shaderF16: false, available: null, probe })).toBe('fp32');
    expect(asked).toEqual(['onnx/model_q4.onnx', 'onnx/decoder_model_merged_q4.onnx', 'onnx/model.onnx']);
  });

  it('an explicit dtype missing from a known listing names the ones present', async () => {
    const err = await chooseDtype({ ...base, requested: 'q4', shaderF16: false, available: ['fp32', 'fp16'], probe: never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogitscopeError);
    expect((err as LogitscopeError).code).toBe('model-not-found');
    expect((err as Error).message).toContain('No ONNX file for dtype q4');
    expect((err as Error).message).toContain('fp32 (onnx/model.onnx), fp16 (onnx/model_fp16.onnx)');
  });

  it('an empty folder says which files were looked for', async () => {
    const err = await chooseDtype({ ...base, shaderF16: true, available: [], probe: never }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('onnx/model_q4f16.onnx');
  });

  it('maps every dtype to its Hub file name and back', () => {
    for (const d of preferredDtypes(true)) expect(dtypeOfFile(onnxFileFor(d))).toBe(d);
    expect(onnxFileFor('q8')).toBe('onnx/model_quantized.onnx');
    expect(dtypeOfFile('onnx/model_q4.onnx_data')).toBeNull();
  });
});

describe('external data files', () => {
  it('follows use_external_data_format: true is one chunk, a number that many, an object by file name', () => {
    const cfg = (v: unknown) => ({ 'transformers.js_config': { use_external_data_format: v } });
    expect(externalDataFiles({}, 'fp32')).toEqual([]);
    expect(externalDataFiles(cfg(true), 'fp16')).toEqual(['onnx/model_fp16.onnx_data']);
    expect(externalDataFiles(cfg(3), 'fp32')).toEqual(['onnx/model.onnx_data', 'onnx/model.onnx_data_1', 'onnx/model.onnx_data_2']);
    expect(externalDataFiles(cfg({ 'model_fp16.onnx': 2 }), 'fp16')).toHaveLength(2);
    expect(externalDataFiles(cfg({ 'model_fp16.onnx': 2 }), 'q4')).toEqual([]);
    expect(externalDataFiles(cfg(false), 'fp32', 1)).toEqual([]);
    expect(externalDataFiles({}, 'fp32', 1)).toEqual(['onnx/model.onnx_data']);
    expect(() => externalDataFiles(cfg(-1), 'fp32')).toThrow(/use_external_data_format/);
  });

  it('counts the chunks a local listing holds', () => {
    expect(externalDataInListing(['onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1'], 'fp32')).toBe(2);
    expect(externalDataInListing(['onnx/model.onnx', 'onnx/model.onnx_data_1'], 'fp32')).toBe(0);
    expect(externalDataInListing(['onnx/model_fp16.onnx_data'], 'fp32')).toBe(0);
  });
});
