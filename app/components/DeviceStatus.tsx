/**
 * Which device runs the models (from the worker's DeviceInfo), the backend choice with its reason
 * (`auto`: measured per model and device, protocol/backend-choice.ts), "Time both backends", and
 * the banners: WASM running, WebGPU on a software adapter.
 */
import { adapterName, measurementFor, decideBackend, describeDecision, isSoftwareAdapter, type AdapterFacts, type DeviceInfo } from '../../protocol';
import { fireAndForget, useController } from '../controller-context';
import { useAppStore, type AppState, type WarmState } from '../store';

function describe(device: DeviceInfo | null): string {
  if (!device) return 'Device: chosen when a model loads';
  if (device.backend === 'wasm') return 'Device: WASM (CPU)';
  const a = device.adapter;
  if (!a) return 'Device: WebGPU';
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ');
  const detail = a.description || a.device;
  return `Device: WebGPU · ${name || 'unknown adapter'}${detail ? ` · ${detail}` : ''}${device.shaderF16 ? ' · f16' : ''}`;
}

type ChoiceState = Pick<AppState, 'device' | 'lastRequest' | 'model' | 'dtype' | 'backend' | 'adapterProbe' | 'measurements' | 'backendTiming'>;

/** The backend line: the worker's decision for the form's model, else what `auto` will pick here. */
function choiceLine(s: ChoiceState): string {
  if (s.backendTiming) return `Backend: timing WASM and WebGPU on ${s.backendTiming}…`;
  const d = s.device?.decision;
  if (d?.measuring) return `Backend: auto → ${d.reason}…`;
  if (d && s.lastRequest?.model === s.model && d.requested === s.backend) return describeDecision(d);
  if (s.backend === 'wasm') return describeDecision({ requested: 'wasm', backend: 'wasm', reason: 'WASM was selected in the Backend control' });
  if (s.adapterProbe === null) return `Backend: ${s.backend} (checking the WebGPU adapter…)`;
  const stored = measurementFor(s.measurements, s.model, s.dtype, s.adapterProbe);
  const outcome = decideBackend({ requested: s.backend, adapter: s.adapterProbe, measurement: stored });
  if (outcome.measure) return 'Backend: auto → decided on first load (WASM and WebGPU are timed once per model and device)';
  return describeDecision(outcome);
}

function warmText(w: WarmState): string {
  const names = w.models.join(' + ');
  if (w.state === 'running') return `Warming the WebGPU pipelines of ${names} in the background (shader compilation), so that Generate starts at full speed…`;
  if (w.state === 'done') return `WebGPU pipelines of ${names} compiled in the background (${(w.ms / 1000).toFixed(1)} s)`;
  if (w.state === 'skipped') return `WebGPU pipelines of ${names} are not compiled in the background on a software adapter (${w.adapter}): it would hold the CPU for minutes. The first Generate compiles them.`;
  return `Warming the WebGPU pipelines of ${names} failed: ${w.message}. Generate compiles them instead.`;
}

/** Device line in the header, the backend choice, and the banners. */
export function DeviceStatus() {
  const device = useAppStore((s) => s.device);
  const lastRequest = useAppStore((s) => s.lastRequest);
  const model = useAppStore((s) => s.model);
  const dtype = useAppStore((s) => s.dtype);
  const backend = useAppStore((s) => s.backend);
  const adapterProbe = useAppStore((s) => s.adapterProbe);
  const measurements = useAppStore((s) => s.measurements);
  const backendTiming = useAppStore((s) => s.backendTiming);
  const backendNote = useAppStore((s) => s.backendNote);
  const warming = useAppStore((s) => s.warming);
  const busy = useAppStore((s) => s.activeRunId !== null);
  const controller = useController();
  const line = choiceLine({ device, lastRequest, model, dtype, backend, adapterProbe, measurements, backendTiming });
  const probed: AdapterFacts | null = device?.probed ?? (adapterProbe && typeof adapterProbe !== 'string' ? adapterProbe : null);
  const softwareGpu = device?.backend === 'webgpu' && probed !== null && isSoftwareAdapter(probed);
  return (
    <div className="device">
      <p className="device-info" data-testid="device-info">
        {describe(device)}
      </p>
      <p className="backend-choice" data-testid="backend-choice" role="status">
        {line}
        {probed && (
          <button
            type="button"
            className="link-button"
            data-testid="measure-backends"
            disabled={busy || backendTiming !== null}
            title="Load the model on WASM and on WebGPU, time a prefill and a few greedy steps on each, and remember the result on this device"
            onClick={() => fireAndForget(controller.measureBackends())}
          >
            Time both backends
          </button>
        )}
      </p>
      {warming && (
        <p className="backend-choice" role="status" data-testid="warm-status" data-state={warming.state}>
          {warmText(warming)}
        </p>
      )}
      {backendNote && (
        <p className="backend-note" role="alert" data-testid="backend-note">
          {backendNote}
        </p>
      )}
      {softwareGpu && (
        <p className="wasm-banner" role="status" data-testid="software-adapter-banner">
          WebGPU runs here on a software adapter ({adapterName(probed)}): expect it to be far slower than WASM (about 40× on this project&apos;s
          machines).{' '}
          <button type="button" className="link-button" data-testid="use-wasm" onClick={() => useAppStore.getState().backendChanged('wasm')}>
            Use WASM
          </button>
        </p>
      )}
      {device?.backend === 'wasm' && !device.decision.measuring && (
        <p className="wasm-banner" role="status" data-testid="wasm-banner">
          Running on WASM (CPU): {device.fallbackReason ?? 'selected in the Backend control'}
        </p>
      )}
    </div>
  );
}
