/** Small stroke icons (inline SVG, so they never depend on a font having the glyph); decorative only. */

const PATHS = {
  earlier: 'M15 5l-7 7 7 7',
  later: 'M9 5l7 7-7 7',
  duplicate: 'M8 8h11v11H8z M5 16V5h11',
  remove: 'M6 6l12 12 M18 6L6 18',
  enlarge: 'M4 9V4h5 M20 9V4h-5 M4 15v5h5 M20 15v5h-5',
  restore: 'M9 4v5H4 M15 4v5h5 M9 20v-5H4 M15 20v-5h5',
} as const;

/** Names of the available icons. */
export type IconName = keyof typeof PATHS;

/** A 18 px icon drawn in the current text colour, hidden from assistive technology. */
export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
