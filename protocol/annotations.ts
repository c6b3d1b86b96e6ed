/**
 * Token annotations: each strategy family's detail at one token, as one union tagged by `kind`.
 * Each family declares its shapes in its own folder (strategies/<family>/annotations.ts, types
 * only); this file gathers them into the union. The worker emits exactly these shapes; the UI
 * dispatches on `kind` (strategies/<family>/ui/) and still reads every field defensively, because
 * an imported run file may hold anything. Field by field in docs/run-format.md#annotations.
 */
import type { ProcessedAnnotations } from '../strategies/base/annotations';
import type { BeamAnnotations } from '../strategies/beam/annotations';
import type { CaadAnnotations } from '../strategies/caad/annotations';
import type { CntpAnnotations } from '../strategies/cntp/annotations';
import type { ContrastiveAnnotations, SearchAnnotations } from '../strategies/contrastive/annotations';
import type { DolaAnnotations } from '../strategies/dola/annotations';
import type { EadAnnotations } from '../strategies/ead/annotations';
import type { GradAnnotations } from '../strategies/grad/annotations';
import type { NgramAnnotations } from '../strategies/ngram/annotations';
import type { GrammarAnnotations } from '../strategies/grammar/annotations';
import type { SmcAnnotations } from '../strategies/smc/annotations';
import type { SpeculativeAnnotations } from '../strategies/speculative/annotations';
import type { W2sAnnotations } from '../strategies/w2s/annotations';
import type { SuperposedAnnotations } from '../strategies/superposed/annotations';
import type { MultiDraftAnnotations } from '../strategies/multi-draft/annotations';

export type { ProcessedAnnotations } from '../strategies/base/annotations';
export type { BeamAnnotations, BeamCandidate, BeamFinished } from '../strategies/beam/annotations';
export type { CaadAnnotations, CaadNeighbour, CaadProvenance } from '../strategies/caad/annotations';
export type { CntpAnnotations, TrialEnd } from '../strategies/cntp/annotations';
export type { ContrastiveAnnotations, ModelView, ProbEntry, SearchAnnotations, SearchCandidate } from '../strategies/contrastive/annotations';
export type { DolaAnnotations, DolaCandidate } from '../strategies/dola/annotations';
export type { EadAnnotations } from '../strategies/ead/annotations';
export type { GradAnnotations, GradProvenance } from '../strategies/grad/annotations';
export type { NgramAnnotations, NgramProvenance } from '../strategies/ngram/annotations';
export type { GrammarAnnotations, GrammarBar, GrammarProvenance, GrammarSampleCount } from '../strategies/grammar/annotations';
export type { SmcAnnotations, SmcCompletion, SmcLane, SmcLive, SmcLiveStep } from '../strategies/smc/annotations';
export type { AdedInfo, DraftFate, DraftRecord, EmitFate, NgramRow, RecycledRow, RecyclingInfo, SpeculativeAnnotations } from '../strategies/speculative/annotations';
export type { W2sAnnotations, W2sEntry, W2sProvenance } from '../strategies/w2s/annotations';
export type { SuperposedAnnotations, SuperposedCandidate, SuperposedDraft, SuperposedLive } from '../strategies/superposed/annotations';
export type { MultiDraftAnnotations, MultiDraftRoot, RootFate } from '../strategies/multi-draft/annotations';

/** Greedy without a penalty: nothing beyond the base record (`{}` in the JSON). */
export type NoAnnotations = { kind?: undefined };

/** What a strategy attaches to an emitted token: one family's annotations, or none. */
export type StrategyAnnotations =
  | NoAnnotations
  | ProcessedAnnotations
  | SpeculativeAnnotations
  | ContrastiveAnnotations
  | SearchAnnotations
  | GradAnnotations
  | CntpAnnotations
  | EadAnnotations
  | DolaAnnotations
  | NgramAnnotations
  | GrammarAnnotations
  | CaadAnnotations
  | W2sAnnotations
  | MultiDraftAnnotations
  | BeamAnnotations
  | SmcAnnotations
  | SuperposedAnnotations;

/** Every `kind` a token's annotations can have. */
export type AnnotationKind = NonNullable<StrategyAnnotations['kind']>;

/**
 * A token record's annotations: the union above, open to keys it does not name (records read from
 * a file may come from another version; readers check every field they use).
 */
export type TokenAnnotations = StrategyAnnotations & Record<string, unknown>;
