/**
 * Export of a panel: the figure as an SVG file or as a PNG at EXPORT_SCALE× the screen's CSS
 * pixels (both composed from what the panel shows: charts with their axes, labels and colour bars,
 * and its text; see exportCapture.ts), and the plotted data as CSV. Each export either downloads a
 * file or says in a notice why it could not. Nothing here renders user text as HTML.
 */
import { addNotice } from '../store/store';
import { captureScene, rasterize } from './exportCapture';
import { sceneSize, sceneSvg } from './exportCompose';

export type CsvRows = (string | number)[][];

/** PNG pixels per CSS pixel: sharp on a projector and in print, whatever the screen. */
export const EXPORT_SCALE = 2;

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function csvText(rows: CsvRows): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export type ExportKind = 'SVG' | 'PNG' | 'CSV';

export interface PanelExport {
  /** file names: rnn-playground-<id>.<ext> */
  id: string;
  title: string;
  /** the panel's content: what the figure shows */
  root: HTMLElement | null;
  /** e.g. "step 664" */
  subtitle: string;
  csv?: () => CsvRows;
}

/** Writes the file, or tells the user in a notice why there is none. */
export async function exportPanel(p: PanelExport, kind: ExportKind): Promise<void> {
  const name = `rnn-playground-${p.id}`;
  try {
    if (kind === 'CSV') {
      if (!p.csv) throw new Error('this panel has no data table');
      const rows = p.csv();
      if (rows.length < 2) throw new Error('there is no data yet (press Play or Step first)');
      download(new Blob([csvText(rows)], { type: 'text/csv' }), `${name}.csv`);
      return;
    }
    const root = p.root;
    if (!root || root.getBoundingClientRect().width < 1 || root.getBoundingClientRect().height < 1) throw new Error('the panel is not on screen, so there is nothing to draw');
    const scene = captureScene(root, p.title, p.subtitle, EXPORT_SCALE);
    if (!scene.items.length) throw new Error('the panel shows nothing yet');
    const svg = sceneSvg(scene);
    if (kind === 'SVG') download(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
    else {
      const { width, height } = sceneSize(scene);
      download(await rasterize(svg, width, height, EXPORT_SCALE), `${name}.png`);
    }
  } catch (e) {
    addNotice('warning', 'export', `The ${kind} of “${p.title}” was not saved: ${e instanceof Error ? e.message : String(e)}.`);
  }
}
