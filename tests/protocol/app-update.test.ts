import { describe, expect, it } from 'vitest';
import { runtimeFileGone } from '../../protocol';

const answer = (status: number, type: string) => (() => Promise.resolve(new Response(status === 204 ? null : 'x', { status, headers: { 'content-type': type } }))) as unknown as typeof fetch;

describe('runtimeFileGone (the app was updated under an open page)', () => {
  it('a runtime file that answers as a file is there', async () => {
    expect(await runtimeFileGone('/assets/ort.wasm', answer(200, 'application/wasm'))).toBe(false);
    expect(await runtimeFileGone('/assets/main.js', answer(200, 'text/javascript; charset=utf-8'))).toBe(false);
  });
  it('an error status or an HTML page in its place means it is gone', async () => {
    expect(await runtimeFileGone('/assets/ort.wasm', answer(404, 'text/plain'))).toBe(true);
    expect(await runtimeFileGone('/assets/ort.wasm', answer(410, 'application/wasm'))).toBe(true);
    // Hosts that answer every unknown path with the app's index.html.
    expect(await runtimeFileGone('/assets/ort.wasm', answer(200, 'text/html; charset=utf-8'))).toBe(true);
  });
  it('when the check cannot run (offline) the original error stands', async () => {
    const offline = (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch;
    expect(await runtimeFileGone('/assets/ort.wasm', offline)).toBe(false);
  });
});
