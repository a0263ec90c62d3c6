/**
 * The playground's page: the top bar, the lesson bar and the notices above; settings on the left,
 * the six panels in a grid (on a narrow screen, one column that the page scrolls).
 */
import { useCallback, useEffect, useState } from 'react';
import { boot, setConfig } from '../store/controller';
import { usePlayground } from '../store/store';
import { CompareView } from './lessons/CompareView';
import { CostLessonView } from './lessons/CostLessonView';
import { LessonBar } from './lessons/LessonBar';
import { lessonById, lessonConfig } from '../lessons/lessons';
import './lessons/lessons.css';
import { Controls } from './controls/Controls';
import { EmbedView } from './embed/EmbedView';
import { Header } from './Header';
import { RecoveryBar } from './RecoveryBar';
import { HelpDialog } from './HelpDialog';
import { Notices } from './Notices';
import { GradientNormsPanel } from './panels/GradientNormsPanel';
import { InsidePanel } from './panels/InsidePanel';
import { Seq2SeqPanels } from './panels/Seq2SeqPanels';
import { SpectraPanel } from './panels/SpectraPanel';
import { StatusPanel } from './panels/StatusPanel';
import { TrainingPanel } from './panels/TrainingPanel';
import { UnrolledPanel } from './panels/UnrolledPanel';
import { useKeyboard } from './useKeyboard';
import { useUrlSync } from './useUrlSync';

let booted = false;

export function App() {
  const [help, setHelp] = useState(false);
  const [lecture, setLecture] = useState(() => matchMedia('(min-width: 1800px)').matches);
  const openHelp = useCallback(() => setHelp(true), []);
  const lesson = lessonById(usePlayground((s) => s.lesson));
  // sequence to sequence trains an encoder and a decoder: its own panel set (panels/Seq2SeqPanels.tsx)
  const seq2seq = usePlayground((s) => s.task?.id === 'seq2seq');
  const embed = usePlayground((s) => s.embed);
  const [comparing, setComparing] = useState(true);
  const chooseLesson = (id: string | null) => {
    usePlayground.setState({ lesson: id });
    setComparing(true);
    setConfig(lessonConfig(id));
  };
  useKeyboard(openHelp);
  useUrlSync();
  useEffect(() => {
    // Once per page (StrictMode runs effects twice in development).
    if (booted) return;
    booted = true;
    boot();
  }, []);
  useEffect(() => {
    document.documentElement.dataset.lecture = lecture ? '1' : '0';
  }, [lecture]);
  if (embed) return <EmbedView panel={embed} lesson={lesson} />;
  return (
    <div className="app">
      <Header onHelp={openHelp} lecture={lecture} onLecture={setLecture} />
      <LessonBar lesson={lesson} onChoose={chooseLesson} comparing={comparing} onToggleCompare={() => setComparing((c) => !c)} />
      <Notices />
      <RecoveryBar />
      <div className="workspace">
        <Controls />
        {lesson?.compare && comparing ? (
          <CompareView
            lesson={lesson}
            onOpenPlayground={(patch) => {
              setConfig({ ...lessonConfig(lesson.id), ...patch });
              setComparing(false);
            }}
          />
        ) : lesson?.view === 'costs' ? (
          <CostLessonView />
        ) : (
          <main className="panels">
            {seq2seq ? (
              <Seq2SeqPanels />
            ) : (
              <>
                <UnrolledPanel />
                <GradientNormsPanel />
                <TrainingPanel />
                <SpectraPanel />
                <InsidePanel />
                <StatusPanel />
              </>
            )}
          </main>
        )}
      </div>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
