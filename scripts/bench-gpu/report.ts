import { adapterLine, type AdapterReport } from './device';
import type { ParityReport } from './parity';
import type { FloorTimings, Sample, ShapeTimings } from './timings';

/** Everything one run produces (the JSON written by --json). */
export interface BenchGpuReport {
  schema: 'logitscope-bench-gpu/1';
  label: string;
  date: string;
  node: string;
  platform: string;
  webgpuPackage: string;
  build: BuildInfo;
  adapter: AdapterReport;
  timestampQuery: boolean;
  options: { quick: boolean; iterations: number; warmup: number; k: number; budgetMs: number; fastScan: boolean };
  parity: ParityReport | null;
  floor: FloorTimings | null;
  shapes: ShapeTimings[];
  /** Uncaptured WebGPU errors outside the parity cases. */
  deviceErrors: string[];
  totalSeconds: number;
}

/** Stamped into the bundle by build.ts. */
export interface BuildInfo {
  gitRev: string;
  gitDirty: boolean;
  /** Revision the kernels/ of this bundle come from ('working tree' for the current checkout). */
  kernels: string;
  builtAt: string;
  webgpuVersion: string;
  fastScanModule: boolean;
}

function ms(s: Sample | null): string {
  if (!s) return 'n/a';
  const v = s.median;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function us(s: Sample | null): string {
  return s ? (s.median * 1000).toFixed(1) : 'n/a';
}

function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

/** Markdown: header, parity counts, the timing table and the floor. */
export function renderMarkdown(r: BenchGpuReport): string {
  const lines: string[] = [];
  lines.push(`### ${r.label}: ${adapterLine(r.adapter)}`, '');
  lines.push(
    `- date ${r.date}, node ${r.node} (${r.platform}), webgpu ${r.webgpuPackage}, kernels ${r.build.kernels} (built from ${r.build.gitRev}${r.build.gitDirty ? ' + local changes' : ''})`,
  );
  lines.push(
    `- timestamp-query: ${r.timestampQuery ? 'yes' : 'no (kernel columns n/a)'}; k = ${r.options.k}; median of up to ${r.options.iterations} iterations after ${r.options.warmup} warm-up${r.options.quick ? ' (--quick)' : ''}`,
  );
  if (r.parity) {
    const p = r.parity;
    const groups = Object.entries(p.groups)
      .map(([name, g]) => `${name} ${g.passes}/${g.cases}`)
      .join(', ');
    lines.push(`- parity: ${p.passes}/${p.cases} passed, ${p.failures.length} failed (${groups}); max rel err ${p.maxRelErr.toExponential(2)}`);
  }
  if (r.deviceErrors.length > 0) lines.push(`- uncaptured WebGPU errors: ${r.deviceErrors.slice(0, 3).join(' | ')}`);
  lines.push('');
  if (r.shapes.length > 0) {
    const fast = r.shapes.some((s) => s.fastScan);
    const head = ['rowLength', 'rows', 'readout ms', 'kernel µs', 'stats alone µs (control)', 'copy+map ms', 'CPU scan ms'];
    if (fast) head.push('fast scan ms');
    head.push('full path ms');
    if (fast) head.push('full (fast) ms');
    head.push('readout B', 'rows B');
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---:').join('|')}|`);
    for (const s of r.shapes) {
      const cells = [String(s.rowLength), String(s.rows), ms(s.readout), us(s.kernelGpu), us(s.statsGpu), ms(s.copyMap), ms(s.cpuScan)];
      if (fast) cells.push(ms(s.fastScan));
      cells.push(ms(s.fullPath));
      if (fast) cells.push(ms(s.fullPathFast));
      cells.push(String(s.readoutBytes), bytes(s.rowBytes));
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  if (r.floor) {
    const f = r.floor;
    lines.push('| floor | median ms | p10 ms | p90 ms |', '|---|---:|---:|---:|');
    for (const [name, s] of [
      ['empty submit + onSubmittedWorkDone', f.emptySubmit],
      ['map + unmap of a 16 B buffer', f.tinyMap],
      ['16 B copy + submit + map', f.copy16Map],
    ] as const) {
      lines.push(`| ${name} | ${ms(s)} | ${s.p10.toFixed(3)} | ${s.p90.toFixed(3)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
