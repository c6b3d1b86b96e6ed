import type * as ort from 'onnxruntime-web/webgpu';
import { drawRows, DrawStore, processRow, processRows, readDrawnRaw, sampleResidual, type FusionHost, type ProcessedRow, type ProcessRowsItem } from '../workers/decode/fusion';
import { Readout } from '../workers/decode/readout';
import { Logits } from '../workers/model/logits';
import type { ChainParams } from '../workers/processors/chain';
import { Comparator, makeCase, uploadCase } from './kernelCases';
import { mulberry32 } from '../workers/rng';

// Browser parity of processRows (workers/decode/fusion.ts) on WebGPU: N rows of one Logits in one
// batch equal N × processRow on the same device EXACTLY (every field, kept distributions through
// residual draws), equal the CPU path (ids, kept counts, probabilities exact; floats within 1e-5),
// and cost ceil(N / 16) queue submits. drawRows over the same rows (CNTP's trial draws) gives the
// same ids and processed probabilities bit for bit in ceil(N / 16) submits and 40 bytes per row, and
// readDrawnRaw of every draw gives the batch's raw summaries exactly, in one more submit. Driven by
// e2e/fusion.spec.ts.

/** One batch parity case. */
export interface BatchCase {
  rowLength: number;
  rows: number;
  dtype: 'f32' | 'f16';
  seed: number;
  validVocab?: number;
  tieLevels?: number;
  chain: ChainParams;
  /** Give every third row a contrast term against the next row (logit form). */
  contrast?: boolean;
}

/** Summary of one batch case. */
export interface BatchResult {
  mismatches: string[];
  /** queue.submit calls made by the one processRows call. */
  submits: number;
  /** Readback bytes of the batch and of the N single calls. */
  bytes: { batch: number; single: number };
  ms: { batch: number; single: number };
  /** drawRows over the same rows: its submits and bytes, then readDrawnRaw's. */
  draw: { submits: number; bytes: number; rawSubmits: number; rawBytes: number };
}

let devicePromise: Promise<GPUDevice> | null = null;

function gpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    return adapter.requestDevice({ label: 'fusionBatchHarness.device' });
  })();
  return devicePromise;
}

/** The case's rows as GPU Logits [1, rows, rowLength] and as CPU Logits of the same values. */
function logitsOf(device: GPUDevice, c: BatchCase): { gpu: Logits; cpu: Logits } {
  const kc = makeCase({ rowLength: c.rowLength, rows: c.rows, k: 1, dtype: c.dtype, seed: c.seed, validVocab: c.validVocab, tieLevels: c.tieLevels, maskedFraction: 0.05 });
  const buffer = uploadCase(device, kc, c.dtype).buffer;
  const gpuTensor = { location: 'gpu-buffer', gpuBuffer: buffer, type: c.dtype === 'f16' ? 'float16' : 'float32', dispose: () => buffer.destroy() };
  const cpuTensor = { location: 'cpu', type: 'float32', data: kc.cpu, dispose() {} };
  const valid = kc.layout.validVocab;
  return {
    gpu: new Logits(gpuTensor as unknown as ort.Tensor, 1, c.rows, c.rowLength, valid),
    cpu: new Logits(cpuTensor as unknown as ort.Tensor, 1, c.rows, c.rowLength, valid),
  };
}

/** Per-row options: own history, uniform or null, token ids, k, keep, and sometimes a contrast. */
function itemsOf(c: BatchCase, amateur: Logits): ProcessRowsItem[] {
  const rand = mulberry32(c.seed * 31 + 7);
  const n = c.validVocab ?? c.rowLength;
  return Array.from({ length: c.rows }, (_, row) => {
    const contrast = c.contrast && row % 3 === 1 ? { logits: amateur, row: (row + 1) % c.rows, form: 'logit' as const, beta: 0.5, alpha: 0.1, amateurTemperature: 1 } : undefined;
    return {
      row,
      opts: {
        chain: c.chain,
        history: Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * n)),
        uniform: row % 4 === 2 ? null : rand(),
        tokenIds: [Math.floor(rand() * n), n - 1],
        k: 1 + (row % 8),
        keep: row % 3 === 0,
        ...(contrast ? { contrast } : {}),
      },
    };
  });
}

function withoutDistribution(r: ProcessedRow): string {
  const { distribution, ...rest } = r;
  return JSON.stringify({ ...rest, kept: distribution === null ? `${rest.kept}` : `${rest.kept}+dist` });
}

/** GPU batch vs CPU batch: ids and integer-derived values exact, floats within 1e-5. */
function compareCpu(g: ProcessedRow[], c: ProcessedRow[], cmp: Comparator): void {
  c.forEach((cr, i) => {
    const gr = g[i]!;
    for (const key of ['id', 'sampled', 'kept', 'processedProb'] as const) if (gr[key] !== cr[key]) cmp.fail(`row ${i} ${key}: gpu ${gr[key]} vs cpu ${cr[key]}`);
    if (gr.tokenProcessedProbs.join() !== cr.tokenProcessedProbs.join()) cmp.fail(`row ${i} token probs: gpu ${gr.tokenProcessedProbs.join()} vs cpu ${cr.tokenProcessedProbs.join()}`);
    cmp.float(`row ${i} processed entropy`, gr.processedEntropy, cr.processedEntropy);
    cmp.tops(`row ${i} processed`, [{ topIds: gr.processedTop.ids, topLogits: gr.processedTop.logits }], [{ topIds: cr.processedTop.ids, topLogits: cr.processedTop.logits }]);
    cmp.tops(`row ${i} raw`, [gr.raw], [cr.raw]);
    cmp.float(`row ${i} raw lse`, gr.raw.lse, cr.raw.lse);
  });
}

/** `work` over `device` with its queue.submit calls counted. */
async function counted<T>(device: GPUDevice, work: () => Promise<T>): Promise<{ value: T; submits: number }> {
  const queue = device.queue;
  const submit = queue.submit.bind(queue);
  let submits = 0;
  queue.submit = (buffers) => {
    submits++;
    submit(buffers);
  };
  try {
    return { value: await work(), submits };
  } finally {
    queue.submit = submit;
  }
}

/** processRows over `device` with its queue.submit calls counted. */
async function countedBatch(device: GPUDevice, host: FusionHost, logits: Logits, items: ProcessRowsItem[]): Promise<{ rows: ProcessedRow[]; submits: number }> {
  const { value, submits } = await counted(device, () => processRows(host, logits, items));
  return { rows: value, submits };
}

/**
 * drawRows over the batch's rows (without keep and token ids, which draws do not take) equals the
 * batch exactly: ids, sampled, processed probabilities; readDrawnRaw gives the raw summaries.
 */
async function compareDraws(device: GPUDevice, logits: Logits, items: ProcessRowsItem[], batch: ProcessedRow[], cmp: Comparator): Promise<BatchResult['draw']> {
  const host: FusionHost = { gpu: device, readout: new Readout(device) };
  const store = new DrawStore(host);
  try {
    const drawItems = items.map((it) => ({ row: it.row, opts: { ...it.opts, keep: false, tokenIds: [] } }));
    const drawn = await counted(device, () => drawRows(host, logits, drawItems, store));
    const bytes = host.readout.bytes;
    const raw = await counted(device, () => readDrawnRaw(host, drawn.value));
    drawn.value.forEach((d, i) => {
      const b = batch[i]!;
      const got = JSON.stringify({ id: d.id, sampled: d.sampled, p: d.processedProb, lp: d.processedLogprob, raw: raw.value[i] });
      const want = JSON.stringify({ id: b.id, sampled: b.sampled, p: b.processedProb, lp: b.processedLogprob, raw: b.raw });
      if (got !== want) cmp.fail(`row ${i}: drawRows ${got} vs processRows ${want}`);
      if (d.raw !== null) cmp.fail(`row ${i}: a GPU draw carries its raw summary`);
    });
    return { submits: drawn.submits, bytes, rawSubmits: raw.submits, rawBytes: host.readout.bytes - bytes };
  } finally {
    store.dispose();
  }
}

/** Kept distributions of the batch and of the single calls give the same residual draws. */
async function compareKept(host: FusionHost, batch: ProcessedRow[], single: ProcessedRow[], rand: () => number, cmp: Comparator): Promise<void> {
  const kept = batch.flatMap((r, i) => (r.distribution ? [i] : []));
  for (let j = 0; j + 1 < kept.length; j++) {
    const [a, b] = [kept[j]!, kept[j + 1]!];
    if (batch[a]!.distribution!.width !== batch[b]!.distribution!.width) continue;
    const u = rand();
    const g = await sampleResidual(host, batch[a]!.distribution!, batch[b]!.distribution!, u);
    const s = await sampleResidual(host, single[a]!.distribution!, single[b]!.distribution!, u);
    if (JSON.stringify(g) !== JSON.stringify(s)) cmp.fail(`residual of kept rows ${a}, ${b} at u=${u}: batch ${JSON.stringify(g)} vs single ${JSON.stringify(s)}`);
  }
}

/** Runs one case: batch, N single calls, the CPU batch; compares them and counts submits. */
export async function fusionBatchParity(c: BatchCase): Promise<BatchResult> {
  const device = await gpuDevice();
  const cmp = new Comparator();
  const { gpu, cpu } = logitsOf(device, c);
  const host: FusionHost = { gpu: device, readout: new Readout(device) };
  const singleHost: FusionHost = { gpu: device, readout: new Readout(device) };
  const items = itemsOf(c, gpu);
  await processRow(host, gpu, 0, items[0]!.opts); // warm-up: pipelines compile outside the timings
  host.readout.bytes = 0;
  const t0 = performance.now();
  const { rows: batch, submits } = await countedBatch(device, host, gpu, items);
  const t1 = performance.now();
  const bytes = { batch: host.readout.bytes, single: 0 };
  const single: ProcessedRow[] = [];
  for (const item of items) single.push(await processRow(singleHost, gpu, item.row, item.opts));
  const t2 = performance.now();
  bytes.single = singleHost.readout.bytes;
  if (batch.length !== items.length) cmp.fail(`batch returned ${batch.length} rows for ${items.length}`);
  single.forEach((s, i) => {
    const [a, b] = [withoutDistribution(batch[i]!), withoutDistribution(s)];
    if (a !== b) cmp.fail(`row ${i}: batch ${a} vs single ${b}`);
  });
  const cpuItems = itemsOf(c, cpu);
  compareCpu(batch, await processRows({ gpu: null, readout: new Readout(null) }, cpu, cpuItems), cmp);
  await compareKept(host, batch, single, mulberry32(c.seed), cmp);
  const draw = await compareDraws(device, gpu, items, batch, cmp);
  for (const r of [...batch, ...single]) r.distribution?.dispose();
  gpu.dispose();
  return { mismatches: cmp.mismatches, submits, bytes, ms: { batch: t1 - t0, single: t2 - t1 }, draw };
}
