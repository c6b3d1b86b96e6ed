import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { backendTable, type BackendsResult } from './backends';
import type { BenchResult } from './measure';
import type { Spread } from './stats';

const f = (s: Spread, d = 1) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
const opt = (s: Spread | undefined, d = 1) => (s ? f(s, d) : 'n/a');

const EXPLAIN = `Each figure is the median of the repeated runs, with (min–max) after it. Lower is better for
times, forward passes per token, readback bytes and frame times; higher is better for tokens/s and
tokens per target forward.

- **tok/s**: generated tokens per second of the panel's own decoding time (model forwards, kernels
  and readbacks; the first step includes the prompt prefill). **run tok/s**: generated tokens per
  second of the whole run as the page waits for it (from the \`run\` call to its record: tokenizing,
  the steps, the time between them, the messages). **TTFT**: time to the first token.
- **target / draft fwd per token**: ONNX forward passes of the target (draft) model per generated
  token. Greedy is 1; speculative and prompt lookup go below 1 when drafts are accepted; CNTP goes
  above 1 at branch points.
- **tokens per target fwd**: generated tokens per target forward pass: the mean accepted length τ
  for speculative and prompt lookup (1 for one-token-per-step strategies).
- **readback B/token**: bytes that crossed from the GPU to the CPU per generated token (on WASM: bytes
  of logits the CPU reference kernels scanned, since nothing lives on a GPU there).
- **GPU submits/token**: \`GPUQueue.submit\` calls in the worker per generated token (ORT's forward
  passes and our kernels; 0 on WASM). n/a in runs made before the counter existed. **ours** counts
  the submits of our own command buffers (kernels, readbacks, KV-cache copies: labels ending in
  \`.commands\`), **ORT** the rest (its forward passes); n/a in runs made before the split.
- **vs transformers.js**: our greedy run tok/s divided by transformers.js \`model.generate()\` greedy
  (timed the same way: the whole call) on the same model, backend and browser, in the same run (> 1
  means we are faster); "decoding time" divides our tok/s instead. Runs made before the run tok/s
  existed divided the decoding-time figure. The greedy runs of the comparison are pairs of their
  own (see the table under it); docs/benchmarks-greedy.md reads the breakdown.
- **kernels**: one decode step's summary (softmax statistics + top-10) of \`rows\` rows of
  \`rowLength\` logits: our WGSL kernels with a few hundred bytes read back, against copying the whole
  rows to the CPU and computing the same there.
- **frame time**: requestAnimationFrame intervals on the app page while the panels generate (16.7 ms
  is a smooth 60 Hz page).

SwiftShader is Chromium's CPU implementation of WebGPU: every "GPU" figure measured on it is a
CPU figure, and the kernel comparison in particular says nothing about real GPUs.`;

function header(r: BenchResult): string {
  return `### ${r.environment.backend} — ${r.environment.adapter}\n\nBrowser: ${r.environment.userAgent}. Model ${r.options.model} (draft ${r.options.draft}), ${r.options.tokens} tokens, ${r.options.repeats} repeats, prompt ${JSON.stringify(r.options.prompt)}.\n`;
}

/** The per-strategy table of one result (and the transformers.js line). */
export function strategyTable(r: BenchResult): string {
  const rows = r.strategies.map(
    (s) =>
      `| ${s.strategy} | ${r.environment.backend} | ${s.tokens ?? r.options.tokens} | ${f(s.tokensPerSecond)} | ${opt(s.endToEndTokensPerSecond)} | ${f(s.timeToFirstTokenMs, 0)} | ${f(s.msPerToken)} | ${f(s.targetForwardsPerToken, 2)} | ${f(s.draftForwardsPerToken, 2)} | ${f(s.tokensPerTargetForward, 2)} | ${f(s.readbackBytesPerToken, 0)} | ${opt(s.submitsPerToken)} | ${opt(s.ourSubmitsPerToken)} | ${opt(s.ortSubmitsPerToken)} |`,
  );
  const b = r.baseline;
  return [
    '| strategy | backend | tokens | tok/s | run tok/s | TTFT ms | ms/token | target fwd/token | draft fwd/token | tokens per target fwd | readback B/token | GPU submits/token | our submits/token | ORT submits/token |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(r.skipped && r.skipped.length > 0 ? ['', `Not run: ${r.skipped.map((x) => `${x.strategy} (${x.reason})`).join('; ')}.`] : []),
    '',
    b
      ? `transformers.js \`generate()\` greedy: ${f(b.transformersJsTokensPerSecond)} tok/s; our greedy ÷ transformers.js: ${f(b.greedyRatio, 2)}; same greedy tokens: ${b.sameGreedyTokens ? 'yes' : 'NO'}.`
      : 'transformers.js baseline: not run.',
    ...breakdown(r),
  ].join('\n');
}

/** Greedy's milliseconds per token, ours and transformers.js's, split into onnxruntime's run and the rest. */
function breakdown(r: BenchResult): string[] {
  const b = r.baseline;
  if (!b?.oursOrtMsPerToken || !b.oursRunMsPerToken || !b.transformersJsOrtMsPerToken || !b.transformersJsRunMsPerToken) return [];
  const row = (who: string, run: Spread, ortMs: Spread) => `| ${who} | ${f(run, 3)} | ${f(ortMs, 3)} | ${(run.median - ortMs.median).toFixed(3)} |`;
  return [
    '',
    `Greedy per token in the paired runs (${r.options.repeats} of each, alternating, after one unmeasured run of each): the whole run, the part inside onnxruntime's \`InferenceSession.run\`, and the rest (median run less median ORT time):`,
    '',
    '| | ms/token | in onnxruntime run | the rest |',
    '|---|---|---|---|',
    row('ours', b.oursRunMsPerToken, b.oursOrtMsPerToken),
    row('transformers.js', b.transformersJsRunMsPerToken, b.transformersJsOrtMsPerToken),
  ];
}

function kernelTable(r: BenchResult): string {
  if (r.kernels.length === 0) return '';
  const rows = r.kernels.map((k) => `| ${k.rowLength} | ${k.rows} | ${f(k.gpuReadoutMs, 2)} | ${k.gpuBytes} | ${f(k.fullReadbackCpuMs, 2)} | ${k.fullBytes} |`);
  return ['\n| row length | rows | GPU kernels ms | bytes read back | full readback + CPU ms | bytes read back |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function uiLine(r: BenchResult): string {
  return r.ui ? `\nUI: ${r.ui.panels} panels × ${r.ui.tokens} tokens, frame time p50 ${r.ui.frameMsP50.toFixed(1)} ms, p95 ${r.ui.frameMsP95.toFixed(1)} ms over ${r.ui.frames} frames.` : '';
}

const BACKENDS_EXPLAIN = `What \`backend=auto\` decides on (protocol/backend-choice.ts), as the page measures it: for
each model the app's "Time both backends" loads it on WASM and on WebGPU, runs a warm-up pass (on
WebGPU mostly shader compilation), then a prefill of a short prompt and 8 greedy steps; **ms/token**
is the median step (forward pass plus the readout of its top token). \`auto\` then ran the model
once: a software adapter (SwiftShader) makes it pick WASM whatever the timings. On a shared
machine the figures move with its load (the WASM figure of stories260K has read from about 2 to 71
ms/token here between runs); the ratio between the backends is the useful part.`;

/** The markdown of docs/benchmarks.md from one result per backend (and the per-backend table of the built-in models). */
export function renderMarkdown(results: BenchResult[], command: string, backends: BackendsResult | null = null): string {
  const sections = results.map((r) => [header(r), strategyTable(r), kernelTable(r), uiLine(r)].join('\n'));
  const perBackend = backends ? `\n\n## WebGPU or WASM per model\n\nProduced by \`npm run bench:backends\`; raw figures in \`docs/benchmarks/backends.json\`.\n\n${BACKENDS_EXPLAIN}\n\n${backendTable(backends)}` : '';
  return `# Benchmarks\n\nProduced by \`${command}\` (\`npm run bench\`); raw figures in \`docs/benchmarks/*.json\`.\n\n${EXPLAIN}\n\n## Results\n\n${sections.join('\n\n')}${perBackend}\n`;
}

/** Regenerate docs/benchmarks.md from docs/benchmarks/{webgpu,wasm,backends}.json. */
export function writeBenchmarksMarkdown(): void {
  const all = readdirSync('docs/benchmarks')
    .filter((n) => /^(webgpu|wasm)\.json$/.test(n)) // one result per backend (gpu-*.json are bench:gpu's)
    .map((n) => JSON.parse(readFileSync(`docs/benchmarks/${n}`, 'utf8')) as BenchResult);
  const backends = existsSync('docs/benchmarks/backends.json') ? (JSON.parse(readFileSync('docs/benchmarks/backends.json', 'utf8')) as BackendsResult) : null;
  writeFileSync('docs/benchmarks.md', renderMarkdown(all, 'npm run bench -- --backend webgpu; npm run bench -- --backend wasm', backends));
}
