/** Hook: whether a form field has a validation message right now. */
import { useAppStore } from '../store';
import type { FormField } from '../validation';

/** True while the last validation flagged `field`. */
export function useFieldInvalid(field: FormField): boolean {
  return useAppStore((s) => s.validationErrors.some((e) => e.field === field));
}
