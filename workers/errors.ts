import type { ErrorCode } from '../protocol';

/**
 * An error that crosses to the UI. Its message carries the code as `[code] message` because comlink
 * serialises only an Error's name, message and stack.
 */
export class LogitscopeError extends Error {
  /** Machine-readable category; the UI picks its banner and actions from it. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(`[${code}] ${message}`);
    this.name = 'LogitscopeError';
    this.code = code;
  }
}

/** Wrap anything thrown into a LogitscopeError, keeping an existing code. */
export function toLogitscopeError(err: unknown, fallback: ErrorCode = 'internal'): LogitscopeError {
  if (err instanceof LogitscopeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/out of memory|OOM|allocation failed|Failed to allocate/i.test(message)) {
    return new LogitscopeError('out-of-memory', `${message}. Try a smaller dtype (q4) or a smaller model.`);
  }
  return new LogitscopeError(fallback, message);
}
