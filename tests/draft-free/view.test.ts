// The popover's reading of the `recycling` / `aded` annotations: defensive, and found from any token of
// an iteration (its first token carries them).
import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../../protocol';
import { iterationFacts } from '../../strategies/draft-free/ui/DraftFreeDetail';
import { draftFreeView } from '../../strategies/draft-free/ui/draft-free-view';

const recycling = { rows: [{ from: 3, successors: [4, 5, 6, 7, 8, 9, 10, 11] }, { from: 4, successors: [1, 2, 3, 5, 6, 7, 8, 9], initial: true }], written: 7, vocab: 512 };
const aded = { rows: [{ order: 3, context: [1, 2], next: [{ id: 3, count: 2 }] }, { order: 2, context: [3], next: [{ id: 9, count: 1 }] }], trigrams: 5, bigrams: 4 };

function tok(annotations: Record<string, unknown>): TokenRecord {
  return { id: 1, text: 'x', prob: 0.5, annotations } as unknown as TokenRecord;
}

describe('draft-free popover view', () => {
  it('reads the recycling and ADED facts, vocab null before the first forward', () => {
    expect(draftFreeView({ kind: 'speculative', recycling })).toEqual({ recycling });
    expect(draftFreeView({ kind: 'speculative', recycling: { ...recycling, vocab: null } })!.recycling!.vocab).toBeNull();
    expect(draftFreeView({ kind: 'speculative', aded })).toEqual({ aded });
  });

  it('ignores other kinds and malformed facts instead of failing', () => {
    expect(draftFreeView({ kind: 'w2s', recycling })).toBeNull();
    expect(draftFreeView({ kind: 'speculative', recycling: { rows: 'no', written: 1, vocab: 2 } })).toBeNull();
    expect(draftFreeView({ kind: 'speculative', aded: { ...aded, trigrams: -1 } })).toBeNull();
    expect(draftFreeView({ kind: 'speculative', aded: { ...aded, rows: [{ order: 4, context: [1], next: [] }] } })!.aded!.rows).toEqual([]);
    expect(draftFreeView({ kind: 'speculative', match: null })).toBeNull();
  });

  it('finds an iteration’s facts from any of its tokens, never from another iteration', () => {
    const tokens = [
      tok({ kind: 'speculative', iteration: 0, recycling }),
      tok({ kind: 'speculative', iteration: 0 }),
      tok({ kind: 'speculative', iteration: 1 }),
    ];
    expect(iterationFacts(tokens, 1, 0)).toEqual({ recycling });
    expect(iterationFacts(tokens, 2, 1)).toBeNull();
  });
});
