/**
 * Keeps token streams scrolled to their newest token while the reader is at the bottom. All streams
 * that grew are handled in one animation-frame pass that reads every size first and writes every
 * scroll position after, so six streams cost one layout per frame, not six.
 */

const waiting = new Set<HTMLElement>();
const stuck = new WeakMap<HTMLElement, boolean>();
let scheduled = false;

function pass(): void {
  scheduled = false;
  const els = [...waiting];
  waiting.clear();
  const targets = els.map((el) => (stuck.get(el) !== false && el.scrollHeight > el.clientHeight ? el.scrollHeight : null));
  els.forEach((el, i) => {
    const top = targets[i];
    if (top !== null && top !== undefined) el.scrollTop = top;
  });
}

/** The stream grew: scroll it to the bottom in the next frame if its reader is following. */
export function followLater(el: HTMLElement): void {
  waiting.add(el);
  if (scheduled || typeof requestAnimationFrame !== 'function') return;
  scheduled = true;
  requestAnimationFrame(pass);
}

/** The reader scrolled: follow again only once they are back at the bottom. */
export function readerScrolled(el: HTMLElement): void {
  stuck.set(el, el.scrollTop + el.clientHeight >= el.scrollHeight - 24);
}
