// Comparing the run on screen with a saved run: same prompt tokens required (with a message that
// says where they differ), then each panel against the saved panel at the same place.
import { describe, expect, it } from 'vitest';
import type { PanelRecord } from '../../protocol';
import { activeComparison, comparisonProblem, savedDepartures } from '../../app/run-compare';
import { record, stats, token } from './fixtures-ui';

const panel = (strategy: string, ids: number[]): PanelRecord => ({
  strategy,
  params: {},
  text: '',
  tokens: ids.map((id) => token(id, 0.5)),
  stats: stats(ids.length),
});

describe('comparison with a saved run', () => {
  const saved = record([panel('greedy', [5, 6, 7, 8]), panel('sample', [5, 9, 9])]);

  it('needs a run on screen and the same prompt tokens', () => {
    expect(comparisonProblem(null, saved)).toMatch(/no finished run on screen/);
    expect(comparisonProblem(record([]), saved)).toBeNull();
    const other = { ...record([]), prompt: 'Twice', promptTokens: [256, 80] };
    expect(comparisonProblem(other, saved)).toBe(
      'its prompt "Once" is 2 tokens and the run on screen has 2 ("Twice"); they differ from prompt token 2, and tokens after different prompts cannot be compared',
    );
    const longer = { ...record([]), promptTokens: [256, 79, 3] };
    expect(comparisonProblem(longer, saved)).toMatch(/is 2 tokens and the run on screen has 3 .*differ from prompt token 3/);
  });

  it('gives each panel its first departure from the saved panel at the same place', () => {
    expect(savedDepartures([[5, 6, 7, 8], [5, 9, 1], [1]], saved)).toEqual([null, 2, undefined]);
    // A shorter run agrees so far when its tokens match the saved ones.
    expect(savedDepartures([[5, 6]], saved)).toEqual([null]);
    expect(savedDepartures([[4]], saved)).toEqual([0]);
  });

  it('colours the panels only with a finished run on screen that has the same prompt tokens', () => {
    const comparison = { fileName: 'a.json', record: saved };
    const on = { comparison, panelViews: [], lastRecord: record([]), lastRecordStale: false };
    expect(activeComparison(on)).toBe(saved);
    expect(activeComparison({ ...on, comparison: null })).toBeNull();
    expect(activeComparison({ ...on, panelViews: null })).toBeNull();
    expect(activeComparison({ ...on, lastRecordStale: true }), 'a new run streams: no record yet').toBeNull();
    expect(activeComparison({ ...on, lastRecord: { ...record([]), promptTokens: [9] } })).toBeNull();
  });
});
