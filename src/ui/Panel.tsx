import { useId, useRef, useState, type ReactNode } from 'react';
import { guideFor } from '../lessons/guide';
import { usePlayground } from '../store/store';
import { exportPanel, type CsvRows, type ExportKind } from './exportChart';
import { isEmbedPanel, type EmbedPanel } from '../store/embed';
import { copy, embedCode, linkFor } from './share';
import { RecordClipItem } from './record/RecordClipItem';

export interface PanelProps {
  /** used in file names, test ids and the class panel-<id> */
  id: string;
  title: string;
  /** the short "what am I seeing" explanation */
  note: ReactNode;
  /** the plotted data, for CSV export */
  csv?: () => CsvRows;
  children: ReactNode;
  className?: string;
}

const KINDS: ExportKind[] = ['SVG', 'PNG', 'CSV'];

function copyEmbedCode(panel: EmbedPanel, title: string): Promise<void> {
  const { config, hidden, lesson } = usePlayground.getState();
  return copy(embedCode(linkFor(config, hidden, lesson, panel), `RNN Playground: ${title}`), 'Embed code');
}

/**
 * A panel: title, the chart, a "what am I seeing?" note, and export buttons. SVG and PNG export
 * the panel's content as one figure under its title (charts with their axes, labels and colour
 * bars, canvas charts redrawn at the export scale, and the text around them); CSV the data;
 * Record clip the same figure as a few seconds of WebM video while it trains (record/).
 */
export function Panel({ id, title, note, csv, children, className }: PanelProps) {
  const body = useRef<HTMLDivElement>(null);
  const [showNote, setShowNote] = useState(false);
  const noteId = useId();
  // The panel the current lesson's narration points at is highlighted, with what to watch in it.
  const guide = guideFor(usePlayground((s) => s.lesson));
  const focus = guide?.panel === id ? guide : null;
  const subtitle = () => `RNN Playground · step ${usePlayground.getState().step}`;
  const run = (kind: ExportKind) => void exportPanel({ id, title, root: body.current, subtitle: subtitle(), csv }, kind);
  return (
    <section className={`panel panel-${id} ${focus ? 'lesson-focus' : ''} ${className ?? ''}`} aria-labelledby={`${id}-title`} data-testid={`panel-${id}`} data-lesson-focus={focus ? '1' : undefined}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="panel-actions">
          <button type="button" className="icon" aria-expanded={showNote} aria-controls={noteId} onClick={() => setShowNote((v) => !v)} title="What am I seeing?">
            ?
          </button>
          <details className="export-menu">
            <summary title="Export this panel">Export</summary>
            <div className="export-items">
              {KINDS.map((kind) => (
                <button key={kind} type="button" disabled={kind === 'CSV' && !csv} onClick={() => run(kind)}>
                  {kind}
                </button>
              ))}
              {isEmbedPanel(id) && (
                <button type="button" onClick={() => void copyEmbedCode(id, title)} title="An <iframe> that shows this panel of this run, with a play bar, in a page or a slide" data-testid={`embed-code-${id}`}>
                  Copy embed code
                </button>
              )}
              <RecordClipItem id={id} title={title} root={() => body.current} subtitle={subtitle} />
            </div>
          </details>
        </div>
      </header>
      {focus && (
        <p className="lesson-look" data-testid="lesson-look">
          {focus.look}
        </p>
      )}
      <div id={noteId} className="panel-note" hidden={!showNote}>
        {note}
      </div>
      <div className="panel-body" ref={body}>
        {children}
      </div>
    </section>
  );
}
