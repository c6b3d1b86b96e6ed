/**
 * Regex → Thompson NFA → DFA (subset construction) for grammar-constrained decoding
 * (docs/algorithms.md#grammar). A practical subset of JS regex syntax, matched against the WHOLE
 * string (anchored): literals, escapes (\n \t \r \f \v \0 \xHH \uHHHH, \d \w \s and their negations,
 * escaped punctuation), classes [a-z] / [^…], '.', * + ? {m} {m,} {m,n} (a trailing lazy '?' is
 * accepted and ignored: laziness does not change the language), '|', groups (…) and (?:…).
 * Anything else (anchors, look-arounds, back-references, \b, named groups, flags) is a clear error.
 * Characters are UTF-16 code units, as in a JS RegExp without the u flag.
 */

/** A parse or size error, with the offending position when there is one. */
export class RegexError extends Error {}

/** Character set as sorted disjoint inclusive ranges [lo, hi] over code units. */
type Ranges = [number, number][];

type Node = { t: 'set'; r: Ranges } | { t: 'cat'; a: Node[] } | { t: 'alt'; a: Node[] } | { t: 'rep'; n: Node; min: number; max: number }; // max = Infinity for unbounded

const MAXU = 0xffff;
/** Highest repeat count and DFA size we build (clear error beyond). */
export const MAX_REPEAT = 1000;
export const MAX_NFA_STATES = 20000;
export const MAX_DFA_STATES = 5000;

function norm(r: Ranges): Ranges {
  const s = r.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [a, b] of s) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function negate(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of norm(r)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAXU) out.push([next, MAXU]);
  return out;
}

const DIGIT: Ranges = [[48, 57]];
const WORD: Ranges = norm([
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
]);
// JS \s: whitespace and line terminators.
const SPACE: Ranges = norm([
  [9, 13],
  [32, 32],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
// '.' without the s flag: anything but line terminators.
const DOT: Ranges = negate([
  [10, 10],
  [13, 13],
  [0x2028, 0x2029],
]);

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new RegexError(`regex: ${msg} at position ${this.i} in ${JSON.stringify(this.src)}`);
  }

  peek(): string | undefined {
    return this.src[this.i];
  }

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) this.fail(this.peek() === ')' ? 'unmatched ")"' : `unexpected ${JSON.stringify(this.peek())}`);
    return n;
  }

  alt(): Node {
    const a = [this.cat()];
    while (this.peek() === '|') {
      this.i++;
      a.push(this.cat());
    }
    return a.length === 1 ? a[0]! : { t: 'alt', a };
  }

  cat(): Node {
    const a: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') a.push(this.repeat());
    return a.length === 1 ? a[0]! : { t: 'cat', a };
  }

  repeat(): Node {
    let n = this.atom();
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max < min) this.fail(`numbers out of order in ${m[0]}`);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail(`repeat counts above ${MAX_REPEAT} are not supported`);
        this.i += m[0].length - 1;
      } else return n;
      this.i++;
      if (this.peek() === '?') this.i++; // lazy: same language
      if (n.t === 'rep' && (this.peek() === '*' || this.peek() === '+')) this.fail('possessive quantifiers are not supported');
      n = { t: 'rep', n, min, max };
    }
  }

  atom(): Node {
    const c = this.src[this.i]!;
    if (c === '(') {
      this.i++;
      if (this.peek() === '?') {
        if (this.src[this.i + 1] === ':') this.i += 2;
        else this.fail('look-arounds and named groups are not supported (only (…) and (?:…))');
      }
      const n = this.alt();
      if (this.peek() !== ')') this.fail('missing ")"');
      this.i++;
      return n;
    }
    if (c === '[') return { t: 'set', r: this.cls() };
    if (c === '.') {
      this.i++;
      return { t: 'set', r: DOT };
    }
    if (c === '\\') {
      this.i++;
      return { t: 'set', r: this.escape(false) };
    }
    if (c === '^' || c === '$') this.fail('anchors are not supported: the whole output is matched (anchoring is implicit)');
    if (c === '*' || c === '+' || c === '?') this.fail(`nothing to repeat before ${JSON.stringify(c)}`);
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) this.fail('nothing to repeat before "{"');
    this.i++;
    const u = c.charCodeAt(0);
    return { t: 'set', r: [[u, u]] };
  }

  /** After a backslash: the set it stands for. */
  escape(inClass: boolean): Ranges {
    const c = this.src[this.i];
    if (c === undefined) this.fail('trailing backslash');
    this.i++;
    const one = (u: number): Ranges => [[u, u]];
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return negate(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      case 'n':
        return one(10);
      case 't':
        return one(9);
      case 'r':
        return one(13);
      case 'f':
        return one(12);
      case 'v':
        return one(11);
      case '0':
        return one(0);
      case 'x':
      case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`\\${c} needs ${len} hex digits`);
        this.i += len;
        return one(parseInt(hex, 16));
      }
      case 'b':
        if (inClass) return one(8);
        this.fail('word boundaries (\\b) are not supported');
    }
    if (/[1-9]/.test(c!)) this.fail('back-references are not supported');
    if (c === 'B' || c === 'k' || c === 'p' || c === 'P' || c === 'c') this.fail(`\\${c} is not supported`);
    if (/[A-Za-z]/.test(c!)) this.fail(`unknown escape \\${c}`);
    return one(c!.charCodeAt(0));
  }

  cls(): Ranges {
    this.i++; // [
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const r: Ranges = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('missing "]"');
      if (c === ']' && !first) break;
      if (c === ']' && first) this.fail('empty class [] is not supported');
      first = false;
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classAtom();
        if (lo.length !== 1 || hi.length !== 1 || lo[0]![0] !== lo[0]![1] || hi[0]![0] !== hi[0]![1])
          this.fail('a class range needs single characters at both ends');
        if (hi[0]![0] < lo[0]![0]) this.fail('class range out of order');
        r.push([lo[0]![0], hi[0]![0]]);
      } else r.push(...lo);
    }
    this.i++; // ]
    return neg ? negate(r) : norm(r);
  }

  classAtom(): Ranges {
    const c = this.src[this.i]!;
    this.i++;
    if (c === '\\') return this.escape(true);
    const u = c.charCodeAt(0);
    return [[u, u]];
  }
}

/** Parse `src` (throws RegexError with a clear message on unsupported or bad syntax). */
export function parseRegex(src: string): unknown {
  return new Parser(src).parse();
}

/** Thompson NFA: per state, ε-edges and at most one set-labelled edge. */
interface Nfa {
  eps: number[][];
  set: (Ranges | null)[];
  to: number[];
  start: number;
  accept: number;
}

function buildNfa(root: Node): Nfa {
  const nfa: Nfa = { eps: [], set: [], to: [], start: 0, accept: 0 };
  const add = () => {
    if (nfa.eps.length >= MAX_NFA_STATES) throw new RegexError(`regex: the automaton exceeds ${MAX_NFA_STATES} NFA states (use smaller repeat counts)`);
    nfa.eps.push([]);
    nfa.set.push(null);
    nfa.to.push(-1);
    return nfa.eps.length - 1;
  };
  // Returns [in, out] of the fragment.
  const frag = (n: Node): [number, number] => {
    switch (n.t) {
      case 'set': {
        const a = add();
        const b = add();
        nfa.set[a] = n.r;
        nfa.to[a] = b;
        return [a, b];
      }
      case 'cat': {
        if (n.a.length === 0) {
          const a = add();
          return [a, a];
        }
        const parts = n.a.map(frag);
        for (let i = 0; i + 1 < parts.length; i++) nfa.eps[parts[i]![1]]!.push(parts[i + 1]![0]);
        return [parts[0]![0], parts.at(-1)![1]];
      }
      case 'alt': {
        const a = add();
        const b = add();
        for (const x of n.a) {
          const [i, o] = frag(x);
          nfa.eps[a]!.push(i);
          nfa.eps[o]!.push(b);
        }
        return [a, b];
      }
      case 'rep': {
        const a = add();
        let cur = a;
        for (let k = 0; k < n.min; k++) {
          const [i, o] = frag(n.n);
          nfa.eps[cur]!.push(i);
          cur = o;
        }
        const end = add();
        if (n.max === Infinity) {
          const [i, o] = frag(n.n);
          nfa.eps[cur]!.push(i, end);
          nfa.eps[o]!.push(i, end);
        } else {
          for (let k = n.min; k < n.max; k++) {
            const [i, o] = frag(n.n);
            nfa.eps[cur]!.push(i, end);
            cur = o;
          }
          nfa.eps[cur]!.push(end);
        }
        return [a, end];
      }
    }
  };
  const [s, e] = frag(root);
  nfa.start = s;
  nfa.accept = e;
  return nfa;
}

/**
 * A complete DFA over the alphabet partition: `step(s, char)` is the next state (−1 = no
 * transition, i.e. the dead state ⊥), `live[s]` whether s can still reach an accepting state.
 */
export class Dfa {
  /** Boundaries of the alphabet classes: class j covers code units [bounds[j], bounds[j+1]). */
  private readonly bounds: number[];
  /** trans[s * classes + j]: next state or −1. */
  private readonly trans: Int32Array;
  readonly accepting: boolean[];
  readonly live: boolean[];
  readonly start = 0;

  constructor(readonly source: string) {
    const nfa = buildNfa(new Parser(source).parse());
    const cuts = new Set<number>([0, MAXU + 1]);
    for (const r of nfa.set) if (r) for (const [a, b] of r) cuts.add(a).add(b + 1);
    this.bounds = [...cuts].sort((x, y) => x - y);
    const classes = this.bounds.length - 1;
    const closure = (states: number[]): number[] => {
      const seen = new Set(states);
      const stack = [...states];
      while (stack.length) {
        for (const t of nfa.eps[stack.pop()!]!) {
          if (seen.has(t)) continue;
          seen.add(t);
          stack.push(t);
        }
      }
      return [...seen].sort((x, y) => x - y);
    };
    const ids = new Map<string, number>();
    const sets: number[][] = [];
    const trans: number[] = [];
    const intern = (set: number[]): number => {
      const key = set.join(',');
      let id = ids.get(key);
      if (id === undefined) {
        if (sets.length >= MAX_DFA_STATES) throw new RegexError(`regex: the DFA exceeds ${MAX_DFA_STATES} states (simplify the pattern)`);
        id = sets.length;
        ids.set(key, id);
        sets.push(set);
      }
      return id;
    };
    intern(closure([nfa.start]));
    for (let s = 0; s < sets.length; s++) {
      for (let j = 0; j < classes; j++) {
        const u = this.bounds[j]!;
        const next: number[] = [];
        for (const q of sets[s]!) {
          const r = nfa.set[q];
          if (r && r.some(([a, b]) => u >= a && u <= b)) next.push(nfa.to[q]!);
        }
        trans[s * classes + j] = next.length === 0 ? -1 : intern(closure(next));
      }
    }
    this.trans = Int32Array.from(trans);
    this.accepting = sets.map((set) => set.includes(nfa.accept));
    // Live = can reach accepting: reverse reachability.
    const live = [...this.accepting];
    let changed = true;
    while (changed) {
      changed = false;
      for (let s = 0; s < sets.length; s++) {
        if (live[s]) continue;
        for (let j = 0; j < classes; j++) {
          const t = this.trans[s * classes + j]!;
          if (t >= 0 && live[t]) {
            live[s] = true;
            changed = true;
            break;
          }
        }
      }
    }
    this.live = live;
  }

  get size(): number {
    return this.accepting.length;
  }

  private classOf(u: number): number {
    let lo = 0;
    let hi = this.bounds.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.bounds[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Next state on code unit `u`, or −1 (⊥) when there is none or it cannot reach acceptance. */
  step(s: number, u: number): number {
    const t = this.trans[s * (this.bounds.length - 1) + this.classOf(u)]!;
    return t >= 0 && this.live[t] ? t : -1;
  }

  /** Run `text` from `s`: the state reached, or −1 once dead. */
  run(s: number, text: string): number {
    for (let i = 0; i < text.length && s >= 0; i++) s = this.step(s, text.charCodeAt(i));
    return s;
  }

  /** Whole-string match. */
  matches(text: string): boolean {
    const s = this.run(this.start, text);
    return s >= 0 && this.accepting[s]!;
  }

  /** Whether `text` is a prefix of some matching string. */
  isPrefix(text: string): boolean {
    return this.run(this.start, text) >= 0;
  }
}

/** Compile `src` (throws RegexError). The start state may itself be dead (empty language): callers check `live[start]`. */
export function compileRegex(src: string): Dfa {
  return new Dfa(src);
}
