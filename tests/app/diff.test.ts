import { describe, expect, it } from 'vitest';
import { diffColors, diffMark, firstDeparture, greedyReference } from '../../app/diff';

describe('diff against the greedy panel', () => {
  it('finds the first greedy panel', () => {
    expect(greedyReference([{ strategy: 'sample' }, { strategy: 'greedy' }, { strategy: 'greedy' }])).toBe(1);
    expect(greedyReference([{ strategy: 'sample' }])).toBeNull();
  });

  it('finds the first differing position within the common length', () => {
    expect(firstDeparture([1, 2, 3, 4], [1, 2, 9, 4])).toBe(2);
    expect(firstDeparture([1, 2], [1, 2, 3])).toBeNull();
    expect(firstDeparture([5], [1])).toBe(0);
    expect(firstDeparture([], [])).toBeNull();
  });

  it('marks tokens before, at and after the departure with three different colours', () => {
    expect([0, 1, 2, 3].map((i) => diffMark(i, 2))).toEqual(['same', 'same', 'departure', 'after']);
    expect(diffMark(7, null)).toBe('same');
    const colors = new Set((['same', 'departure', 'after'] as const).map((m) => diffColors(m).background));
    expect(colors.size).toBe(3);
  });
});
