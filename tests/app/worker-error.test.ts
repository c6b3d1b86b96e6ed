import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorTitle, formatUiError, parseWorkerError } from '../../app/worker-error';

describe('parseWorkerError', () => {
  it('reads the code and message', () => {
    expect(parseWorkerError(new Error('[device-lost] GPU device was lost: reason unknown'))).toEqual({
      code: 'device-lost',
      message: 'GPU device was lost: reason unknown',
    });
    expect(parseWorkerError(new Error('[bad-request] maxNewTokens must be in [1, 512], got 0\nmore'))).toEqual({
      code: 'bad-request',
      message: 'maxNewTokens must be in [1, 512], got 0\nmore',
    });
  });

  it('keeps unknown codes and plain messages as text', () => {
    expect(parseWorkerError(new Error('[weird] x'))).toEqual({ code: null, message: '[weird] x' });
    expect(parseWorkerError('boom')).toEqual({ code: null, message: 'boom' });
    expect(parseWorkerError({ message: 'obj' })).toEqual({ code: null, message: 'obj' });
    expect(parseWorkerError(undefined)).toEqual({ code: null, message: 'undefined' });
    expect(parseWorkerError(new Error(''))).toEqual({ code: null, message: 'Unknown error' });
  });

  it('covers every protocol code with a title and round-trips the text', () => {
    expect(ERROR_CODES).toHaveLength(9);
    for (const code of ERROR_CODES) {
      expect(errorTitle(code)).not.toBe('Error');
      expect(parseWorkerError(new Error(formatUiError({ code, message: 'm' })))).toEqual({ code, message: 'm' });
    }
  });
});
