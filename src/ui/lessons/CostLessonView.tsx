/**
 * The view of a lesson about costs (Lesson.view = 'costs'): the cost view at full width in place of
 * the six panels, since its charts are what the narration is about; the Status panel shows the
 * same view in the playground.
 */
import { Panel } from '../Panel';
import { CostView } from '../panels/CostView';
import './costLesson.css';

export function CostLessonView() {
  return (
    <main className="panels cost-lesson" aria-label="Cost against sequence length">
      <Panel
        id="status"
        title="Cost against sequence length"
        note="Closed forms at this run's settings (each checked in the tests against a count of what the engine does), and on request the time of a training step measured on this machine."
      >
        <CostView wide />
      </Panel>
    </main>
  );
}
