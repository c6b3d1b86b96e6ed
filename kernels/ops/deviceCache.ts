const perDevice = new WeakMap<GPUDevice, Map<string, unknown>>();

/**
 * Returns the value built once per (device, key): shader modules and pipelines are shared by every
 * op instance on a device, so extra instances cost no pipeline compiles.
 */
export function cachedOnDevice<T>(device: GPUDevice, key: string, build: () => T): T {
  let entries = perDevice.get(device);
  if (!entries) {
    entries = new Map();
    perDevice.set(device, entries);
  }
  if (!entries.has(key)) entries.set(key, build());
  return entries.get(key) as T;
}
