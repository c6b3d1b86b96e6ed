// A small static server for the model and offline specs: it serves a build folder (the app, same
// origin as the fixtures) plus model folders derived from the built-in tiny-llama, some of them
// throttled, broken or oversized (one endless) on purpose, the variants of e2e/support/variants.ts under /variants/, and the
// exporter-layout folders under /layouts/<name>/. It counts requests per path so tests can tell a download from a
// cache hit. Loopback only; every response ends by itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { LAYOUTS, layoutFolder, type LayoutName } from '../../scripts/testmodels/layouts';
import { splitExternalData } from './external-data';
import { variantFile } from './variants';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
};

/** Options of one server. */
export interface StaticServerOptions {
  /** Build folder served at `/` (index.html, assets, models/builtin). */
  root: string;
  port: number;
  /** Rate of `/fixtures/slow/...` responses, bytes per second. */
  slowBytesPerSecond?: number;
}

/** A running server: its origin, request counts, and `close()`. */
export interface StaticServer {
  origin: string;
  /** GET/HEAD requests per path since start (or the last `resetCounts`). */
  counts: Map<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

/** The fixture folders served under `/fixtures/<name>/`, each a variant of builtin tiny-llama. */
export const FIXTURES = ['plain', 'slow', 'wrong-arch', 'corrupt-onnx', 'other-tokenizer', 'bad-tokenizer', 'external-data', 'huge-config', 'endless-config'] as const;

const externalCache = new Map<string, { graph: Buffer; data: Buffer }>();

/** tiny-llama's weights moved to onnx/model.onnx_data, the config saying so (computed once per root). */
function externalFixture(root: string, rel: string, base: Buffer | null): Buffer | null {
  if (rel === 'config.json' && base) {
    const cfg = JSON.parse(base.toString('utf8')) as Record<string, Record<string, unknown>>;
    return Buffer.from(JSON.stringify({ ...cfg, 'transformers.js_config': { ...cfg['transformers.js_config'], use_external_data_format: true } }));
  }
  if (rel !== 'onnx/model.onnx' && rel !== 'onnx/model.onnx_data') return base;
  let split = externalCache.get(root);
  if (!split) {
    split = splitExternalData(tinyFile(root, 'onnx/model.onnx')!, 'model.onnx_data');
    externalCache.set(root, split);
  }
  return rel === 'onnx/model.onnx' ? split.graph : split.data;
}

function tinyFile(root: string, rel: string): Buffer | null {
  const p = join(root, 'models', 'builtin', 'tiny-llama', rel);
  return existsSync(p) && statSync(p).isFile() ? readFileSync(p) : null;
}

/** The bytes of `rel` in fixture `name`, or null for a 404. */
export function fixtureFile(root: string, name: string, rel: string): Buffer | null {
  const base = tinyFile(root, rel);
  if (name === 'external-data') return externalFixture(root, rel, base);
  if (!base) return null;
  if (name === 'wrong-arch' && rel === 'config.json') {
    const cfg = JSON.parse(base.toString('utf8')) as Record<string, unknown>;
    return Buffer.from(JSON.stringify({ ...cfg, model_type: 't5', architectures: ['T5ForConditionalGeneration'], is_encoder_decoder: true }));
  }
  // Valid JSON padded past the 1 MB limit for config files (sent with its content-length).
  if (name === 'huge-config' && rel === 'config.json') return Buffer.concat([base.subarray(0, base.lastIndexOf('}')), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('}')]);
  if (name === 'corrupt-onnx' && rel === 'onnx/model.onnx') return Buffer.from('this is not an ONNX protobuf at all'.repeat(64));
  if (name === 'bad-tokenizer' && rel === 'tokenizer.json') return Buffer.from('{"model": {"vocab": ');
  if (name === 'other-tokenizer' && rel === 'tokenizer.json') {
    // Same size, different vocabulary: two byte tokens swap ids, so the vocabulary hash differs.
    const tok = JSON.parse(base.toString('utf8')) as { model: { vocab: Record<string, number> } };
    const entries = Object.entries(tok.model.vocab);
    const [a, b] = [entries[70]!, entries[71]!];
    tok.model.vocab[a[0]] = b[1];
    tok.model.vocab[b[0]] = a[1];
    return Buffer.from(JSON.stringify(tok));
  }
  return base;
}

async function sendThrottled(res: ServerResponse, body: Buffer, bytesPerSecond: number): Promise<void> {
  const chunk = 16 * 1024;
  for (let at = 0; at < body.length && !res.destroyed; at += chunk) {
    res.write(body.subarray(at, at + chunk));
    await new Promise((r) => setTimeout(r, (1000 * Math.min(chunk, body.length - at)) / bytesPerSecond));
  }
  res.end();
}

/** A body with no content-length that never ends (until the client goes away): spaces, 64 KB at a time. */
function sendEndless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{');
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(chunk);
  }, 2);
  res.on('close', () => clearInterval(timer));
}

/** A file of an exporter-layout folder (scripts/testmodels/layouts), or null. */
function layoutFile(name: string, rel: string): Buffer | null {
  if (!(LAYOUTS as readonly string[]).includes(name)) return null;
  const f = layoutFolder(name as LayoutName).files.find((x) => x.path === rel);
  return f ? Buffer.from(f.bytes) : null;
}

function resolveBody(opts: StaticServerOptions, path: string): Buffer | null {
  const layout = /^\/layouts\/([a-z0-9-]+)\/(.+)$/.exec(path);
  if (layout) return layoutFile(layout[1]!, layout[2]!);
  const variant = /^\/variants\/([a-z0-9-]+)\/tiny-llama\/(.+)$/.exec(path);
  if (variant) return variantFile(opts.root, variant[1]!, variant[2]!);
  const fixture = /^\/fixtures\/([a-z-]+)\/tiny-llama\/(.+)$/.exec(path);
  if (fixture) return (FIXTURES as readonly string[]).includes(fixture[1]!) ? fixtureFile(opts.root, fixture[1]!, fixture[2]!) : null;
  const rel = normalize(path === '/' ? '/index.html' : path);
  if (rel.includes('..')) return null;
  const file = join(opts.root, rel);
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file) : null;
}

function handle(opts: StaticServerOptions, counts: Map<string, number>, req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  counts.set(path, (counts.get(path) ?? 0) + 1);
  if (path === '/fixtures/endless-config/tiny-llama/config.json' && req.method !== 'HEAD') {
    sendEndless(res);
    return;
  }
  const body = resolveBody(opts, path);
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const type = TYPES[extname(path)] ?? (path === '/' ? TYPES['.html']! : 'application/octet-stream');
  res.writeHead(200, { 'content-type': type, 'content-length': String(body.length), 'cache-control': 'no-cache' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (path.startsWith('/fixtures/slow/')) void sendThrottled(res, body, opts.slowBytesPerSecond ?? 128 * 1024);
  else res.end(body);
}

/** Start a server on 127.0.0.1:`port`. */
export async function startStaticServer(opts: StaticServerOptions): Promise<StaticServer> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => handle(opts, counts, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${opts.port}`,
    counts,
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
