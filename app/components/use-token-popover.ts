/**
 * Which token's popover is open, driven by hover, keyboard focus and click/tap. Hover and focus
 * show it; click or Enter pins it (until Escape anywhere on the page, its close button, a second
 * click or Enter, or a tap elsewhere), so a teacher can point at it on a projector; arrow keys,
 * Home and End move focus between tokens; the popover itself can be hovered without closing
 * (WCAG 1.4.13).
 */
import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { nextTabbable } from '../focus-order';
import { nextTokenIndex, tokenElement } from '../token-nav';

/** The open popover: token index, and whether a click pinned it. */
export interface ActiveToken {
  index: number;
  pinned: boolean;
}

const HIDE_DELAY_MS = 200;

function tokenIndexOf(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const el = target.closest<HTMLElement>('.token');
  const index = el ? Number(el.dataset.index) : NaN;
  return Number.isInteger(index) ? index : null;
}

/** Popover state plus the event handlers for the token container and the popover. */
export function useTokenPopover(containerRef: RefObject<HTMLElement | null>, popoverRef: RefObject<HTMLElement | null>, count: number) {
  const [active, setActive] = useState<ActiveToken | null>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const cancelHide = useCallback(() => {
    if (hideTimer.current !== null) clearTimeout(hideTimer.current);
    hideTimer.current = null;
  }, []);
  const scheduleHide = useCallback(() => {
    cancelHide();
    hideTimer.current = setTimeout(() => setActive((a) => (a?.pinned ? a : null)), HIDE_DELAY_MS);
  }, [cancelHide]);
  useEffect(() => cancelHide, [cancelHide]);

  // Closing from inside the popover (its button, Escape there) hands focus back to the token, not to <body>.
  const activeIndex = active?.index ?? null;
  const close = useCallback(() => {
    if (activeIndex !== null && popoverRef.current?.contains(document.activeElement)) {
      tokenElement(containerRef.current, activeIndex)?.focus();
    }
    setActive(null);
  }, [activeIndex, containerRef, popoverRef]);

  // A tap or click outside the tokens and the popover, or Escape wherever focus is, closes a pinned popover.
  const pinned = active?.pinned ?? false;
  useEffect(() => {
    if (!pinned) return;
    const onPointerDown = (e: PointerEvent) => {
      const t = e.target as Node | null;
      if (containerRef.current?.contains(t) || popoverRef.current?.contains(t)) return;
      setActive(null);
    };
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      close();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [pinned, containerRef, popoverRef, close]);

  const container = {
    onMouseOver: (e: MouseEvent) => {
      const index = tokenIndexOf(e.target);
      if (index === null) return;
      cancelHide();
      setActive((a) => (a?.pinned ? a : { index, pinned: false }));
    },
    onMouseLeave: scheduleHide,
    onFocus: (e: FocusEvent) => {
      const index = tokenIndexOf(e.target);
      if (index === null) return;
      cancelHide();
      setActive((a) => (a?.index === index ? a : { index, pinned: false }));
    },
    onBlur: (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (containerRef.current?.contains(next) || popoverRef.current?.contains(next)) return;
      setActive((a) => (a?.pinned ? a : null));
    },
    onClick: (e: MouseEvent) => {
      const index = tokenIndexOf(e.target);
      if (index === null) return;
      setActive((a) => (a?.index === index && a.pinned ? null : { index, pinned: true }));
    },
    onKeyDown: (e: KeyboardEvent) => {
      const index = tokenIndexOf(e.target);
      if (index === null) return;
      if (e.key === 'Escape') {
        if (active) e.preventDefault();
        setActive(null);
        return;
      }
      // A pinned popover comes right after its token in the Tab order (see focus-order.ts).
      if (e.key === 'Tab' && !e.shiftKey && active?.pinned && active.index === index) {
        const first = popoverRef.current?.querySelector<HTMLElement>('button');
        if (first) {
          e.preventDefault();
          first.focus();
        }
        return;
      }
      if (e.key === 'Enter') {
        e.preventDefault();
        setActive((a) => (a?.index === index && a.pinned ? { index, pinned: false } : { index, pinned: true }));
        return;
      }
      const next = nextTokenIndex(e.key, index, count);
      if (next === null) return;
      e.preventDefault();
      tokenElement(containerRef.current, next)?.focus();
    },
  };
  const popover = {
    onMouseEnter: cancelHide,
    onMouseLeave: scheduleHide,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Tab' || activeIndex === null) return;
      const token = tokenElement(containerRef.current, activeIndex);
      // Shift+Tab goes back to the token; Tab goes on past the token's stream, as if the popover sat there.
      const target = e.shiftKey ? token : containerRef.current && nextTabbable(containerRef.current, popoverRef.current);
      if (!target) return;
      e.preventDefault();
      target.focus();
    },
  };
  return { active, close, container, popover };
}
