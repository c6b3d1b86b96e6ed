import { LogitscopeError } from '../../../workers/errors';
import { processRows } from '../../../workers/decode/fusion';
import { keptLogits } from '../../../workers/decode/kept-logits';
import { changesGreedyLogits, isSampling, parseChain, type ChainParams } from '../../../workers/processors/chain';
import type { RowSummary } from '../../../workers/decode/readout';
import type { TokenSequence } from '../../../workers/decode/sequence';
import type { Rng } from '../../../workers/rng';
import type { StopSignal } from '../../../workers/decode/stop';
import type { GrammarAnnotations, GrammarBar, GrammarSampleCount } from '../annotations';
import type { DecodingStrategy, EmittedToken, StepResult, StrategyRun } from '../../types';
import { backedUp, newNode, pickIndex, proposal, thetaOf, updatePath, type AsapNode } from './asap';
import type { Dfa } from './regex';
import { compileSettings, grammarParams, parseGrammarSettings, type GrammarSettings } from './settings';
import { TokenAutomaton } from './token-automaton';

/** A chain that leaves the logits alone (argmax, no processors): the mask-only row whose mass is measured. */
export const IDENTITY_CHAIN: ChainParams = { ...parseChain({}), temperature: 0, repetitionPenalty: 1, presencePenalty: 0 };

/** Special tokens decode to their names (<unk>, <s>, </s>, <|endoftext|>): never grammar text. */
const SPECIAL_TEXT = /^<(unk|s|\/s|pad|bos|eos|mask|\|[^|<>]+\|)>$/;

/** Bars shown per ASAp token. */
const BARS = 8;
/** Token budget when the context gives none (unit tests). */
const DEFAULT_MAX_TOKENS = 64;

/** What the run needs of the tokenizer: each id's text after the prompt, EOS, ids never allowed. */
export interface GrammarVocab {
  textOf(id: number): string;
  eosId: number;
  excluded: ReadonlySet<number>;
}

/** softmax(z / T) in f64 (−inf entries get 0). */
export function softmaxT(z: Float32Array, temperature: number): Float64Array {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += p[i] = z[i] === -Infinity ? 0 : Math.exp((z[i]! - m) / temperature);
  for (let i = 0; i < z.length; i++) p[i]! /= sum;
  return p;
}

/** A node's cache beyond the pure trie: the raw row (for token records). */
interface NodeRaw {
  raw: RowSummary;
  z: Float32Array;
  removedMass: number;
}

/**
 * One grammar panel (docs/algorithms.md#grammar). GCD: every step masks the row with the allowed set
 * of the current DFA state (the fused allow-bitmask term, on the GPU or its CPU twin) and decodes
 * with the chain; a second mask-only row in the same submit measures the removed mass. ASAp: the
 * first step draws samples 1…N−1 silently through the trie; the steps then emit sample N.
 */
export class GrammarRun implements StrategyRun {
  private auto: TokenAutomaton | null = null;
  private state: number;
  private text = '';
  private readonly promptLength: number;
  private readonly maxLen: number;
  // ASAp
  private root: AsapNode | null = null;
  private readonly raws = new Map<AsapNode, NodeRaw>();
  private nodes = 0;
  private drawn: { text: string; grammatical: boolean }[] = [];
  /** Called after each complete ASAp sample's update (tests watch θ̂). */
  afterSample?: (root: AsapNode) => void;
  private emitting: { node: AsapNode; path: { node: AsapNode; id: number }[]; ids: number[]; first: boolean } | null = null;

  constructor(
    private readonly seq: TokenSequence,
    private readonly s: GrammarSettings,
    private readonly dfa: Dfa,
    private readonly vocab: GrammarVocab,
    private readonly rng: Rng,
    private readonly topK: number,
    maxNewTokens: number | undefined,
    private readonly stop?: StopSignal,
  ) {
    this.state = dfa.start;
    this.promptLength = seq.ids.length;
    // Non-EOS tokens of one output: the budget keeps one token for EOS.
    this.maxLen = Math.max(1, (maxNewTokens ?? DEFAULT_MAX_TOKENS) - 1);
  }

  private automaton(validVocab: number): TokenAutomaton {
    this.auto ??= new TokenAutomaton(
      this.dfa,
      Array.from({ length: validVocab }, (_, id) => this.vocab.textOf(id)),
      this.vocab.eosId,
      this.vocab.excluded,
    );
    return this.auto;
  }

  private textOf(id: number): string {
    return id === this.vocab.eosId ? '' : (this.auto!.texts[id] ?? '');
  }

  step(): Promise<StepResult> {
    return this.s.asap ? this.asapStep() : this.gcdStep();
  }

  private noToken(state: number): never {
    throw new LogitscopeError(
      'bad-request',
      `grammar: no token of this vocabulary continues the pattern after ${JSON.stringify(this.text)} (DFA state ${state}); the pattern needs characters the tokenizer cannot produce here`,
    );
  }

  private async gcdStep(): Promise<StepResult> {
    const history = [...this.seq.ids];
    const logits = await this.seq.forwardPending();
    let token: EmittedToken;
    try {
      const auto = this.automaton(logits.validVocab);
      const from = this.state;
      const a = auto.allowed(from);
      if (a.ids.length === 0) this.noToken(from);
      const at = logits.rowIndex(0, -1);
      const uniform = isSampling(this.s.chain) ? this.rng.next() : null;
      // The removed mass needs the mask-only row (identity chain); a plain greedy chain is that row already.
      const plain = uniform === null && !changesGreedyLogits(this.s.chain);
      const main = { row: at, opts: { chain: this.s.chain, history, uniform, k: this.topK, allow: a.mask, labLabel: 'masked chain' } };
      const rows = plain
        ? await processRows(this.seq, logits, [main])
        : await processRows(this.seq, logits, [
            { row: at, opts: { chain: IDENTITY_CHAIN, history, uniform: null, k: 1, allow: a.mask, labLabel: 'mask only', mirostatPeek: true } },
            main,
          ]);
      const [massRow, row] = plain ? [rows[0], rows[0]] : rows;
      const raw = row!.raw;
      const lseMasked = massRow!.processedTop.logits[0]! - Math.log(massRow!.processedProb);
      const removedMass = Math.min(1, Math.max(0, 1 - Math.exp(lseMasked - raw.lse)));
      const id = row!.id;
      const next = auto.step(from, id);
      if (next < 0) throw new Error(`grammar: the masked row chose a disallowed token ${id}`);
      this.state = next;
      this.text += this.textOf(id);
      const topId = raw.topIds[0]!;
      const topAllowed = a.ids.includes(topId);
      const annotations: GrammarAnnotations = {
        kind: 'grammar',
        provenance: id === this.vocab.eosId ? 'grammar end' : topAllowed ? 'model choice' : 'forced by grammar',
        mode: 'gcd',
        state: from,
        nextState: next,
        accepting: this.dfa.accepting[next]!,
        allowed: a.ids.length,
        vocab: auto.vocab,
        removedMass,
        modelTop: { id: topId, text: this.textOf(topId), prob: Math.exp(raw.topLogits[0]! - raw.lse), allowed: topAllowed },
        processedProb: row!.processedProb,
        sampled: row!.sampled,
        visitedStates: auto.visited,
      };
      token = { id, base: raw, annotations };
    } finally {
      logits.dispose();
    }
    this.seq.commit([token.id]);
    return { tokens: [token] };
  }

  // ---------------------------------------------------------------- ASAp

  /** Forward `node`'s prefix (the ids committed to the sequence) once and cache p over its allowed ids. */
  private async expand(node: AsapNode): Promise<void> {
    if (node.p) return;
    await this.stop?.checkpoint();
    const history = [...this.seq.ids];
    const logits = await this.seq.forwardPending();
    try {
      const auto = this.automaton(logits.validVocab);
      const at = logits.rowIndex(0, -1);
      // The raw row (identity chain), kept and read back once: ASAp's p = softmax(z / T) over the whole
      // vocabulary (the chain's penalties and warpers do not apply: a warper would cut EOS and the mass
      // the θ̂ recursion needs).
      const [rawRow] = await processRows(this.seq, logits, [
        {
          row: at,
          opts: { chain: IDENTITY_CHAIN, history, uniform: null, k: this.topK, keep: true, labLabel: 'raw (ASAp p = softmax(z/T))', mirostatPeek: true },
        },
      ]);
      let z: Float32Array;
      try {
        z = await keptLogits(this.seq, rawRow!.distribution!);
      } finally {
        rawRow!.distribution?.dispose();
      }
      const p = softmaxT(z, this.s.chain.temperature);
      const a = auto.allowed(node.state);
      // At the length limit only EOS may follow (G ∩ {|y| ≤ Lmax}).
      const ids = node.depth >= this.maxLen ? a.ids.filter((id) => id === this.vocab.eosId) : a.ids;
      node.ids = ids;
      node.p = Float64Array.from(ids, (id) => p[id]!);
      let kept = 0;
      for (const id of a.ids) kept += p[id]!;
      this.raws.set(node, { raw: rawRow!.raw, z, removedMass: Math.min(1, Math.max(0, 1 - kept)) });
    } finally {
      logits.dispose();
    }
  }

  /** Draw the next token at `node` from q ∝ p·θ̂ (−1: nothing left, a truncated sample). */
  private async draw(node: AsapNode): Promise<{ id: number; q: ReturnType<typeof proposal>; j: number }> {
    await this.expand(node);
    const q = proposal(node);
    const u = this.rng.next();
    const j = pickIndex(q.w, q.total, u);
    return { id: j < 0 ? -1 : q.ids[j]!, q, j };
  }

  private child(node: AsapNode, id: number): AsapNode {
    let c = node.children.get(id);
    if (!c) {
      c = newNode(this.auto!.step(node.state, id), node.depth + 1);
      node.children.set(id, c);
      this.nodes++;
    }
    return c;
  }

  private startSample(): AsapNode {
    if (!this.root) {
      this.root = newNode(this.dfa.start, 0);
      this.nodes = 1;
    }
    this.seq.truncate(this.promptLength);
    return this.root;
  }

  private finishSample(path: { node: AsapNode; id: number }[], ids: number[], grammatical: boolean): void {
    updatePath(path, this.vocab.eosId);
    this.afterSample?.(this.root!);
    this.drawn.push({
      text: ids
        .filter((id) => id !== this.vocab.eosId)
        .map((id) => this.textOf(id))
        .join(''),
      grammatical,
    });
    if (this.root!.p && backedUp(this.root!) === 0 && this.drawn.length < this.s.samples) {
      throw new LogitscopeError(
        'bad-request',
        `grammar: ASAp found no grammatical output within ${this.maxLen} tokens (raise max tokens or loosen the pattern)`,
      );
    }
  }

  /** One silent ASAp sample from the prompt. */
  private async silentSample(): Promise<void> {
    let node = this.startSample();
    const path: { node: AsapNode; id: number }[] = [];
    const ids: number[] = [];
    for (;;) {
      const { id } = await this.draw(node);
      if (id < 0) return this.finishSample(path, ids, false);
      path.push({ node, id });
      ids.push(id);
      if (id === this.vocab.eosId) return this.finishSample(path, ids, true);
      this.seq.commit([id]);
      node = this.child(node, id);
    }
  }

  /** Every complete ASAp sample so far: its text and whether it ended grammatically. */
  get samplesDrawn(): readonly { text: string; grammatical: boolean }[] {
    return this.drawn;
  }

  private distribution(): GrammarSampleCount[] {
    const m = new Map<string, GrammarSampleCount>();
    for (const d of this.drawn) {
      const key = `${d.grammatical ? 1 : 0}${d.text}`;
      const e = m.get(key) ?? { text: d.text, grammatical: d.grammatical, count: 0 };
      e.count++;
      m.set(key, e);
    }
    return [...m.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
  }

  private async asapStep(): Promise<StepResult> {
    if (!this.emitting) {
      for (let n = 1; n < this.s.samples; n++) await this.silentSample();
      this.emitting = { node: this.startSample(), path: [], ids: [], first: true };
    }
    const e = this.emitting;
    const node = e.node;
    const { id: drawn, q, j } = await this.draw(node);
    const nr = this.raws.get(node)!;
    const a = this.auto!.allowed(node.state);
    // Nothing left (the budget ends before any grammatical ending): end with EOS, marked not accepting.
    const id = drawn < 0 ? this.vocab.eosId : drawn;
    const truncated = drawn < 0;
    const theta = drawn < 0 ? 0 : thetaOf(node, id);
    const next = truncated ? node.state : this.auto!.step(node.state, id);
    const order = node
      .ids!.map((t, k) => ({ t, k }))
      .sort((x, y) => node.p![y.k]! - node.p![x.k]! || x.t - y.t)
      .slice(0, BARS);
    const bars: GrammarBar[] = order.map(({ t, k }) => ({ id: t, text: this.textOf(t), p: node.p![k]!, pTheta: node.p![k]! * thetaOf(node, t) }));
    const ends = id === this.vocab.eosId;
    if (!truncated) e.path.push({ node, id });
    e.ids.push(id);
    const raw = nr.raw;
    const topId = raw.topIds[0]!;
    const topAllowed = a.ids.includes(topId);
    const annotations: GrammarAnnotations = {
      kind: 'grammar',
      provenance: ends ? 'grammar end' : topAllowed ? 'model choice' : 'forced by grammar',
      mode: 'asap',
      state: node.state,
      nextState: next,
      accepting: !truncated && this.dfa.accepting[next]!,
      allowed: a.ids.length,
      vocab: this.auto!.vocab,
      removedMass: nr.removedMass,
      modelTop: { id: topId, text: this.textOf(topId), prob: Math.exp(raw.topLogits[0]! - raw.lse), allowed: topAllowed },
      processedProb: j >= 0 && q.total > 0 ? q.w[j]! / q.total : 0,
      sampled: true,
      visitedStates: this.auto!.visited,
      asap: {
        sample: this.s.samples,
        samples: this.s.samples,
        theta,
        lostMass: Math.min(1, Math.max(0, 1 - q.total)),
        bars,
        trieNodes: this.nodes,
        forwards: this.seq.forwards,
      },
    };
    if (e.first && this.drawn.length > 0) annotations.asap!.distribution = this.distribution();
    e.first = false;
    this.seq.commit([id]);
    if (ends) {
      this.finishSample(e.path, e.ids, !truncated);
      annotations.asap!.distribution = this.distribution();
      annotations.asap!.trieNodes = this.nodes;
    } else e.node = this.child(node, id);
    this.text += this.textOf(id);
    const base: RowSummary = { ...raw, tokenLogit: nr.z[id] ?? null };
    return { tokens: [{ id, base, annotations }] };
  }
}

/**
 * Grammar-constrained decoding (regex or a JSON-schema subset → DFA → token-level allowed sets,
 * applied as the fused allow-bitmask) and ASAp (Park et al. 2024): adaptive sampling with
 * approximate expected futures, whose samples converge to the grammar-conditioned distribution.
 */
export const grammar: DecodingStrategy = {
  info: {
    id: 'grammar',
    label: 'Grammar-constrained (regex / ASAp)',
    description:
      'Only tokens that keep the output a valid prefix of a regex (or a small JSON schema) are allowed. Plain masking is biased; ASAp (asap = 1, our interpretation of the paper’s update) draws several samples and learns how much probability each prefix really keeps.',
    needsDraft: false,
    interpretation: true,
    params: grammarParams(),
  },
  start(ctx) {
    const settings = parseGrammarSettings(ctx.params);
    const dfa = compileSettings(settings);
    const eosId = ctx.eosIds?.[0];
    if (eosId === undefined) throw new LogitscopeError('bad-request', 'grammar decoding needs the tokenizer’s end-of-sequence id');
    const tok = ctx.capabilities?.batched?.model.tokenizer;
    const excluded = new Set<number>(ctx.eosIds ?? []);
    if (tok?.bosId !== null && tok?.bosId !== undefined) excluded.add(tok.bosId);
    const prompt = [...ctx.target.ids];
    const textAfter = ctx.textAfter;
    if (!textAfter) throw new LogitscopeError('internal', 'grammar decoding needs the model’s tokenizer (token texts)');
    const vocab: GrammarVocab = {
      textOf: (id) => {
        const t = textAfter(prompt, id);
        return SPECIAL_TEXT.test(t.trim()) ? '' : t;
      },
      eosId,
      excluded,
    };
    return new GrammarRun(ctx.target, settings, dfa, vocab, ctx.rng, ctx.topK, ctx.maxNewTokens, ctx.stop);
  },
};
