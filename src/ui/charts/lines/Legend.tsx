/**
 * The legend of a line chart, drawn inside its SVG (an exported chart keeps it): a short sample of
 * each line with its dash pattern, then its label, wrapped into rows that fit the width.
 */
import { textWidth } from './a-scales';
import { SVG_STYLE } from './a-svgStyle';

export interface LegendItem {
  key: string;
  label: string;
  color: string;
  dash: string;
  width?: number;
  /** drawn as a short vertical tick (an event mark) instead of a line sample */
  tick?: boolean;
  /** opacity of the sample (a faded curve) */
  opacity?: number;
  /** the chart's heading: bold text, no sample */
  title?: boolean;
}

export interface PlacedItem extends LegendItem {
  x: number;
}

/** Items laid out left to right, wrapped when the next one would pass `width`. */
export function legendRows(items: LegendItem[], width: number, fontPx: number): PlacedItem[][] {
  const rows: PlacedItem[][] = [];
  let row: PlacedItem[] = [];
  let x = 0;
  for (const item of items) {
    const w = (item.title ? 0 : 2.6 * fontPx) + textWidth(item.label, fontPx) * (item.title ? 1.06 : 1) + 1.2 * fontPx;
    if (row.length && x + w > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ ...item, x });
    x += w;
  }
  if (row.length) rows.push(row);
  return rows;
}

export function Legend({ rows, rem }: { rows: PlacedItem[][]; rem: number }) {
  const sample = 2 * 0.78 * rem;
  return (
    <g transform={`translate(${0.2 * rem},${0.1 * rem})`}>
      {rows.map((row, r) =>
        row.map((item) => (
          <g key={item.key} transform={`translate(${item.x},${(r + 0.5) * 1.3 * rem})`} opacity={item.opacity ?? 1}>
            {item.title ? null : item.tick ? (
              <line x1={sample / 2} x2={sample / 2} y1={-0.35 * rem} y2={0.35 * rem} stroke={item.color} strokeWidth={2} />
            ) : (
              <line x2={sample} stroke={item.color} strokeWidth={Math.max(2, item.width ?? 2)} strokeDasharray={item.dash} />
            )}
            <text style={item.title ? SVG_STYLE.label : SVG_STYLE.legend} x={item.title ? 0 : sample + 0.4 * rem} dy="0.32em">
              {item.label}
            </text>
          </g>
        )),
      )}
    </g>
  );
}
