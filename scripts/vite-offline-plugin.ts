// Vite build step that writes the offline service worker: it lists every file of the build,
// hashes their bytes into a build version, and compiles workers/offline/service-worker.ts to
// `<outDir>/sw.js` with both baked in. Production builds only; the dev server has no service worker.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';

/** Name of the generated service worker in the output folder. */
export const SW_FILE = 'sw.js';

/** Test-only files a test build adds (the kernel harness page and its entry chunk): never precached. */
export function isTestOnly(path: string): boolean {
  return path === '/harness.html' || /^\/assets\/harness-[^/]*$/.test(path);
}

/** Every file under `dir` as a URL path (`/assets/x.js`), sorted; the service worker itself and test-only files excluded. */
export function precacheList(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(`/${relative(dir, full).split(sep).join('/')}`);
    }
  };
  walk(dir);
  return out.filter((p) => p !== `/${SW_FILE}` && !p.endsWith('.map') && !isTestOnly(p)).sort();
}

/** A 16-hex-digit hash of the listed files' paths and bytes: any change in the build changes it. */
export function buildVersion(dir: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** The service worker source with its precache list and version filled in. */
export async function compileServiceWorker(source: string, files: readonly string[], version: string): Promise<string> {
  const { code } = await transformWithOxc(source, 'service-worker.ts', { lang: 'ts' });
  if (!code.includes('__PRECACHE__') || !code.includes('__BUILD_VERSION__')) {
    throw new Error('service-worker.ts must use __PRECACHE__ and __BUILD_VERSION__');
  }
  return code.replaceAll('__PRECACHE__', JSON.stringify(files)).replaceAll('__BUILD_VERSION__', JSON.stringify(version));
}

/** The plugin: after the bundle is written, list the output folder and write `sw.js`. */
export function offlineServiceWorker(swSource = 'workers/offline/service-worker.ts'): Plugin {
  let outDir = '';
  let source = '';
  return {
    name: 'logitscope-offline-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      source = resolve(config.root, swSource);
    },
    async closeBundle() {
      const files = precacheList(outDir);
      const version = buildVersion(outDir, files);
      writeFileSync(join(outDir, SW_FILE), await compileServiceWorker(readFileSync(source, 'utf8'), files, version));
      this.info?.(`service worker ${version}: ${files.length} files precached`);
    },
  };
}
