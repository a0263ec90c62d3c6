/**
 * A line chart over training steps, in SVG: series (each with its own colour AND dash pattern),
 * labelled horizontal reference lines (a baseline, a floor, a clip threshold), event ticks along
 * the bottom (clip events), a legend inside the SVG so that an exported file explains itself.
 * d3 computes the scales, ticks and formats; React renders every element. Text sizes are in rem.
 * The line-chart kit: this chart, its legends (./Legend) and scales (./scales); the small spectra
 * and task charts draw their own marks with the kit's scales, paths, Key and the shared ../Axis.
 */
import { fmtTick } from '../../format';
import { SVG_STYLE } from '../svgStyle';
import { Legend } from './Legend';
import { layoutLinePlot } from './lineLayout';
import { pathOf } from './scales';
import './lines.css';

export interface LineSeries {
  key: string;
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  /** stroke-dasharray; '' for solid */
  dash: string;
  width?: number;
}

export interface RefLine {
  key: string;
  label: string;
  value: number;
  color: string;
  dash: string;
}

export interface LineChartProps {
  width: number;
  height: number;
  /** the root font size in px */
  rem: number;
  series: LineSeries[];
  refLines?: RefLine[];
  /** x positions of events, drawn as ticks along the bottom */
  events?: { label: string; x: ArrayLike<number>; color: string };
  xLabel: string;
  /** the y quantity with its unit, written as the chart's heading (horizontal: small charts) */
  yLabel: string;
  /** tick labels and the x label below the plot (off for the upper charts of a stack) */
  showX?: boolean;
  /** 'auto': log when the positive data spans more than two decades */
  yMode: 'auto' | 'log' | 'linear';
  /** the least left margin in px: charts stacked over one x axis pass the same one to line up */
  minLeft?: number;
  /** a fixed linear y domain (e.g. [0, 1] for an accuracy) */
  yFixed?: [number, number];
  /** values above this are drawn at it (an early spike must not flatten the rest); the heading says so */
  yClip?: { at: number; note: string };
  /** the chart's accessible name (LineChart) or part of it (LinePlot inside a bigger SVG) */
  ariaLabel: string;
}

/** A line chart in its own <svg>. */
export function LineChart(p: LineChartProps) {
  if (p.width < 40 || p.height < 40) return null;
  return (
    <svg className="achart" width={p.width} height={p.height} role="img" aria-label={p.ariaLabel}>
      <title>{p.ariaLabel}</title>
      <LinePlot {...p} />
    </svg>
  );
}

/** The chart as a <g> of width × height at the origin, for charts stacked in one <svg>. */
export function LinePlot(p: LineChartProps) {
  const L = layoutLinePlot(p);
  if (!L) return null;
  const { rem, series, events } = p;
  const { left, top, plotW, plotH, x, y, ok, ys, showX } = L;
  const h = 0.55 * rem;
  const eventPath = L.eventCols.map((c) => `M${c},${plotH}v${-h}`).join('');
  return (
    <g>
      <Legend rows={L.rows} rem={rem} />
      <g transform={`translate(${left},${top})`}>
        {L.yTicks.map((t) => (
          <g key={`y${t.value}`} transform={`translate(0,${y(t.value)})`}>
            <line style={SVG_STYLE.grid} x2={plotW} opacity={t.label ? 1 : 0.45} />
            <text style={SVG_STYLE.tick} x={-0.4 * rem} dy="0.32em" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {L.xTicks.map((t) => (
          <g key={`x${t.value}`} transform={`translate(${x(t.value)},${plotH})`}>
            <line style={SVG_STYLE.grid} y2={-plotH} />
            {showX && <line style={SVG_STYLE.axis} y2={0.3 * rem} />}
            {showX && (
              <text style={SVG_STYLE.tick} y={0.4 * rem} dy="0.71em" textAnchor="middle">
                {t.label}
              </text>
            )}
          </g>
        ))}
        <line style={SVG_STYLE.axis} y2={plotH} />
        <line style={SVG_STYLE.axis} y1={plotH} y2={plotH} x2={plotW} />
        {showX && (
          <text style={SVG_STYLE.label} x={plotW / 2} y={plotH + 2.25 * rem} textAnchor="middle">
            {p.xLabel}
          </text>
        )}
        {L.refLabels.map(({ r, py }) => (
          <line key={r.key} x2={plotW} y1={py} y2={py} stroke={r.color} strokeWidth={1.75} strokeDasharray={r.dash} />
        ))}
        {eventPath && <path d={eventPath} stroke={events?.color} strokeWidth={1.5} />}
        {series.map((s, i) => (
          <path key={s.key} d={pathOf(s.x, ys[i], L.fx, L.fy, ok)} fill="none" stroke={s.color} strokeWidth={s.width ?? 1.5} strokeDasharray={s.dash} strokeLinejoin="round" strokeLinecap="round" />
        ))}
        {L.refLabels.map(({ r, ly }) => (
          <text key={r.key} style={SVG_STYLE.halo} x={plotW - 0.3 * rem} y={ly} textAnchor="end">
            {`${r.label} ${fmtTick(r.value)}`}
          </text>
        ))}
        {L.skipped > 0 && (
          <text style={{ ...SVG_STYLE.halo, fontWeight: 600 }} x={0.4 * rem} y={0.9 * rem}>
            {skippedNote(L.skipped)}
          </text>
        )}
      </g>
    </g>
  );
}

/** The warning a plot shows when it could not draw some values. */
export const skippedNote = (n: number): string => `⚠ ${n} value${n === 1 ? '' : 's'} NaN or ∞: not drawn`;
