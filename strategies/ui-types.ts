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
  /** Its part of the token popover, or null when the annotations cannot be read. */
  Detail(props: DetailProps): ReactNode;
}
