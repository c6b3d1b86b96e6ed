/** What one strategy family's UI registers (strategies/ui-registry.ts). */
import type { ReactNode } from 'react';
import type { AnnotationKind, TokenRecord } from '../protocol';

/** A provenance category's swatch colour (`#rrggbb`) and its legend text. */
export interface ProvenanceStyle {
  color: string;
  label: string;
}

/** What a detail view gets: the token, its panel's tokens, its index, and the texts of the ids it may name. */
export interface DetailProps {
  token: TokenRecord;
  tokens: readonly TokenRecord[];
  index: number;
  texts: ReadonlyMap<number, string>;
}

/** A paper or source behind a strategy. */
export interface PaperLink {
  /** Authors, year and title, as docs/algorithms.md#references cites it. */
  cite: string;
  url: string;
}

/** What a panel's "?" shows about one strategy (content from docs/algorithms.md, kept in its family's ui/). */
export interface StrategyExplanation {
  /** One line (under ~110 characters) shown under the panel title. */
  summary: string;
  /** The rule as plain HTML math (<i>, <sub>, <sup>): no math library. */
  formula: ReactNode;
  /** Parameters to explain first, by schema name (the others are listed after them by name). */
  keyParams: readonly string[];
  papers: readonly PaperLink[];
  /** Where the method is our reading of an incompletely published paper: what we chose. */
  interpretation?: string;
}

/** The UI of one annotation kind: its detail view, its provenance categories and their legend. */
export interface StrategyUi<P extends string = string> {
  /** The annotations it renders (protocol/annotations.ts). */
  kind: AnnotationKind;
  /** Strategy ids whose panels show its categories in the legend. */
  strategies: readonly string[];
  /** Its provenance categories, in legend order (kinds may share one object; each key is listed once). */
  provenance: Readonly<Record<P, ProvenanceStyle>>;
  /** The category of a token of this kind, or null when its annotations cannot be read. */
  provenanceOf(a: Readonly<Record<string, unknown>>): P | null;
  /** Per strategy id of `strategies`: the explanation behind its panel's "?". */
  explanations: Readonly<Record<string, StrategyExplanation>>;
  /** Its part of the token popover, or null when the annotations cannot be read. */
  Detail(props: DetailProps): ReactNode;
}
