/**
 * Worker errors reach the UI as Error messages of the form `[code] message` (protocol ErrorCode).
 * This module turns any thrown value into a code (or null when it has none) and a display text.
 */
import type { ErrorCode } from '../protocol';

/** An error as the UI shows it. */
export interface UiError {
  code: ErrorCode | null;
  message: string;
}

// A Record over ErrorCode makes the compiler flag any code added to the protocol but not here.
const TITLES: Record<ErrorCode, string> = {
  'bad-request': 'Invalid request',
  'model-not-found': 'Model not found',
  'model-invalid': 'Model cannot be used',
  'pair-mismatch': 'Models do not match',
  'device-lost': 'GPU device lost',
  'out-of-memory': 'Out of memory',
  cancelled: 'Cancelled',
  'app-updated': 'The app was updated',
  internal: 'Internal error',
};

/** Every protocol error code. */
export const ERROR_CODES = Object.keys(TITLES) as ErrorCode[];

function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(TITLES, value);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}

/** Parses `[code] message`; an unknown or missing code gives `code: null` and the whole text. */
export function parseWorkerError(err: unknown): UiError {
  const text = messageOf(err).trim();
  const match = /^\[([a-z-]+)\]\s*([\s\S]*)$/.exec(text);
  if (match && match[1] !== undefined && isErrorCode(match[1])) {
    return { code: match[1], message: match[2] || TITLES[match[1]] };
  }
  return { code: null, message: text || 'Unknown error' };
}

/** Short heading for an error banner. */
export function errorTitle(code: ErrorCode | null): string {
  return code ? TITLES[code] : 'Error';
}

/** One-line text of an error, as thrown by `window.logitscope.run`: `[code] message`. */
export function formatUiError(err: UiError): string {
  return err.code ? `[${err.code}] ${err.message}` : err.message;
}
