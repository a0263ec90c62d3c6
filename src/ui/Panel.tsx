import { useId, useRef, useState, type ReactNode } from 'react';
import { exportCanvasSvg, exportCsv, exportPng, exportSvg, type CsvRows } from './exportChart';

export interface PanelProps {
  /** used in file names and test ids */
  id: string;
  title: string;
  /** the short "what am I seeing" explanation */
  note: ReactNode;
  /** the plotted data, for CSV export */
  csv?: () => CsvRows;
  children: ReactNode;
  className?: string;
}

/**
 * A panel: title, the chart, a "what am I seeing?" note, and export buttons that find the chart's
 * main <svg> or <canvas> (the first one marked data-export, else the first one) inside it. A canvas
 * chart's SVG embeds its pixels as an image.
 */
export function Panel({ id, title, note, csv, children, className }: PanelProps) {
  const body = useRef<HTMLDivElement>(null);
  const [showNote, setShowNote] = useState(false);
  const noteId = useId();
  const target = (): SVGSVGElement | HTMLCanvasElement | null =>
    body.current?.querySelector<SVGSVGElement | HTMLCanvasElement>('[data-export]') ?? body.current?.querySelector<SVGSVGElement | HTMLCanvasElement>('svg, canvas') ?? null;
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={`${id}-title`} data-testid={`panel-${id}`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="panel-actions">
          <button type="button" className="icon" aria-expanded={showNote} aria-controls={noteId} onClick={() => setShowNote((v) => !v)} title="What am I seeing?">
            ?
          </button>
          <details className="export-menu">
            <summary title="Export this chart">Export</summary>
            <div className="export-items">
              <button
                type="button"
                onClick={() => {
                  const t = target();
                  if (t instanceof SVGSVGElement) exportSvg(t, `rnn-playground-${id}`);
                  else if (t instanceof HTMLCanvasElement) exportCanvasSvg(t, `rnn-playground-${id}`);
                }}
              >
                SVG
              </button>
              <button type="button" onClick={() => target() && void exportPng(target() as SVGSVGElement, `rnn-playground-${id}`)}>
                PNG
              </button>
              <button type="button" disabled={!csv} onClick={() => csv && exportCsv(csv(), `rnn-playground-${id}`)}>
                CSV
              </button>
            </div>
          </details>
        </div>
      </header>
      <div id={noteId} className="panel-note" hidden={!showNote}>
        {note}
      </div>
      <div className="panel-body" ref={body}>
        {children}
      </div>
    </section>
  );
}
