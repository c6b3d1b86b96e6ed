// The whole loader (loadModel) on onnxruntime-web's WASM EP in Node, over local folders derived
// from the built-in tiny-llama: an fp16 graph named onnx/model.onnx is refused up front on WebGPU
// without shader-f16 (no session created) yet decodes on WASM with the fp32 model's tokens; config
// values that contradict the graph or name no tokenizer are refused with file, field and value.
import * as ort from 'onnxruntime-web';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toFp16Model } from '../../e2e/support/fp16-model';
import { modelFiles } from '../../scripts/testmodels/hub-files';
import { LogitscopeError } from '../../workers/errors';
import { loadModel, type LoadedModel, type LoadOptions } from '../../workers/model/loader';
import { LocalFolders } from '../../workers/model/local-folders';
import type * as OnnxScan from '../../workers/model/onnx-scan';
import type { Backend } from '../../protocol';

vi.mock('../../workers/runtime/ort', () => ({ configureOrt: () => ort }));

const scanMock = vi.hoisted(() => ({ disabled: false }));
vi.mock('../../workers/model/onnx-scan', async (importOriginal) => {
  const real = await importOriginal<typeof OnnxScan>();
  return { ...real, scanOnnx: (b: Uint8Array) => (scanMock.disabled ? null : real.scanOnnx(b)) };
});

type Edit = (path: string, bytes: Uint8Array) => Uint8Array;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const parse = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;

const folders = new LocalFolders();
function folder(name: string, edit: Edit = (_, b) => b): string {
  const files = modelFiles('tiny-llama').map((f) => ({ path: f.path, file: new Blob([new Uint8Array(edit(f.path.slice('tiny-llama/'.length), f.bytes))]) }));
  return folders.register(name, files).spec;
}
const fp16: Edit = (p, b) => (p === 'onnx/model.onnx' ? toFp16Model(b) : b);
const withConfig =
  (patch: Record<string, unknown>, file = 'config.json'): Edit =>
  (p, b) =>
    p === file ? json({ ...parse(b), ...patch }) : b;

function options(backend: Backend, shaderF16 = false): LoadOptions {
  return { dtype: undefined, backend, shaderF16, origin: 'http://x', onProgress: () => undefined, localFolders: folders };
}

async function refusal(p: Promise<unknown>): Promise<LogitscopeError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LogitscopeError);
  return e as LogitscopeError;
}

/** Greedy ids and top-1 margins (logit gap to the runner-up) from the loaded model, CPU path. */
async function greedy(m: LoadedModel, steps: number): Promise<{ ids: number[]; margins: number[] }> {
  let cache = m.session.emptyCache(1);
  let input = m.tokenizer.encode('Once upon a time', false);
  const ids: number[] = [];
  const margins: number[] = [];
  for (let s = 0; s < steps; s++) {
    const out = await m.session.forward([input], cache);
    cache.dispose();
    cache = out.cache;
    const data = out.logits.cpuData()!;
    const row = data.subarray((out.logits.seqLen - 1) * out.logits.width, out.logits.seqLen * out.logits.width);
    expect(row.every(Number.isFinite)).toBe(true);
    const order = [...row.keys()].sort((a, b) => row[b]! - row[a]!);
    ids.push(order[0]!);
    margins.push(row[order[0]!]! - row[order[1]!]!);
    out.logits.dispose();
    input = [order[0]!];
  }
  cache.dispose();
  return { ids, margins };
}

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});
afterEach(() => {
  scanMock.disabled = false;
  vi.restoreAllMocks();
});

describe('fp16 graph under an fp32 name', () => {
  it('is refused on WebGPU without shader-f16 before any session is created', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const e = await refusal(loadModel(folder('f16-gpu', fp16), options('webgpu')));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toContain('local:f16-gpu/onnx/model.onnx (dtype fp32) computes in fp16 (fp16 logits');
    expect(e.message).toContain('needs the WebGPU feature shader-f16');
    expect(e.message).toContain('switch Backend to WASM');
    expect(create).not.toHaveBeenCalled();
  });

  it('is refused from ORT metadata when the scan sees nothing, and that session is released', async () => {
    scanMock.disabled = true;
    const released: string[] = [];
    const realCreate = ort.InferenceSession.create.bind(ort.InferenceSession);
    vi.spyOn(ort.InferenceSession, 'create').mockImplementation(async (...args: Parameters<typeof ort.InferenceSession.create>) => {
      // The webgpu EP does not exist in Node: build the session on WASM, as the browser would on WebGPU.
      const [bytes, opts] = args as [Uint8Array, ort.InferenceSession.SessionOptions];
      const s = await realCreate(bytes, { ...opts, executionProviders: ['wasm'], preferredOutputLocation: 'cpu' });
      const release = s.release.bind(s);
      s.release = async () => {
        released.push('released');
        await release();
      };
      return s;
    });
    const e = await refusal(loadModel(folder('f16-meta', fp16), options('webgpu')));
    expect(e.message).toMatch(/computes in fp16 \(fp16 logits, .*\) and needs the WebGPU feature shader-f16/);
    expect(released).toEqual(['released']);
  });

  it('decodes on WASM: f16 cache and logits, finite probabilities, the fp32 tokens while the margin is clear', async () => {
    const half = await loadModel(folder('f16-wasm', fp16), options('wasm'));
    const full = await loadModel(folder('f32-wasm'), options('wasm'));
    expect(half.dtype).toBe('fp32');
    expect(half.session.facts.kvType).toBe('float16');
    const a = await greedy(half, 8);
    const b = await greedy(full, 8);
    // fp16 rounding moves logits by ~1e-2 here: compare up to the first step whose fp32 margin is thin.
    const clear = b.margins.findIndex((m) => m < 0.05);
    const n = clear === -1 ? 8 : clear;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(a.ids.slice(0, n)).toEqual(b.ids.slice(0, n));
    await half.session.release();
    await full.session.release();
  });
});

describe('config sanity at load', () => {
  it.each([
    [0, /config\.json: vocab_size must be a positive integer, got 0$/],
    [-5, /config\.json: vocab_size must be a positive integer, got -5$/],
    [1e9, /config\.json: vocab_size must be a positive integer of at most \d+, got 1000000000$/],
    [300, /local:vocab-300\/config\.json: vocab_size must equal the logits width of local:vocab-300\/onnx\/model\.onnx \(258\), got 300$/],
  ])('vocab_size %j is refused', async (value, says) => {
    const e = await refusal(loadModel(folder(`vocab-${value}`, withConfig({ vocab_size: value })), options('wasm')));
    expect(e.code).toBe('model-invalid');
    expect(e.message).toMatch(says);
  });

  it('a config without vocab_size takes the graph width', async () => {
    const m = await loadModel(
      folder('no-vocab', (p, b) => (p === 'config.json' ? json({ ...parse(b), vocab_size: undefined }) : b)),
      options('wasm'),
    );
    expect(m.session.facts.logitWidth).toBe(258);
    await m.session.release();
  });

  it('tokenizer_class AutoModelForCausalLM is refused naming tokenizer_config.json', async () => {
    const e = await refusal(loadModel(folder('tok-class', withConfig({ tokenizer_class: 'AutoModelForCausalLM' }, 'tokenizer_config.json')), options('wasm')));
    expect(e.message).toBe(
      '[model-invalid] local:tok-class/tokenizer_config.json: tokenizer_class must name a tokenizer class (such as LlamaTokenizer or PreTrainedTokenizerFast), got "AutoModelForCausalLM"',
    );
  });
});
