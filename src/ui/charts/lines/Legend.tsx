/**
 * The legends of the line-chart kit, drawn inside the chart (an exported chart keeps them): a short
 * sample of each line with its dash pattern, then its label. `Legend` wraps its items into rows
 * that fit the width (`legendRows`, which the canvas chart uses too, with its own text measure);
 * `Key` is a single row at fixed offsets in the CSS text style of the small spectra and task charts.
 */
import type { ReactNode } from 'react';
import { textWidth } from './scales';
import { SVG_STYLE } from '../svgStyle';
import '../charts.css';

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

export type Placed<T> = T & { x: number };
export type PlacedItem = Placed<LegendItem>;

/** The room an SVG legend item takes: its sample, its label (a bold heading a little wider), a gap. */
export const svgItemWidth =
  (fontPx: number) =>
  (item: LegendItem): number =>
    (item.title ? 0 : 2.6 * fontPx) + textWidth(item.label, fontPx) * (item.title ? 1.06 : 1) + 1.2 * fontPx;

/** Items laid out left to right, wrapped when the next one would pass `width`. */
export function legendRows<T extends object>(items: T[], width: number, widthOf: (item: T) => number): Placed<T>[][] {
  const rows: Placed<T>[][] = [];
  let row: Placed<T>[] = [];
  let x = 0;
  for (const item of items) {
    const w = widthOf(item);
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

export interface KeyItem {
  label: ReactNode;
  color: string;
  dash?: string;
  /** a dot (measured points) instead of a line sample */
  dot?: boolean;
  /** the item's offset from the key's start, px */
  x: number;
}

/** A one-row key: `sample` px of line (or a dot) and its label per item, at the given offsets. */
export function Key({ x, y, rem, sample, items }: { x: number; y: number; rem: number; sample: number; items: KeyItem[] }) {
  return (
    <g className="sp-key" transform={`translate(${x},${y})`}>
      {items.map((it, i) => (
        <g key={i} transform={`translate(${it.x},0)`}>
          {it.dot ? (
            <circle cx={0.3 * rem} cy={-0.3 * rem} r={2.5} fill={it.color} />
          ) : (
            <line x1={0} x2={sample} y1={-0.3 * rem} y2={-0.3 * rem} stroke={it.color} strokeWidth={2} strokeDasharray={it.dash} />
          )}
          <text x={it.dot ? 0.8 * rem : sample + 0.3 * rem} y={0}>
            {it.label}
          </text>
        </g>
      ))}
    </g>
  );
}
