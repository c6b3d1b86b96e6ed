// Vite build step that adds the Content-Security-Policy to the built index.html (build only: the dev
// server injects inline scripts for hot reload, which the policy would block).
import type { Plugin } from 'vite';

/**
 * The policy: scripts and workers only from the app's own origin (WebAssembly compilation allowed
 * for onnxruntime-web, no eval), no inline scripts, no plugins, no <base> or form targets.
 * `connect-src` stays as wide as model addresses are: the Hugging Face Hub and any folder URL the
 * user gives (https, or http on a local network), plus data:/blob: for files picked from disk.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' https: http: data: blob:",
  "img-src 'self' data:",
  "style-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The plugin: a `<meta http-equiv="Content-Security-Policy">` first in the <head> of every built page but the test harness. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'logitscope-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.path.endsWith('harness.html')) return html;
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
      },
    },
  };
}
