/**
 * The lesson menu and the current lesson's narration: what to watch, in two or three sentences.
 */
import { ClaimsList } from './ClaimsList';
import { guideFor } from '../../lessons/guide';
import type { Lesson } from '../../lessons/lessons';
import { LESSONS } from '../../lessons/lessons';

export function LessonBar({ lesson, onChoose, comparing, onToggleCompare }: { lesson: Lesson | null; onChoose: (id: string | null) => void; comparing: boolean; onToggleCompare: () => void }) {
  return (
    <div className="lesson-bar" role="region" aria-label="Lesson">
      <label className="lesson-pick">
        Lesson{' '}
        <select value={lesson?.id ?? ''} onChange={(e) => onChoose(e.target.value || null)} data-testid="lesson-menu">
          <option value="">Free play</option>
          {LESSONS.map((l, i) => (
            <option key={l.id} value={l.id} title={guideFor(l.id)?.shows}>
              {i + 1}. {l.title}
            </option>
          ))}
        </select>
      </label>
      <details className="lesson-list" data-testid="lesson-list">
        <summary>What each lesson shows</summary>
        <ol>
          {LESSONS.map((l) => (
            <li key={l.id}>
              <a
                href={`?lesson=${l.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  onChoose(l.id);
                  (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
                }}
              >
                {l.title}
              </a>
              : {guideFor(l.id)?.shows}
            </li>
          ))}
        </ol>
      </details>
      {lesson && (
        <p className="lesson-narration" data-testid="lesson-narration">
          <strong>{lesson.title}.</strong> {lesson.narration}
        </p>
      )}
      {lesson && <ClaimsList lessonId={lesson.id} />}
      {lesson?.compare && (
        <button type="button" onClick={onToggleCompare}>
          {comparing ? 'Show the full playground' : 'Back to the side-by-side view'}
        </button>
      )}
    </div>
  );
}
