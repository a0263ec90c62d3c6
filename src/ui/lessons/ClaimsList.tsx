/**
 * What the lesson asserts, each claim ticked while it holds on the runs on screen: the same checks
 * `npm run lesson` prints. A claim about how a run ends is shown as "not yet" until it holds.
 */
import { useLessonClaims } from '../../store/claimsView';
import './claims.css';

export function ClaimsList({ lessonId }: { lessonId: string }) {
  const view = useLessonClaims();
  if (!view || view.lesson !== lessonId) return null;
  const held = view.results.filter((r) => r.holds).length;
  return (
    <section className="lesson-claims" aria-label="What this lesson claims" data-testid="lesson-claims" data-held={held} data-total={view.results.length}>
      <p className="claims-head">
        Claims: {held} of {view.results.length} hold at step {view.step.toLocaleString('en')}
        {view.steps > 0 && ` (the lesson is made for ${view.steps.toLocaleString("en")} steps)`}
      </p>
      <ul>
        {view.results.map((r, i) => (
          <li key={i} className={r.holds ? 'holds' : 'pending'} data-testid={`claim-${i}`} data-holds={r.holds ? '1' : '0'}>
            <span aria-hidden="true">{r.holds ? '✓' : '○'}</span> {r.text}
            <span className="visually-hidden">{r.holds ? ' (holds)' : ' (not yet)'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
