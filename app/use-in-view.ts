/** Hook: whether an element is on (or within `margin` of) the screen, via IntersectionObserver. */
import { useEffect, useState, type RefObject } from 'react';

/** True while `ref`'s element intersects the viewport grown by `margin` (true where IntersectionObserver is missing). */
export function useInView(ref: RefObject<Element | null>, margin = '200px'): boolean {
  const [inView, setInView] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), { rootMargin: margin });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, margin]);
  return inView;
}
