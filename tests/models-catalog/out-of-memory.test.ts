import { describe, expect, it } from 'vitest';
import { toLogitscopeError } from '../../workers/errors';
import { outOfMemoryAdvice } from '../../workers/model/loader';

describe('out-of-memory errors', () => {
  it.each(['RangeError: Array buffer allocation failed', 'Failed to allocate 1073741824 bytes', 'GPU out of memory'])('%s is reported as out-of-memory with advice', (msg) => {
    const e = toLogitscopeError(new Error(msg));
    expect(e.code).toBe('out-of-memory');
    expect(e.message).toMatch(/smaller dtype|smaller model/);
  });

  it('suggests a smaller dtype until the smallest one, then a smaller model', () => {
    expect(outOfMemoryAdvice('fp32')).toMatch(/smaller dtype \(q4 or q4f16\)/);
    expect(outOfMemoryAdvice('fp16')).toMatch(/smaller dtype/);
    expect(outOfMemoryAdvice('q4')).toBe('Try a smaller model.');
    expect(outOfMemoryAdvice('q4f16')).not.toMatch(/dtype/);
  });

  it('does not call other errors out-of-memory', () => {
    expect(toLogitscopeError(new Error('shape mismatch')).code).toBe('internal');
  });
});
