/** Token recycling / ADED facts of a speculative token (`recycling`, `aded` in ../../speculative/annotations.ts), read defensively. */
import type { AdedInfo, NgramRow, RecycledRow, RecyclingInfo } from '../../speculative/annotations';
import { count, list, num, numOrNull, obj } from '../../../app/annotations/read';

/** The recycling or ADED facts of one iteration (carried by its first token). */
export type DraftFreeView = { recycling: RecyclingInfo; aded?: undefined } | { aded: AdedInfo; recycling?: undefined };

const ids = (v: unknown): number[] | undefined => list(v, count, 64);

function recycledRow(v: unknown): RecycledRow | undefined {
  const o = obj(v);
  const from = count(o?.from);
  const successors = ids(o?.successors);
  if (from === undefined || !successors) return undefined;
  return o?.initial === true ? { from, successors, initial: true } : { from, successors };
}

function ngramRow(v: unknown): NgramRow | undefined {
  const o = obj(v);
  const order = num(o?.order);
  const context = ids(o?.context);
  const next = list(
    o?.next,
    (e) => {
      const x = obj(e);
      const id = count(x?.id);
      const c = num(x?.count);
      return id !== undefined && c !== undefined ? { id, count: c } : undefined;
    },
    64,
  );
  return (order === 2 || order === 3) && context && next ? { order, context, next } : undefined;
}

/** The facts of a token's annotations, or null (not a draft-free iteration head). */
export function draftFreeView(a: Readonly<Record<string, unknown>>): DraftFreeView | null {
  if (a.kind !== 'speculative') return null;
  const r = obj(a.recycling);
  if (r) {
    const rows = list(r.rows, recycledRow, 64);
    const written = count(r.written);
    const vocab = numOrNull(r.vocab);
    if (rows && written !== undefined) return { recycling: { rows, written, vocab: vocab ?? null } };
  }
  const d = obj(a.aded);
  if (d) {
    const rows = list(d.rows, ngramRow, 64);
    const trigrams = count(d.trigrams);
    const bigrams = count(d.bigrams);
    if (rows && trigrams !== undefined && bigrams !== undefined) return { aded: { rows, trigrams, bigrams } };
  }
  return null;
}
