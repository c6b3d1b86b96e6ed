import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { buildVersion, compileServiceWorker, precacheList } from '../../scripts/vite-offline-plugin';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function fakeBuild(): string {
  dir = mkdtempSync(join(tmpdir(), 'sw-plugin-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'models/builtin/m/onnx'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<html></html>');
  writeFileSync(join(dir, 'assets/main.js'), 'x');
  writeFileSync(join(dir, 'assets/main.js.map'), '{}');
  writeFileSync(join(dir, 'assets/ort.wasm'), 'wasm');
  writeFileSync(join(dir, 'models/builtin/m/onnx/model.onnx'), 'onnx');
  writeFileSync(join(dir, 'sw.js'), 'old');
  return dir;
}

describe('offline service worker build step', () => {
  it('precaches every file of the build as a URL path, without itself or source maps', () => {
    const d = fakeBuild();
    expect(precacheList(d)).toEqual(['/assets/main.js', '/assets/ort.wasm', '/index.html', '/models/builtin/m/onnx/model.onnx']);
  });

  it('never precaches the test-only kernel harness of a test build', () => {
    const d = fakeBuild();
    writeFileSync(join(d, 'harness.html'), 'h');
    writeFileSync(join(d, 'assets/harness-Ab12.js'), 'h');
    writeFileSync(join(d, 'assets/harnessy.js'), 'app chunk');
    expect(precacheList(d)).toEqual(['/assets/harnessy.js', '/assets/main.js', '/assets/ort.wasm', '/index.html', '/models/builtin/m/onnx/model.onnx']);
  });

  it('versions the build by content: any changed byte gives a new version', () => {
    const d = fakeBuild();
    const files = precacheList(d);
    const v1 = buildVersion(d, files);
    expect(v1).toMatch(/^[0-9a-f]{16}$/);
    expect(buildVersion(d, files)).toBe(v1);
    writeFileSync(join(d, 'assets/main.js'), 'y');
    expect(buildVersion(d, files)).not.toBe(v1);
  });

  it('compiles the service worker to plain JavaScript with the list and version baked in', async () => {
    const source = readFileSync('workers/offline/service-worker.ts', 'utf8');
    const code = await compileServiceWorker(source, ['/index.html', '/assets/a.js'], '0123456789abcdef');
    expect(code).not.toContain('__PRECACHE__');
    expect(code).not.toContain('__BUILD_VERSION__');
    expect(code).toContain('["/index.html","/assets/a.js"]');
    expect(code).toContain('"0123456789abcdef"');
    expect(code).not.toMatch(/\bdeclare\b|:\s*ServiceWorkerGlobalScope/);
    expect(() => new Script(code)).not.toThrow();
    await expect(compileServiceWorker('const x = 1;', [], 'v')).rejects.toThrow(/__PRECACHE__/);
  });
});
