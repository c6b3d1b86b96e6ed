import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ITEMS_PER_THREAD } from '../../kernels/limits';
import { LOG2E_Q23 } from '../../kernels/reference/sampleExp';
import { FIELDS, PARAMS_BYTES, R, SAMPLE_RECORD_WORDS, STATE_WORDS } from '../../kernels/ops/sampleParams';

// The host packs Params and parses the record with the layout sampleParams.wgsl declares.
const wgsl = (name: string) => readFileSync(new URL(`../../kernels/wgsl/${name}.wgsl`, import.meta.url), 'utf8');

function constant(source: string, name: string): number {
  const match = new RegExp(`const ${name}: u32 = (0x[0-9a-f]+|\\d+)u;`).exec(source);
  if (!match?.[1]) throw new Error(`${name} not found`);
  return Number(match[1]);
}

describe('sampleParams.wgsl mirrors kernels/ops/sampleParams.ts', () => {
  const src = wgsl('sampleParams');

  it('Params declares the packed words by name, type and position', () => {
    const body = /struct Params \{([\s\S]*?)\n\}/.exec(src)?.[1] ?? '';
    const words = body.split('\n').flatMap((l) => {
      const m = /^\s+(\w+): (u32|f32|vec4<f32>),/.exec(l);
      if (!m) return [];
      return m[2] === 'vec4<f32>' ? [0, 1, 2, 3].map((j) => `${m[1]}${j}:f`) : [m[2] === 'f32' ? `${m[1]}:f` : m[1]!];
    });
    expect(words).toEqual([...FIELDS]);
    expect(words.length * 4).toBe(PARAMS_BYTES);
    // The vec4 must sit on a 16-byte boundary in a uniform block.
    expect(words.indexOf('pw0:f') % 4).toBe(0);
  });

  it('record and state offsets', () => {
    const names: Record<keyof typeof R, string> = { id: 'R_ID', raw: 'R_RAW', weight: 'R_WEIGHT', kept: 'R_KEPT', mass: 'R_MASS', ymax: 'R_YMAX', argmax: 'R_ARGMAX', finite: 'R_FINITE', bad: 'R_BAD', lseE: 'R_LSEE', lseA: 'R_LSEA', fallback: 'R_FALLBACK', rmass: 'R_RMASS', tokens: 'R_TOKENS' };
    for (const [key, name] of Object.entries(names)) expect(constant(src, name), name).toBe(R[key as keyof typeof R]);
    expect(constant(src, 'R_TOKENS') + constant(src, 'MAX_TOKENS')).toBe(SAMPLE_RECORD_WORDS);
    expect(constant(src, 'STATE_WORDS')).toBe(STATE_WORDS);
    expect(constant(src, 'ITEMS')).toBe(ITEMS_PER_THREAD);
  });

  it('sampleExp.wgsl uses the reference constant and takes the generated tables', () => {
    expect(constant(wgsl('sampleExp'), 'LOG2E_Q23')).toBe(LOG2E_Q23);
    expect(wgsl('sampleExp')).toContain('//@EXP2_TABLES');
  });
});
