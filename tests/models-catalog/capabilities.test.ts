// Decision rules of the shader-f16 capability check: which dtype auto picks, which requests are
// refused, and how a graph's fp16 parts (protobuf scan or ORT metadata) lead to a refusal.
import { describe, expect, it } from 'vitest';
import { toFp16Model } from '../../e2e/support/fp16-model';
import { modelFiles } from '../../scripts/testmodels/hub-files';
import { checkGraphRuns, f16Description, f16Runs, factsFromMetadata, factsFromScan } from '../../workers/model/capabilities';
import { chooseDtype } from '../../workers/model/dtype';
import { scanOnnx } from '../../workers/model/onnx-scan';
import { LogitscopeError } from '../../workers/errors';
import type { Dtype } from '../../protocol';

const base = { requested: null, config: {}, where: 'https://x/m/' } as const;
const never = async (): Promise<boolean> => {
  throw new Error('must not probe');
};
const all: Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
const noF16 = { ...base, shaderF16: false, f16Runs: false, probe: never };

async function refusal(p: Promise<unknown>): Promise<LogitscopeError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LogitscopeError);
  return e as LogitscopeError;
}

const tinyOnnx = (): Uint8Array => modelFiles('tiny-llama').find((f) => f.path.endsWith('onnx/model.onnx'))!.bytes;

describe('where fp16 runs', () => {
  it('always on WASM, on WebGPU only with shader-f16', () => {
    expect(f16Runs('wasm', false)).toBe(true);
    expect(f16Runs('webgpu', true)).toBe(true);
    expect(f16Runs('webgpu', false)).toBe(false);
  });
});

describe('dtype choice by capability', () => {
  it('auto never picks an fp16 dtype on WebGPU without shader-f16', async () => {
    expect(await chooseDtype({ ...noF16, available: ['q4f16', 'fp16', 'fp32'] })).toBe('fp32');
    expect(await chooseDtype({ ...noF16, available: ['q4f16', 'q4'] })).toBe('q4');
    expect(await chooseDtype({ ...noF16, available: ['fp16', 'q8'] })).toBe('q8');
    // With shader-f16 (or on WASM) the usual order stands.
    expect(await chooseDtype({ ...base, shaderF16: true, f16Runs: true, available: all, probe: never })).toBe('q4f16');
    expect(await chooseDtype({ ...base, shaderF16: false, f16Runs: true, available: ['q4f16'], probe: never })).toBe('q4f16');
  });

  it("skips the config's fp16 dtype when it cannot run, and keeps it when it can", async () => {
    const config = { 'transformers.js_config': { dtype: 'q4f16' } };
    expect(await chooseDtype({ ...noF16, config, available: ['q4f16', 'fp32'] })).toBe('fp32');
    expect(await chooseDtype({ ...base, config, shaderF16: false, f16Runs: true, available: ['q4f16', 'fp32'], probe: never })).toBe('q4f16');
  });

  it('an unlisted folder is probed for runnable files only, in order', async () => {
    const asked: string[] = [];
    const probe = async (f: string) => {
      asked.push(f);
      return f === 'onnx/model.onnx' || f === 'onnx/model_q4f16.onnx';
    };
    expect(await chooseDtype({ ...noF16, available: null, probe })).toBe('fp32');
    expect(asked).toEqual(['onnx/model_q4.onnx', 'onnx/decoder_model_merged_q4.onnx', 'onnx/model.onnx']);
  });

  it('a folder with only fp16 files is refused on WebGPU without shader-f16, naming the feature and WASM', async () => {
    const e = await refusal(chooseDtype({ ...noF16, available: ['q4f16', 'fp16'] }));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(/dtype fp16 \(https:\/\/x\/m\/onnx\/model_fp16\.onnx\) needs the WebGPU feature shader-f16/);
    expect(e.message).toMatch(/switch Backend to WASM/);
    expect(e.message).not.toMatch(/pick a dtype/);
  });

  it('an explicit fp16 dtype is refused, offering the runnable dtypes present', async () => {
    const e = await refusal(chooseDtype({ ...noF16, requested: 'fp16', available: ['fp16', 'q4', 'fp32', 'q4f16'] }));
    expect(e.message).toContain('dtype fp16');
    expect(e.message).toContain('shader-f16');
    expect(e.message).toContain('q4 (onnx/model_q4.onnx), fp32 (onnx/model.onnx)');
    expect(e.message).not.toContain('q4f16 (');
    // A missing file is still reported as missing first.
    const missing = await refusal(chooseDtype({ ...noF16, requested: 'fp16', available: ['fp32'] }));
    expect(missing.code).toBe('model-not-found');
  });

  it('an explicit fp16 dtype loads on WASM and with shader-f16', async () => {
    expect(await chooseDtype({ ...base, requested: 'fp16', shaderF16: false, f16Runs: true, available: ['fp16'], probe: never })).toBe('fp16');
    expect(await chooseDtype({ ...base, requested: 'q4f16', shaderF16: true, f16Runs: true, available: ['q4f16'], probe: never })).toBe('q4f16');
  });
});

describe('graph facts', () => {
  it('the fp32 test model declares no fp16 and a fixed logits width', () => {
    const facts = factsFromScan(scanOnnx(tinyOnnx())!);
    expect(facts).toEqual({ f16Values: [], f16Ops: 0, logitsWidth: 258 });
    expect(f16Description(facts)).toBeNull();
  });

  it('an fp16 graph named onnx/model.onnx shows its fp16 cache, logits and weights', () => {
    const scan = scanOnnx(toFp16Model(tinyOnnx()))!;
    const facts = factsFromScan(scan);
    expect(facts.f16Values).toEqual(expect.arrayContaining(['logits', 'past_key_values.0.key', 'present.1.value']));
    expect(scan.f16Casts).toBe(2);
    expect(scan.f16Tensors).toBeGreaterThan(10);
    expect(facts.logitsWidth).toBe(258);
    expect(f16Description(facts)).toMatch(/^fp16 logits, .* and \d+ fp16 weights, constants or casts$/);
  });

  it('bytes that are not an ONNX model scan as null (ORT then reports them)', () => {
    expect(scanOnnx(new TextEncoder().encode('this is not an ONNX protobuf at all'.repeat(8)))).toBeNull();
    expect(scanOnnx(tinyOnnx().subarray(0, 5000))).toBeNull();
  });

  it('ORT metadata: float16 tensors count, the logits width is read when fixed', () => {
    const facts = factsFromMetadata(
      [
        { name: 'input_ids', isTensor: true, type: 'int64', shape: ['batch_size', 'sequence_length'] },
        { name: 'past_key_values.0.key', isTensor: true, type: 'float16', shape: ['batch_size', 2, 'past', 16] },
      ],
      [
        { name: 'logits', isTensor: true, type: 'float16', shape: ['batch_size', 'sequence_length', 512] },
        { name: 'extra', isTensor: false },
      ],
    );
    expect(facts).toEqual({ f16Values: ['past_key_values.0.key', 'logits'], f16Ops: 0, logitsWidth: 512 });
    expect(factsFromMetadata([], [{ name: 'logits', isTensor: true, type: 'float32', shape: ['b', 's', 'vocab'] }]).logitsWidth).toBeNull();
  });
});

describe('graph refusal', () => {
  const f16Facts = { f16Values: ['logits'], f16Ops: 3, logitsWidth: 258 };
  const cleanFacts = { f16Values: [], f16Ops: 0, logitsWidth: 258 };
  const opts = (runs: boolean, asked: string[]) => ({
    f16Runs: runs,
    where: 'https://x/m/onnx/model.onnx',
    dtype: 'fp32' as Dtype,
    alternatives: async () => {
      asked.push('alternatives');
      return ['q4'] as Dtype[];
    },
  });

  it('refuses an fp16 graph where fp16 cannot run, naming the file, its dtype, shader-f16, other dtypes and WASM', async () => {
    const asked: string[] = [];
    const e = await refusal(checkGraphRuns(f16Facts, opts(false, asked)));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(
      /^\[model-invalid\] https:\/\/x\/m\/onnx\/model\.onnx \(dtype fp32\) computes in fp16 \(fp16 logits and 3 fp16 weights, constants or casts\)/,
    );
    expect(e.message).toContain('needs the WebGPU feature shader-f16');
    expect(e.message).toContain('q4 (onnx/model_q4.onnx)');
    expect(e.message).toContain('switch Backend to WASM');
    expect(asked).toEqual(['alternatives']);
  });

  it('lets an fp16 graph through where fp16 runs, and an fp32 graph anywhere, without probing', async () => {
    const asked: string[] = [];
    await checkGraphRuns(f16Facts, opts(true, asked));
    await checkGraphRuns(cleanFacts, opts(false, asked));
    expect(asked).toEqual([]);
  });
});
