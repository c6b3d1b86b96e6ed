/**
 * Reads and checks a picked run file off the main thread (a 64 MB file is a long JSON.parse and a
 * walk over every token): receives the File, answers with the ImportResult (structured-cloned).
 */
import { readRunFile } from './run-import';

self.onmessage = (e: MessageEvent<Blob>) => {
  void readRunFile(e.data).then(
    (result) => self.postMessage(result),
    (err: unknown) => self.postMessage({ ok: false, errors: [`The file could not be read (${err instanceof Error ? err.message : String(err)})`] }),
  );
};
