// Small random llama2.c checkpoints and tokenizers for the importer's shape cases (GQA or not,
// shared or separate classifier) that the two real checkpoints do not cover.
import type { Llama2cHeader } from '../../protocol';
import { Rng } from '../../workers/rng';

/** Header numbers of a synthetic checkpoint: the checkpoint reader's header. */
export type SyntheticShape = Llama2cHeader;

/** A legacy-v0 checkpoint with uniform random weights (norm weights near 1). */
export function syntheticCheckpoint(s: SyntheticShape, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const rand = (): number => rng.next();
  const hs = s.dim / s.nHeads;
  const kvDim = s.nKvHeads * hs;
  const L = s.nLayers;
  const counts: [number, number][] = [
    [s.vocabSize * s.dim, 0.5],
    [L * s.dim, -1],
    [L * s.dim * s.dim, 0.3],
    [L * s.dim * kvDim, 0.3],
    [L * s.dim * kvDim, 0.3],
    [L * s.dim * s.dim, 0.3],
    [L * s.dim, -1],
    [L * s.hiddenDim * s.dim, 0.3],
    [L * s.dim * s.hiddenDim, 0.3],
    [L * s.hiddenDim * s.dim, 0.3],
    [s.dim, -1],
  ];
  const floats: number[] = [];
  for (const [n, scale] of counts) for (let i = 0; i < n; i++) floats.push(scale < 0 ? 1 + 0.2 * (rand() - 0.5) : scale * (2 * rand() - 1));
  for (const fn of [Math.cos, Math.sin]) {
    for (let p = 0; p < s.seqLen; p++) for (let i = 0; i < hs / 2; i++) floats.push(fn(p / Math.pow(10000, (2 * i) / hs)));
  }
  if (!s.sharedClassifier) for (let i = 0; i < s.vocabSize * s.dim; i++) floats.push(0.5 * (2 * rand() - 1));
  const out = new Uint8Array(28 + floats.length * 4);
  const view = new DataView(out.buffer);
  [s.dim, s.hiddenDim, s.nLayers, s.nHeads, s.nKvHeads, s.sharedClassifier ? s.vocabSize : -s.vocabSize, s.seqLen].forEach((v, i) => view.setInt32(i * 4, v, true));
  floats.forEach((v, i) => view.setFloat32(28 + i * 4, v, true));
  return out;
}

/**
 * A tokenizer.bin: <unk>, <s>, </s>, 256 byte tokens, then `pieces`, each a string (score falling
 * with the id, as SentencePiece writes them) or [string, score] (to make merge order differ from ids).
 */
export function syntheticTokenizer(pieces: (string | [string, number])[]): Uint8Array {
  const named = pieces.map((p, i): [string, number] => (typeof p === 'string' ? [p, -i] : p));
  const scores = [0, 0, 0, ...new Array<number>(256).fill(0), ...named.map(([, sc]) => sc)];
  const all = ['<unk>', '\n<s>\n', '\n</s>\n', ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`), ...named.map(([p]) => p)];
  const enc = new TextEncoder();
  const parts = all.map((p) => enc.encode(p));
  const maxLen = Math.max(...parts.map((p) => p.length));
  const out = new Uint8Array(4 + parts.reduce((a, p) => a + 8 + p.length, 0));
  const view = new DataView(out.buffer);
  view.setInt32(0, maxLen, true);
  let at = 4;
  parts.forEach((p, i) => {
    view.setFloat32(at, scores[i]!, true);
    view.setInt32(at + 4, p.length, true);
    out.set(p, at + 8);
    at += 8 + p.length;
  });
  return out;
}
