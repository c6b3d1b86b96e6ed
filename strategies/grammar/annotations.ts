/**
 * The grammar family's annotations: `kind: 'grammar'` (grammar-constrained decoding and ASAp).
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** Where a grammar token came from. */
export type GrammarProvenance = 'model choice' | 'forced by grammar' | 'grammar end';

/** One bar of the ASAp popover: the model's p(t|w) and the ASAp proposal's unnormalised p·θ̂. */
export type GrammarBar = { id: number; text: string; p: number; pTheta: number };

/** One distinct complete ASAp sample and how often it was drawn. */
export type GrammarSampleCount = { text: string; grammatical: boolean; count: number };

/** One grammar token. */
export type GrammarAnnotations = {
  kind: 'grammar';
  provenance: GrammarProvenance;
  /** 'gcd' = plain masking, 'asap' = ASAp. */
  mode: 'gcd' | 'asap';
  /** DFA state before the token, and after it. */
  state: number;
  nextState: number;
  /** Whether the state after the token accepts (the text so far matches). */
  accepting: boolean;
  /** Tokens allowed here (EOS included when the state accepts) and the vocabulary size. */
  allowed: number;
  vocab: number;
  /** 1 − Σ_{allowed t} p(t|w): the model's (raw) probability mass the mask removed here. */
  removedMass: number;
  /** The model's own top token (raw argmax) and whether the grammar allowed it. */
  modelTop: { id: number; text: string; prob: number; allowed: boolean };
  /** Probability of the token in the distribution it was drawn from (masked chain; ASAp: q ∝ p·θ̂). */
  processedProb: number;
  sampled: boolean;
  /** DFA states built so far (allowed sets cached). */
  visitedStates: number;
  /** ASAp only. */
  asap?: {
    /** This emitted sample's number (the last) and the number drawn. */
    sample: number;
    samples: number;
    /** θ̂(w, t) of the emitted token when it was drawn. */
    theta: number;
    /** 1 − Σ p·θ̂ over the allowed tokens: mass known (so far) to lead out of the grammar or removed by the mask. */
    lostMass: number;
    /** Top tokens by p with p·θ̂. */
    bars: GrammarBar[];
    /** Trie nodes and model forwards so far (shared prefixes cost none). */
    trieNodes: number;
    forwards: number;
    /** First and last token: the earlier (first) or all (last) complete samples, grouped, most frequent first. */
    distribution?: GrammarSampleCount[];
  };
};
