/**
 * Tab order around a pinned token popover. The popover lives at the end of <body> (CSS containment
 * would clip it inside the panel), so the browser's Tab order would never reach its close button:
 * Tab from the token goes to the popover, and Tab from the popover goes on to what follows the token.
 */

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), details > summary, [tabindex]:not([tabindex="-1"])';

/** Inside a closed <details> (its summary aside): not rendered, so not focusable, though it may keep a box. */
function folded(el: Element): boolean {
  const d = el.closest('details:not([open])');
  return d !== null && !(el.tagName === 'SUMMARY' && el.parentElement === d);
}

/** The first element after `from` in document order that Tab can reach (not inside `skip`), or null. */
export function nextTabbable(from: Element, skip: Element | null): HTMLElement | null {
  for (const el of Array.from(from.ownerDocument.querySelectorAll<HTMLElement>(TABBABLE))) {
    if (!(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
    if (from.contains(el) || skip?.contains(el) || folded(el)) continue;
    // Hidden elements (display: none, a folded column) have no layout box and take no focus.
    if (el.getClientRects().length === 0) continue;
    return el;
  }
  return null;
}
