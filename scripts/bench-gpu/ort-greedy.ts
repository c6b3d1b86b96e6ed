/**
 * Greedy tokens/s of onnxruntime-web in Node: the WebGPU EP on navigator.gpu from dawn.node, and the
 * WASM EP for reference, on the built-in stories260K model (`npm run models`). Bundled by
 * build.ts --entry ort-greedy (onnxruntime-web stays external, loaded from node_modules).
 *
 *   node dist-bench-gpu/ort-greedy.mjs [--model DIR] [--tokens N] [--json FILE] [--dawn FLAG]...
 *
 * dawn.node's GPUQueue.writeBuffer rejects views of a SharedArrayBuffer ("Invalid argument"), and
 * onnxruntime-web's threaded WASM build passes views of its shared WebAssembly.Memory; the patch
 * below copies such views first (browsers accept shared sources, so the app never needs it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Ort from 'onnxruntime-web';
import { adapterLine, DEFAULT_DAWN_FLAGS, openGpu } from './device';

interface Config {
  num_hidden_layers: number;
  num_key_value_heads: number;
  num_attention_heads: number;
  hidden_size: number;
  head_dim?: number;
  bos_token_id?: number;
}

/** One greedy run. */
export interface GreedyRun {
  ep: 'webgpu' | 'wasm';
  /** Where present.* (the KV cache) lives between steps. */
  kv: 'gpu-buffer' | 'cpu';
  tokens: number;
  sessionMs: number;
  firstStepMs: number;
  medianStepMs: number;
  /** Decode tokens per second after the first step. */
  tokensPerSecond: number;
  ids: number[];
}

function patchSharedWriteBuffer(): void {
  const proto = GPUQueue.prototype;
  const writeBuffer = proto.writeBuffer;
  proto.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: GPUAllowSharedBufferSource, dataOffset?: number, size?: number) {
    let source = data;
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      const Ctor = data.constructor as new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView<ArrayBuffer>;
      const perElement = (data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      source = data instanceof DataView ? new DataView(bytes.buffer) : new Ctor(bytes.buffer, 0, data.byteLength / perElement);
    } else if (data instanceof SharedArrayBuffer) {
      source = new Uint8Array(new Uint8Array(data)).buffer;
    }
    if (dataOffset === undefined) return writeBuffer.call(this, buffer, offset, source);
    if (size === undefined) return writeBuffer.call(this, buffer, offset, source, dataOffset);
    return writeBuffer.call(this, buffer, offset, source, dataOffset, size);
  };
}

/** onnxruntime-web's ESM WebGPU build from the nearest node_modules (its exports map hides dist/). */
async function loadOrt(): Promise<typeof Ort> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'node_modules/onnxruntime-web/dist/ort.webgpu.mjs');
    if (existsSync(file)) return (await import(pathToFileURL(file).href)) as typeof Ort;
    const up = dirname(dir);
    if (up === dir) throw new Error('onnxruntime-web/dist/ort.webgpu.mjs not found in any node_modules above this script');
    dir = up;
  }
}

async function greedy(ort: typeof Ort, model: Uint8Array, cfg: Config, ep: GreedyRun['ep'], kv: GreedyRun['kv'], tokens: number): Promise<GreedyRun> {
  const layers = cfg.num_hidden_layers;
  const heads = cfg.num_key_value_heads;
  const headDim = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
  const presentNames = Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat();
  const options: Ort.InferenceSession.SessionOptions = { executionProviders: [ep], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  if (kv === 'gpu-buffer') options.preferredOutputLocation = Object.fromEntries(presentNames.map((n) => [n, 'gpu-buffer' as const]));
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(model, options);
  const sessionMs = performance.now() - t0;
  let past: Record<string, Ort.Tensor> = {};
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) past[`past_key_values.${i}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]);
  }
  const ids: number[] = [];
  const times: number[] = [];
  let next = [cfg.bos_token_id ?? 1];
  let pos = 0;
  for (let step = 0; step < tokens; step++) {
    const s0 = performance.now();
    const n = next.length;
    const feeds: Record<string, Ort.Tensor> = { ...past, input_ids: new ort.Tensor('int64', BigInt64Array.from(next.map(BigInt)), [1, n]) };
    if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', new BigInt64Array(pos + n).fill(1n), [1, pos + n]);
    if (session.inputNames.includes('position_ids'))
      feeds.position_ids = new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: n }, (_, i) => BigInt(pos + i)),
        [1, n],
      );
    const out = await session.run(feeds, ['logits', ...presentNames]);
    const logits = out.logits;
    if (!logits) throw new Error('no logits output');
    const vocab = logits.dims[2] ?? 0;
    const row = (logits.data as Float32Array).subarray((n - 1) * vocab, n * vocab);
    let best = 0;
    for (let i = 1; i < vocab; i++) if ((row[i] ?? -Infinity) > (row[best] ?? -Infinity)) best = i;
    Object.values(past).forEach((t) => t.location === 'gpu-buffer' && t.dispose());
    past = {};
    for (let i = 0; i < layers; i++) {
      for (const part of ['key', 'value']) {
        const t = out[`present.${i}.${part}`];
        if (!t) throw new Error(`no present.${i}.${part} output`);
        past[`past_key_values.${i}.${part}`] = t;
      }
    }
    pos += n;
    next = [best];
    ids.push(best);
    times.push(performance.now() - s0);
  }
  Object.values(past).forEach((t) => t.location === 'gpu-buffer' && t.dispose());
  await session.release();
  const decode = times.slice(1).sort((a, b) => a - b);
  const total = decode.reduce((a, b) => a + b, 0);
  return {
    ep,
    kv,
    tokens,
    sessionMs,
    firstStepMs: times[0] ?? NaN,
    medianStepMs: decode[Math.floor(decode.length / 2)] ?? NaN,
    tokensPerSecond: decode.length / (total / 1000),
    ids,
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const value = (flag: string, d: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : d;
  };
  const modelDir = value('--model', process.env.BENCH_GPU_MODEL_DIR ?? 'public/models/builtin/stories260k');
  const tokens = Number(value('--tokens', '128'));
  const json = value('--json', '');
  const dawn = argv.flatMap((a, i) => (a === '--dawn' && argv[i + 1] ? [argv[i + 1]!] : []));
  const ctx = await openGpu(dawn.length > 0 ? dawn : DEFAULT_DAWN_FLAGS);
  ctx.device.destroy(); // only the adapter report is needed; ORT requests its own device
  patchSharedWriteBuffer();
  console.log(`adapter: ${adapterLine(ctx.adapter)}`);
  const ort = await loadOrt();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const cfg = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Config;
  const model = new Uint8Array(readFileSync(join(modelDir, 'onnx/model.onnx')));
  const runs: GreedyRun[] = [];
  const errors: string[] = [];
  for (const [ep, kv] of [
    ['wasm', 'cpu'],
    ['webgpu', 'cpu'],
    ['webgpu', 'gpu-buffer'],
  ] as const) {
    try {
      const r = await greedy(ort, model, cfg, ep, kv, tokens);
      runs.push(r);
      console.log(
        `  ${ep} kv=${kv}: session ${r.sessionMs.toFixed(0)} ms, first step ${r.firstStepMs.toFixed(1)} ms, median step ${r.medianStepMs.toFixed(2)} ms, ${r.tokensPerSecond.toFixed(1)} tok/s`,
      );
    } catch (e) {
      errors.push(`${ep} kv=${kv}: ${e instanceof Error ? e.message : String(e)}`);
      console.log(`  ${ep} kv=${kv}: FAILED ${errors[errors.length - 1]}`);
    }
  }
  const reference = runs[0]?.ids.join();
  const sameIds = runs.every((r) => r.ids.join() === reference);
  console.log('');
  console.log(`| ORT EP | KV cache | tokens | session ms | first step ms | median step ms | tok/s | ids = wasm |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---|`);
  for (const r of runs) {
    const same = r.ids.join() === reference ? 'yes' : 'NO';
    console.log(
      `| ${r.ep} | ${r.kv} | ${r.tokens} | ${r.sessionMs.toFixed(0)} | ${r.firstStepMs.toFixed(1)} | ${r.medianStepMs.toFixed(2)} | ${r.tokensPerSecond.toFixed(1)} | ${same} |`,
    );
  }
  if (json) {
    const report = {
      schema: 'logitscope-ort-greedy/1',
      date: new Date().toISOString(),
      node: process.version,
      ort: ort.env.versions,
      adapter: ctx.adapter,
      model: modelDir,
      runs,
      errors,
      sameIds,
    };
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${json}`);
  }
  return errors.length > 0 || !sameIds ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
