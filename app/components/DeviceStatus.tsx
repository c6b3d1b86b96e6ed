/** Which device runs the models (from the worker's DeviceInfo), and the WASM fallback banner. */
import type { DeviceInfo } from '../../protocol';
import { useAppStore } from '../store';

function describe(device: DeviceInfo | null): string {
  if (!device) return 'Device: chosen when a model loads';
  if (device.backend === 'wasm') return 'Device: WASM (CPU)';
  const a = device.adapter;
  if (!a) return 'Device: WebGPU';
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ');
  const detail = a.description || a.device;
  return `Device: WebGPU · ${name || 'unknown adapter'}${detail ? ` · ${detail}` : ''}${device.shaderF16 ? ' · f16' : ''}`;
}

/** Device line in the header, plus a banner when the CPU fallback runs. */
export function DeviceStatus() {
  const device = useAppStore((s) => s.device);
  return (
    <div className="device">
      <p className="device-info" data-testid="device-info">
        {describe(device)}
      </p>
      {device?.backend === 'wasm' && (
        <p className="wasm-banner" role="status" data-testid="wasm-banner">
          Running on WASM (CPU): {device.fallbackReason ?? 'selected in the Backend control'}
        </p>
      )}
    </div>
  );
}
