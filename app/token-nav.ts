/** Keyboard movement between token spans (pure): the index to focus next, or null. */
export function nextTokenIndex(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The span of token `index` inside a panel's token container (null when not rendered). */
export function tokenElement(container: ParentNode | null | undefined, index: number): HTMLElement | null {
  return container?.querySelector<HTMLElement>(`.token[data-index="${index}"]`) ?? null;
}
