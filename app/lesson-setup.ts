/**
 * A lesson's setup as form state: its query string read by the shared-link parser (so a lesson can
 * carry nothing a link could not), and whether the form still is that setup (Share keeps
 * `lesson=<id>` only then).
 */
import { LESSONS, type Lesson } from './lessons';
import { DEFAULT_URL_STATE, parseUrlState, serializeUrlState, type UrlFieldError, type UrlMode, type UrlState } from './url-state';
import { urlStateOfForm } from './share';
import type { RunForm } from './validation';

/** What opening a lesson sets: everything but the backend and dtype, which stay the reader's. */
export type LessonSetup = Pick<UrlState, 'model' | 'draft' | 'prompt' | 'maxNewTokens' | 'seed' | 'panels' | 'chatTemplate'>;

/** The lesson with `id`, or undefined. */
export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The lesson's setup (fields it leaves out take the link defaults) and any field the parser refused. */
export function lessonSetup(lesson: Lesson): { setup: LessonSetup; errors: UrlFieldError[] } {
  const { state, errors } = parseUrlState(lesson.setup);
  const full = { ...DEFAULT_URL_STATE, ...state };
  return {
    setup: { model: full.model, draft: full.draft, prompt: full.prompt, maxNewTokens: full.maxNewTokens, seed: full.seed, panels: full.panels, chatTemplate: full.chatTemplate },
    errors,
  };
}

/** Whether `form` is still exactly the setup of lesson `id` (its backend and dtype aside). */
export function formIsLesson(form: RunForm, id: string): boolean {
  const lesson = lessonById(id);
  if (!lesson) return false;
  const current = urlStateOfForm(form);
  const wanted: UrlState = { ...current, ...lessonSetup(lesson).setup };
  return serializeUrlState(current) === serializeUrlState(wanted);
}

/** The share state of the form (with the page modes on), naming lesson `id` while the form is still its setup. */
export function shareStateOf(form: RunForm, lesson: string | null, modes: UrlMode[] = []): UrlState {
  const state = urlStateOfForm(form, modes);
  return lesson !== null && formIsLesson(form, lesson) ? { ...state, lesson } : state;
}
