/** Typed text of a numeric parameter field → the value a panel stores. */
import type { ParamValue } from '../protocol';

const NUMBER = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Empty = undefined (the default applies), a number when the text reads as one, else the raw text (then flagged invalid). */
export function parseNumberText(text: string): ParamValue | undefined {
  if (text.trim() === '') return undefined;
  return NUMBER.test(text) ? Number(text) : text;
}
