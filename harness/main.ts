import { registerDecodeBench } from './bench-decode';
import { registerFusionHarness } from './fusion';
import { registerKernelHarness } from './kernels';

// Test harness page (second Vite entry): Playwright drives the APIs registered on `window`.
registerKernelHarness();
registerFusionHarness();
registerDecodeBench();
const status = document.getElementById('status');
if (status) status.textContent = 'harness ready';
