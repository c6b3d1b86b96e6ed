import { registerDecodeBench } from './bench-decode';
import { registerFusionHarness } from './fusion';
import { registerKernelHarness } from './kernels';
import { registerW2sHarness } from './w2s';

// Test harness page (second Vite entry): Playwright drives the APIs registered on `window`.
registerKernelHarness();
registerFusionHarness();
registerDecodeBench();
registerW2sHarness();
const status = document.getElementById('status');
if (status) status.textContent = 'harness ready';
