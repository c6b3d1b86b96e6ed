// "The next deploy" of a build folder, for the update specs: the same app with its hashed runtime
// files renamed as a real new build renames them (main chunk, decode worker, ORT wasm), every
// reference to them rewritten, another version in sw.js and a marker in index.html. A page still
// running the first build then asks the server for names it no longer has.
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The version baked into a build's sw.js. */
export function swVersion(dir: string): string {
  const m = /const VERSION = "([0-9a-f]{16})"/.exec(readFileSync(join(dir, 'sw.js'), 'utf8'));
  if (!m) throw new Error(`no version in ${dir}/sw.js`);
  return m[1]!;
}

/** What `nextBuild` made: its folder, its version, and the renamed files (old name → new name). */
export interface NextBuild {
  dir: string;
  version: string;
  renamed: Record<string, string>;
}

const RUNTIME = [/^main-[\w-]+\.js$/, /^decode\.worker-[\w-]+\.js$/, /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/];

/** Copies `first` to a temporary folder as the next deploy (see the file comment). */
export function nextBuild(first: string): NextBuild {
  const dir = mkdtempSync(join(tmpdir(), 'logitscope-next-build-'));
  cpSync(first, dir, { recursive: true });
  const assets = join(dir, 'assets');
  const renamed: Record<string, string> = {};
  for (const name of readdirSync(assets)) {
    if (!RUNTIME.some((r) => r.test(name))) continue;
    const to = name.replace(/-([\w-]+)(\.[a-z]+)$/, '-next$1$2');
    renameSync(join(assets, name), join(assets, to));
    renamed[name] = to;
  }
  if (Object.keys(renamed).length !== RUNTIME.length) throw new Error(`expected ${RUNTIME.length} runtime files in ${assets}, renamed ${JSON.stringify(renamed)}`);
  const oldVersion = swVersion(first);
  const version = oldVersion.split('').reverse().join('') === oldVersion ? 'f'.repeat(16) : oldVersion.split('').reverse().join('');
  const rewrite = (file: string, edit: (text: string) => string = (t) => t) => {
    let text = readFileSync(file, 'utf8');
    for (const [from, to] of Object.entries(renamed)) text = text.replaceAll(from, to);
    writeFileSync(file, edit(text));
  };
  for (const name of readdirSync(assets)) if (name.endsWith('.js')) rewrite(join(assets, name));
  rewrite(join(dir, 'index.html'), (t) => t.replace('<title>', '<meta name="build-marker" content="next" /><title>'));
  rewrite(join(dir, 'sw.js'), (t) => t.replace(`"${oldVersion}"`, `"${version}"`));
  return { dir, version, renamed };
}
