/**
 * Hook: whether this browser's WebGPU adapter has `shader-f16` (decides what "auto" dtype means in
 * the picker before any model loads). The worker decides for real; this is for showing sizes.
 */
import { useEffect, useState } from 'react';

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
