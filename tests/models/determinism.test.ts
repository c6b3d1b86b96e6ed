// The generator is deterministic and idempotent, and public/models/builtin is up to date.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allBuiltinFiles } from '../../scripts/testmodels/hub-files';
import { BUILTIN_DIR, writeBuiltinModels, writeBuiltinModelsToTemp } from '../../scripts/testmodels/write';

/** Relative path → bytes of every file under `root` (skipping `skip` top-level folders). */
function snapshot(root: string, skip: string[] = []): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      const rel = relative(root, p).split('\\').join('/');
      if (skip.includes(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(rel, readFileSync(p));
    }
  };
  walk(root);
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('gen-models', () => {
  it('writes identical bytes into two fresh folders', () => {
    const [a, b] = [writeBuiltinModelsToTemp(), writeBuiltinModelsToTemp()];
    dirs.push(a, b);
    const sa = snapshot(a);
    const sb = snapshot(b);
    expect([...sa.keys()]).toEqual([...sb.keys()]);
    expect(sa.size).toBe(allBuiltinFiles().length);
    for (const [path, bytes] of sa) expect(Buffer.compare(bytes, sb.get(path) ?? Buffer.alloc(0)), path).toBe(0);
  });

  it('rewrites nothing on a second run and repairs a changed file', () => {
    const dir = writeBuiltinModelsToTemp();
    dirs.push(dir);
    expect(writeBuiltinModels(dir).written).toEqual([]);
    const victim = join(dir, 'tiny-llama', 'config.json');
    rmSync(victim);
    expect(writeBuiltinModels(dir).written).toEqual(['tiny-llama/config.json']);
    expect(existsSync(victim)).toBe(true);
  });

  it.skipIf(!existsSync(BUILTIN_DIR))('public/models/builtin matches a fresh generation (run `npm run models` if not)', () => {
    for (const f of allBuiltinFiles()) {
      const p = join(BUILTIN_DIR, ...f.path.split('/'));
      expect(existsSync(p), f.path).toBe(true);
      expect(Buffer.compare(readFileSync(p), f.bytes), f.path).toBe(0);
    }
  });
});
