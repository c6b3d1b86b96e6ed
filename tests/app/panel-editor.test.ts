import { describe, expect, it } from 'vitest';
import type { StrategyInfo } from '../../protocol';
import { parseNumberText } from '../../app/param-text';
import {
  addPanel,
  changedParams,
  changeStrategy,
  duplicatePanel,
  keysAfterReplace,
  movePanel,
  removePanel,
  sameEffectiveSpec,
  setParam,
  type KeyedPanels,
} from '../../app/panel-editor';
import { checkParamValue } from '../../app/panel-spec';

const sample: StrategyInfo = {
  id: 'sample',
  label: 'Sampling',
  description: '',
  needsDraft: false,
  interpretation: false,
  params: [
    { name: 'temperature', label: 'T', type: 'number', default: 1, min: 0, max: 100, help: '' },
    { name: 'topK', label: 'k', type: 'integer', default: 0, min: 0, max: 100, help: '' },
  ],
};
const spec: StrategyInfo = {
  ...sample,
  id: 'speculative',
  params: [
    { name: 'k', label: 'k', type: 'integer', default: 4, min: 1, max: 16, help: '' },
    { name: 'temperature', label: 'T', type: 'number', default: 0, min: 0, max: 100, help: '' },
  ],
};

const start: KeyedPanels = {
  panels: [
    { strategy: 'greedy', params: {} },
    { strategy: 'sample', params: { temperature: 0.7 } },
  ],
  keys: ['a', 'b'],
};

describe('panel editing', () => {
  it('adds, duplicates, moves and removes panels, keys travelling with them', () => {
    const added = addPanel(start, 'cntp', 'c');
    expect(added.panels.map((p) => p.strategy)).toEqual(['greedy', 'sample', 'cntp']);
    const dup = duplicatePanel(added, 1, 'd');
    expect(dup.keys).toEqual(['a', 'b', 'd', 'c']);
    expect(dup.panels[2]).toEqual({ strategy: 'sample', params: { temperature: 0.7 } });
    expect(dup.panels[2]!.params).not.toBe(dup.panels[1]!.params);
    const moved = movePanel(dup, 3, -3);
    expect(moved.keys).toEqual(['c', 'a', 'b', 'd']);
    expect(movePanel(moved, 0, -1)).toBe(moved);
    const removed = removePanel(moved, 2);
    expect(removed.keys).toEqual(['c', 'a', 'd']);
    expect(() => removePanel(removed, 3)).toThrow(/panel index must be 0..2, got 3/);
  });

  it('keeps parameters the new strategy shares when switching strategy', () => {
    const switched = changeStrategy(setParam(start, 1, 'topK', 5), 1, spec);
    expect(switched.panels[1]).toEqual({ strategy: 'speculative', params: { temperature: 0.7 } });
    expect(switched.keys).toEqual(start.keys);
  });

  it('sets and clears one parameter; compares effective specs with defaults filled', () => {
    const set = setParam(start, 0, 'temperature', 0);
    expect(set.panels[0]!.params).toEqual({ temperature: 0 });
    expect(setParam(set, 0, 'temperature', undefined).panels[0]!.params).toEqual({});
    expect(sameEffectiveSpec({ strategy: 'sample', params: { temperature: 1 } }, { strategy: 'sample', params: {} }, sample)).toBe(true);
    expect(sameEffectiveSpec({ strategy: 'sample', params: { temperature: 0.5 } }, { strategy: 'sample', params: {} }, sample)).toBe(false);
    expect(changedParams({ strategy: 'sample', params: { temperature: 1, topK: 3 } }, sample)).toEqual({ topK: 3 });
  });

  it('typed number text becomes a number, anything else stays text and fails the schema check', () => {
    expect(parseNumberText(' 0.5 ')).toBe(0.5);
    expect(parseNumberText('')).toBeUndefined();
    expect(parseNumberText('1e-3')).toBe(0.001);
    expect(parseNumberText('abc')).toBe('abc');
    expect(parseNumberText('NaN')).toBe('NaN');
    const k = spec.params[0]!;
    expect(checkParamValue(k, parseNumberText('4')!)).toEqual({ ok: true, value: 4 });
    expect(checkParamValue(k, parseNumberText('-3')!)).toEqual({ ok: false, message: 'k must be an integer in [1, 16], got -3' });
    expect(checkParamValue(k, parseNumberText('2.5')!).ok).toBe(false);
    expect(checkParamValue(k, parseNumberText('NaN')!)).toEqual({ ok: false, message: 'k must be an integer in [1, 16], got "NaN"' });
  });
});

describe('keysAfterReplace', () => {
  it('keeps the key of a panel whose spec is unchanged at its position and renews the others', () => {
    const list: KeyedPanels = { panels: [{ strategy: 'greedy', params: {} }, { strategy: 'sample', params: { temperature: 0.7 } }], keys: ['a', 'b'] };
    const next = keysAfterReplace(list, [{ strategy: 'greedy', params: {} }, { strategy: 'sample', params: { temperature: 0.9 } }, { strategy: 'greedy', params: {} }]);
    expect(next[0]).toBe('a');
    expect(next[1]).not.toBe('b');
    expect(new Set(next).size).toBe(3);
    expect(keysAfterReplace(list, list.panels)).toEqual(['a', 'b']);
  });
});
