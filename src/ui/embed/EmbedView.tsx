/**
 * `?embed=PANEL`: one panel and a minimal play bar, filling the frame it is shown in (an `<iframe>`
 * on a slide). The run is the link's, as on the full page; "Open in RNN Playground" opens the
 * whole page on the same settings in a new tab. Notices still show: a refused setting or a
 * recovery is never hidden, even in a slide.
 */
import type { ComponentType } from 'react';
import type { Lesson } from '../../lessons/lessons';
import { lessonConfig } from '../../lessons/lessons';
import { EMBED_PANELS, type EmbedPanel } from '../../store/embed';
import { usePlayground } from '../../store/store';
import { CompareView } from '../lessons/CompareView';
import { Notices } from '../Notices';
import { GradientNormsPanel } from '../panels/GradientNormsPanel';
import { InsidePanel } from '../panels/InsidePanel';
import { SpectraPanel } from '../panels/SpectraPanel';
import { StatusPanel } from '../panels/StatusPanel';
import { TrainingPanel } from '../panels/TrainingPanel';
import { UnrolledPanel } from '../panels/UnrolledPanel';
import { RecoveryBar } from '../RecoveryBar';
import { linkFor } from '../share';
import { Transport } from '../Transport';
import './embed.css';

const PANELS: Record<Exclude<EmbedPanel, 'compare'>, ComponentType> = {
  unrolled: UnrolledPanel,
  'gradient-norms': GradientNormsPanel,
  training: TrainingPanel,
  spectra: SpectraPanel,
  inside: InsidePanel,
  status: StatusPanel,
};

const nameOf = (panel: EmbedPanel) => EMBED_PANELS.find(([id]) => id === panel)?.[1] ?? panel;

export function EmbedView({ panel, lesson }: { panel: EmbedPanel; lesson: Lesson | null }) {
  const config = usePlayground((s) => s.config);
  const hidden = usePlayground((s) => s.hidden);
  const full = linkFor(config, hidden, lesson?.id ?? null);
  let body;
  if (panel !== 'compare') {
    const Panel = PANELS[panel];
    body = <Panel />;
  } else if (lesson?.compare) {
    body = <CompareView lesson={lesson} onOpenPlayground={(patch) => window.open(linkFor({ ...lessonConfig(lesson.id), ...patch }, [], lesson.id), '_blank', 'noopener')} />;
  } else {
    body = (
      <p className="not-applicable" data-testid="embed-no-comparison">
        This link asks for {nameOf(panel)}, but {lesson ? `the lesson “${lesson.title}” trains one run` : 'it opens no lesson'}. Add <code>lesson=ID</code> of a lesson that compares runs.
      </p>
    );
  }
  return (
    <div className="embed" data-testid="embed" data-embed={panel}>
      <div className="embed-bar">
        <Transport />
        {lesson && <span className="embed-lesson">{lesson.title}</span>}
        <a className="embed-open" href={full} target="_blank" rel="noopener" title="The whole playground on these settings, in a new tab">
          Open in RNN Playground ↗
        </a>
      </div>
      <Notices />
      <RecoveryBar />
      <div className="embed-body">{body}</div>
    </div>
  );
}
