/**
 * One speculative iteration as chips: each drafted token with its fate (accepted ✓, rejected and
 * struck through ✗, discarded after a rejection), then the token the target added (resampled or
 * bonus). Fates are written out for screen readers, not only coloured.
 */
import type { DraftFate, DraftView } from './speculative-view';
import { idText } from '../../../app/token-text';

/** The target's own token closing an iteration. */
export interface EmittedChip {
  id: number;
  text?: string;
  fate: 'resampled' | 'bonus';
}

/** Each fate in words (screen readers, and the timeline legend). */
export const FATE_WORD: Record<DraftFate | EmittedChip['fate'], string> = {
  accepted: 'accepted',
  rejected: 'rejected',
  discarded: 'discarded',
  resampled: 'resampled',
  bonus: 'bonus',
};

/** The mark of each fate (the timeline legend lists them). */
export const GLYPH: Record<DraftFate | EmittedChip['fate'], string> = {
  accepted: '✓',
  rejected: '✗',
  discarded: '',
  resampled: '↻',
  bonus: '+',
};

interface Props {
  drafts: readonly DraftView[];
  emitted: EmittedChip | null;
  texts: ReadonlyMap<number, string>;
}

/** Chips of one iteration (drafts in order, then the target's token when known). */
export function DraftChips({ drafts, emitted, texts }: Props) {
  const chips: { id: number; text?: string | undefined; fate: DraftFate | EmittedChip['fate'] }[] = [...drafts, ...(emitted ? [emitted] : [])];
  return (
    <ol className="chips" aria-label="Drafted tokens and their fate">
      {chips.map((c, i) => (
        <li key={i} className={`chip chip-${c.fate}`} data-fate={c.fate} data-testid="draft-chip">
          {GLYPH[c.fate] && <span aria-hidden="true">{GLYPH[c.fate]} </span>}
          {c.fate === 'rejected' || c.fate === 'discarded' ? <s>{idText(texts, c.id, c.text)}</s> : <span>{idText(texts, c.id, c.text)}</span>}
          <span className="visually-hidden"> ({FATE_WORD[c.fate]})</span>
        </li>
      ))}
    </ol>
  );
}
