/** System Chromium (never a downloaded browser): `CHROME_PATH` or Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * Flags that give WebGPU on a machine without a GPU (SwiftShader) and keep Chromium off the network
 * (docs/architecture.md#testing). Shared by Playwright, the benchmark and the UI frame measurement.
 */
export const webgpuArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
