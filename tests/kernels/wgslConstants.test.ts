import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKGROUP_SIZE, ITEMS_PER_THREAD, MAX_K, NO_TOKEN, STATS_RECORD_WORDS } from '../../kernels/limits';

// The host sizes grids and scratch from these constants; the shaders hard-code the same values.
function wgsl(name: string): string {
  return readFileSync(new URL(`../../kernels/wgsl/${name}.wgsl`, import.meta.url), 'utf8');
}

function constant(source: string, name: string): number {
  const match = new RegExp(`(?:const|override) ${name}: u32 = (0x[0-9a-f]+|\\d+)u;`).exec(source);
  if (!match?.[1]) throw new Error(`${name} not found`);
  return Number(match[1]);
}

describe('WGSL constants mirror kernels/limits.ts', () => {
  it.each(['softmaxStats', 'rowSummary'])('%s', (name) => {
    const source = wgsl(name);
    expect(constant(source, 'ITEMS')).toBe(ITEMS_PER_THREAD);
    expect(constant(source, 'WG')).toBe(DEFAULT_WORKGROUP_SIZE);
  });

  it('rowSummary MAX_K, the shared record size and the no-token sentinel', () => {
    expect(constant(wgsl('rowSummary'), 'MAX_K')).toBe(MAX_K);
    expect(constant(wgsl('softmaxAcc'), 'STATS_WORDS')).toBe(STATS_RECORD_WORDS);
    expect(constant(wgsl('softmaxAcc'), 'NO_TOKEN')).toBe(NO_TOKEN);
  });
});
