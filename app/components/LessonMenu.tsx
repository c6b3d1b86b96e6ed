/** The Lessons menu: opens a built-in lesson (the same as a `lesson=<id>` link). */
import { lessonById, lessonSetup } from '../lesson-setup';
import { LESSONS } from '../lessons';
import { useAppStore } from '../store';

/** A select of the lessons; choosing one sets its setup and shows its card. */
export function LessonMenu() {
  const lesson = useAppStore((s) => s.lesson);
  const lessonOpened = useAppStore((s) => s.lessonOpened);
  const open = (id: string) => {
    const chosen = lessonById(id);
    if (!chosen) return;
    lessonOpened(chosen.id, lessonSetup(chosen).setup);
    // The address bar names the lesson, so the page can be linked or reloaded as it is now.
    window.history.replaceState(null, '', `${window.location.pathname}?lesson=${encodeURIComponent(chosen.id)}`);
  };
  return (
    <div className="lesson-menu">
      <label htmlFor="lesson-select">Lessons</label>
      <select id="lesson-select" data-testid="lesson-select" value={lesson ?? ''} onChange={(e) => open(e.target.value)}>
        <option value="" disabled>
          Choose a lesson…
        </option>
        {LESSONS.map((l) => (
          <option key={l.id} value={l.id}>
            {l.title}
          </option>
        ))}
      </select>
    </div>
  );
}
