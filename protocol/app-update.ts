/**
 * A new deploy under an open page: the page (and its worker) still ask for the previous build's
 * file names, which the server no longer has. Those loads fail in ways that look like something
 * else (the 404 page compiled as wasm reads as a broken ONNX file), so both sides check the file
 * itself before blaming a model or the worker.
 */

/** What the user is told (the `app-updated` error's message). */
export const APP_UPDATED_MESSAGE =
  'The app was updated while this page was open and the files this page needs are gone from the server: reload the page to use the new version (Export the run on screen first to keep it).';

/**
 * True when `url` (one of the app's own runtime files: the ORT wasm, the worker script) no longer
 * answers as a file: an error status, or an HTML page served in its place (hosts that answer every
 * unknown path with index.html). False when it answers, or when the check itself cannot run
 * (offline with no cache): then the original error stands.
 */
export async function runtimeFileGone(url: string, fetcher: typeof fetch = fetch): Promise<boolean> {
  try {
    const res = await fetcher(url, { method: 'GET', cache: 'no-store' });
    void res.body?.cancel().catch(() => undefined);
    if (!res.ok) return true;
    return /^text\/html/i.test(res.headers.get('content-type') ?? '');
  } catch {
    return false;
  }
}
