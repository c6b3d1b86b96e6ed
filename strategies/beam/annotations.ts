/**
 * The beam search family's annotations: `kind: 'beam'`.
 * Types only, imported by the family's worker/ and ui/; protocol/annotations.ts puts them in the
 * token annotations union. Field by field in docs/run-format.md#annotations.
 */

/** One candidate of the step that chose a token (it entered its group's top K). */
export type BeamCandidate = {
  id: number;
  text: string;
  /** Group of the beam it extends. */
  group: number;
  /** Beam (global index) it extends, and whether that beam's text so far is the output's. */
  parent: number;
  onOutput: boolean;
  /** Log-probability of the token (after the diversity penalty) and the penalty subtracted. */
  lp: number;
  penalty: number;
  /** S, the hypothesis's sum of log-probabilities with this token. */
  score: number;
  fate: 'kept' | 'finished' | 'pruned';
};

/** A finished hypothesis (last token only). */
export type BeamFinished = { text: string; sum: number; length: number; score: number; group: number; output: boolean };

/** One beam search token. */
export type BeamAnnotations = {
  kind: 'beam';
  /** The search step that chose the token (0 = the first new token). */
  step: number;
  /** Log-probability of the token on the output hypothesis, and the hypothesis's S with it. */
  lp: number;
  sum: number;
  /** Rank of the output's candidate in this step's candidates of its group (0: the output led the search here). */
  rank: number;
  /** Beams, groups. */
  numBeams: number;
  groups: number;
  /** The step's candidates in their group's score order. */
  candidates: BeamCandidate[];
  /** Last token only: every finished hypothesis, best first, the output marked; and why the search stopped. */
  finished?: BeamFinished[];
  stop?: 'no better hypothesis possible' | 'early stopping' | 'budget' | 'end of sequence';
};
