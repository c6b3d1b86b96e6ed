/** The open lesson's card: its title and what to look at, dismissible. */
import { lessonById } from '../lesson-setup';
import { useAppStore } from '../store';

/** Shown after a lesson is opened, until closed. */
export function LessonCard() {
  const id = useAppStore((s) => (s.lessonCardOpen ? s.lesson : null));
  const closed = useAppStore((s) => s.lessonCardClosed);
  const lesson = id === null ? undefined : lessonById(id);
  if (!lesson) return null;
  return (
    <section className="banner lesson-card" data-testid="lesson-card" data-lesson={lesson.id} aria-labelledby="lesson-title">
      <div>
        <h2 id="lesson-title">Lesson: {lesson.title}</h2>
        <p data-testid="lesson-text">{lesson.text}</p>
        <p className="hint">The form below is set up for this lesson: press Generate.</p>
      </div>
      <div className="banner-actions">
        <button type="button" className="quiet" data-testid="lesson-close" onClick={closed}>
          Close
        </button>
      </div>
    </section>
  );
}
