// Writes the built-in model folders to disk, skipping files whose bytes are already identical so
// that reruns leave mtimes alone (Vite's watcher and the browser cache stay quiet).
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allBuiltinFiles } from './hub-files';

/** public/models/builtin/ of this checkout (Vite serves it at /models/builtin/). */
export const BUILTIN_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../public/models/builtin');

/** What a write pass did: relative paths written and left unchanged. */
export interface WriteReport {
  /** Files created or replaced. */
  written: string[];
  /** Files already byte-identical. */
  unchanged: string[];
}

function sameBytes(path: string, bytes: Uint8Array): boolean {
  if (!existsSync(path)) return false;
  const old = readFileSync(path);
  return old.length === bytes.length && Buffer.compare(old, bytes) === 0;
}

/** Generates every built-in model file into `outDir` (created if missing). */
export function writeBuiltinModels(outDir: string): WriteReport {
  const report: WriteReport = { written: [], unchanged: [] };
  for (const f of allBuiltinFiles()) {
    const target = join(outDir, ...f.path.split('/'));
    if (sameBytes(target, f.bytes)) {
      report.unchanged.push(f.path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.bytes);
    report.written.push(f.path);
  }
  return report;
}

/** Generates every built-in model into a fresh temporary folder (for tests); returns its path. */
export function writeBuiltinModelsToTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logitscope-builtin-'));
  writeBuiltinModels(dir);
  return dir;
}
