/**
 * Hook: whether this browser's WebGPU adapter has `shader-f16` (decides what "auto" dtype means in
 * the picker before any model loads). The worker decides for real; this is for showing sizes.
 */
import { useEffect, useState } from 'react';
import type { AdapterFacts } from '../protocol';

let probe: Promise<boolean> | null = null;

function probeShaderF16(): Promise<boolean> {
  probe ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return false;
    try {
      const adapter = await gpu.requestAdapter();
      return adapter?.features.has('shader-f16') ?? false;
    } catch {
      return false;
    }
  })();
  return probe;
}

/** False until the probe answers (and on WASM-only browsers). */
export function useShaderF16(): boolean {
  const [f16, setF16] = useState(false);
  useEffect(() => {
    let live = true;
    void probeShaderF16().then((v) => live && setF16(v));
    return () => {
      live = false;
    };
  }, []);
  return f16;
}

/**
 * The adapter facts `backend=auto` decides on (the same request the worker makes), or why there is
 * no adapter: the page shows the expected choice before a model loads; the worker decides for real.
 */
export async function probeAdapterFacts(): Promise<AdapterFacts | string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'no WebGPU adapter is available (GPU blocklisted or disabled)';
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const fallback = info.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, ...(fallback !== undefined && { isFallbackAdapter: fallback }) };
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}
