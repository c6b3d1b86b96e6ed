// A static server for the capability and config-sanity specs: the build folder (the app) plus
// variants of the built-in tiny-llama under /variants/<name>/tiny-llama/, same origin as the app:
// an fp16 graph saved under the fp32 name, and configs with bad vocab_size / tokenizer_class.
// Loopback only; every response ends by itself.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { toFp16Model } from './fp16-model';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

type Variant = (rel: string, base: Buffer) => Buffer;

const patchJson =
  (file: string, patch: Record<string, unknown>): Variant =>
  (rel, base) =>
    rel === file ? Buffer.from(JSON.stringify({ ...(JSON.parse(base.toString('utf8')) as Record<string, unknown>), ...patch })) : base;

let fp16Bytes: Buffer | null = null;

/** The variants served, by name: how each changes a file of tiny-llama (`rel` is relative to its folder). */
export const VARIANTS: Readonly<Record<string, Variant>> = {
  // Real fp16 exports saved as onnx/model.onnx with a config claiming fp32 (seen in the wild).
  'fp16-as-fp32': (rel, base) => {
    if (rel === 'config.json') return patchJson(rel, { torch_dtype: 'float16', 'transformers.js_config': { dtype: 'fp32' } })(rel, base);
    if (rel !== 'onnx/model.onnx') return base;
    fp16Bytes ??= toFp16Model(base);
    return fp16Bytes;
  },
  'vocab-0': patchJson('config.json', { vocab_size: 0 }),
  'vocab-minus-5': patchJson('config.json', { vocab_size: -5 }),
  'vocab-1e9': patchJson('config.json', { vocab_size: 1e9 }),
  'vocab-300': patchJson('config.json', { vocab_size: 300 }),
  'tokenizer-class-model': patchJson('tokenizer_config.json', { tokenizer_class: 'AutoModelForCausalLM' }),
};

/** Same-origin folder spec of a variant, for `model`. */
export const variantSpec = (name: string): string => `/variants/${name}/tiny-llama/`;

function body(root: string, path: string): Buffer | null {
  const variant = /^\/variants\/([a-z0-9-]+)\/tiny-llama\/(.+)$/.exec(path);
  const rel = variant ? `/models/builtin/tiny-llama/${variant[2]!}` : normalize(path === '/' ? '/index.html' : path);
  if (rel.includes('..')) return null;
  const file = join(root, rel);
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  const base = readFileSync(file);
  if (!variant) return base;
  const make = Object.hasOwn(VARIANTS, variant[1]!) ? VARIANTS[variant[1]!] : undefined;
  return make ? make(variant[2]!, base) : null;
}

/** A running server: its origin and `close()`. */
export interface VariantServer {
  origin: string;
  close(): Promise<void>;
}

/** Serve the build folder `root` and the variants on 127.0.0.1:`port`. */
export async function startVariantServer(root: string, port: number): Promise<VariantServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const data = body(root, path);
    if (!data) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(path)] ?? (path === '/' ? TYPES['.html']! : 'application/octet-stream');
    res.writeHead(200, { 'content-type': type, 'content-length': String(data.length), 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : data);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
