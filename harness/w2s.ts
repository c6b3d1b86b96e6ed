import logitLoadWgsl from '../kernels/wgsl/logitLoad.wgsl?raw';
import w2sFusionWgsl from '../kernels/wgsl/w2sFusion.wgsl?raw';
import { W2sFusion } from '../kernels/ops/w2sFusion';
import { fusedRowCpu, w2sKls, w2sStatsCpu } from '../kernels/reference/w2sFusion';
import { chooseAlpha, alphaGrid } from '../strategies/w2s/worker/settings';
import { makeCase, uploadCase } from './kernelCases';

// Browser parity of the weak-to-strong kernels (kernels/ops/w2sFusion.ts) against the CPU reference
// (kernels/reference/w2sFusion.ts): three rows per case (large, small, expert; f32 or f16, own
// buffers and offsets), the KLs of every grid α and κ, the chosen α*, and the fused row at α*
// (bit for bit where the GPU does not fuse the multiply-add, else within 1 ulp). Driven by e2e/w2s.spec.ts.

/** One parity case. */
export interface W2sCase {
  rowLength: number;
  validVocab?: number;
  dtype: 'f32' | 'f16';
  seed: number;
  alphaMax: number;
  /** Make the expert equal to the small row (κ = 0, every KL 0). */
  expertIsSmall?: boolean;
  /** Put a NaN in the large row: both paths must refuse. */
  bad?: boolean;
}

/** What one case found. */
export interface W2sResult {
  gpu: { kls: number[]; kappa: number; alpha: number } | { error: string };
  cpu: { kls: number[]; kappa: number; alpha: number } | { error: string };
  /** Largest |fused GPU − fused CPU| / max(1, |cpu|), and entries whose −inf masking differs. */
  fusedMaxRel: number;
  fusedMaskMismatches: number;
  bytes: number;
  ms: number;
}

let devicePromise: Promise<GPUDevice> | null = null;

function gpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    return adapter.requestDevice({ label: 'w2sHarness.device' });
  })();
  return devicePromise;
}

async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

const message = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

async function parity(c: W2sCase): Promise<W2sResult> {
  const device = await gpuDevice();
  const mk = (k: number, offsetElems: number) => makeCase({ rowLength: c.rowLength, rows: 1, k: 1, dtype: c.dtype, seed: c.seed * 7 + k, validVocab: c.validVocab, offsetElems, maskedFraction: 0.01, scale: 6 });
  const L = mk(0, 3);
  const S = mk(1, 0);
  const E = c.expertIsSmall ? S : mk(2, 5);
  if (c.bad) {
    // f32 only: the uploaded words are the CPU values' bits.
    L.cpu[3 + 1] = NaN;
    L.upload[3 + 1] = 0x7fc00000;
  }
  const [gL, gS, gE] = [uploadCase(device, L, c.dtype), uploadCase(device, S, c.dtype), c.expertIsSmall ? null : uploadCase(device, E, c.dtype)];
  const rows = { large: gL, small: gS, expert: gE ?? gS };
  const grid = alphaGrid(c.alphaMax);
  const valid = c.validVocab ?? c.rowLength;
  const kernel = new W2sFusion(device);
  let gpu: W2sResult['gpu'];
  let cpu: W2sResult['cpu'];
  let bytes = 0;
  const t0 = performance.now();
  try {
    const r = await kernel.stats(rows, grid);
    bytes = r.bytes;
    const { kls, kappa } = w2sKls(r.stats, grid);
    gpu = { kls, kappa, alpha: grid[chooseAlpha(kls, kappa)]! };
  } catch (e) {
    gpu = { error: message(e) };
  }
  const ms = performance.now() - t0;
  const cr = (x: typeof L) => ({ data: x.cpu, offsetElems: x.layout.offsetElems });
  try {
    const { kls, kappa } = w2sKls(w2sStatsCpu(cr(L), cr(S), cr(E), valid, grid), grid);
    cpu = { kls, kappa, alpha: grid[chooseAlpha(kls, kappa)]! };
  } catch (e) {
    cpu = { error: message(e) };
  }
  let fusedMaxRel = 0;
  let fusedMaskMismatches = 0;
  if ('alpha' in cpu) {
    const alpha = cpu.alpha === 0 ? grid.at(-1)! : cpu.alpha;
    const buf = kernel.fuse(rows, alpha, c.rowLength);
    const got = await readBuffer(device, buf, c.rowLength * 4);
    buf.destroy();
    const want = fusedRowCpu(cr(L), cr(S), cr(E), valid, c.rowLength, alpha);
    for (let i = 0; i < c.rowLength; i++) {
      const a = got[i]!;
      const b = want[i]!;
      if ((a === -Infinity) !== (b === -Infinity)) fusedMaskMismatches++;
      else if (b !== -Infinity) fusedMaxRel = Math.max(fusedMaxRel, Math.abs(a - b) / Math.max(1, Math.abs(b)));
    }
  }
  kernel.dispose();
  for (const g of [gL, gS, gE]) g?.buffer.destroy();
  return { gpu, cpu, fusedMaxRel, fusedMaskMismatches, bytes, ms };
}

/** Compilation messages of the module (none expected). */
async function shaderMessages(): Promise<string[]> {
  const device = await gpuDevice();
  const info = await device.createShaderModule({ code: `${logitLoadWgsl}\n${w2sFusionWgsl}` }).getCompilationInfo();
  return info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
}

declare global {
  interface Window {
    w2sHarness?: { parity: typeof parity; shaderMessages: typeof shaderMessages };
  }
}

/** Exposes the weak-to-strong kernel harness on `window.w2sHarness`. */
export function registerW2sHarness(): void {
  window.w2sHarness = { parity, shaderMessages };
}
