/**
 * A line chart over training steps, in SVG: series (each with its own colour AND dash pattern),
 * labelled horizontal reference lines (a baseline, a floor, a clip threshold), event ticks along
 * the bottom (clip events), a legend inside the SVG so that an exported file explains itself.
 * d3 computes the scales, ticks and formats; React renders every element. Text sizes are in rem.
 * The line-chart kit: this chart, its legends (./Legend) and scales (./scales); the small spectra
 * and task charts draw their own marks with the kit's scales, paths, Key and the shared ../Axis.
 */
import { scaleLinear } from 'd3';
import { fmtTick } from '../../format';
import { SVG_STYLE } from '../svgStyle';
import { Legend, legendRows, svgItemWidth, type LegendItem } from './Legend';
import { clipAbove, countSkipped, finiteExtent, pathOf, textWidth, ticksOf, wantsLog, yScaleOf } from './scales';
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
  const { width, height, rem, series, refLines = [], events } = p;
  if (width < 40 || height < 40) return null;
  // Clipped values stand at the clip line: the view keeps the scale the rest of the run needs.
  const ys = clipAbove(
    series.map((s) => s.y),
    p.yClip?.at,
  );
  const log = p.yMode === 'log' || (p.yMode === 'auto' && !p.yFixed && wantsLog(ys));
  const ok = log ? (v: number) => Number.isFinite(v) && v > 0 : Number.isFinite;
  const refs = refLines.filter((r) => ok(r.value));
  const extent = p.yFixed ?? finiteExtent([...ys, refs.map((r) => r.value)], log);
  // The heading (y quantity) first, then a legend entry per series when there are several.
  const legend: LegendItem[] = [{ key: 'title', label: `${p.yLabel}${log ? ' (log)' : ''}${p.yClip ? ` — ${p.yClip.note}` : ''}`, color: '', dash: '', title: true }];
  if (series.length > 1) legend.push(...series.map((s) => ({ key: s.key, label: s.label, color: s.color, dash: s.dash, width: s.width })));
  if (events) legend.push({ key: 'events', label: events.label, color: events.color, dash: '', tick: true });
  const tickPx = 0.75 * rem;
  const showX = p.showX ?? true;
  const rows = legendRows(legend, width - 0.5 * rem, svgItemWidth(0.78 * rem));
  const top = rows.length * 1.3 * rem + 0.35 * rem;
  const bottom = showX ? 2.45 * rem : 0.4 * rem;
  const probeY = yScaleOf(extent, log, [height - bottom, top]);
  const yTicks = ticksOf(probeY, log, (height - top - bottom) / (2.2 * rem));
  const left = Math.max(...yTicks.map((t) => textWidth(t.label, tickPx)), 2 * tickPx, (p.minLeft ?? 0) - 0.9 * rem) + 0.9 * rem;
  const right = 0.9 * rem;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  if (plotW < 20 || plotH < 20) return null;
  const y = yScaleOf(extent, log, [plotH, 0]);
  if (plotH < 2.2 * rem) yTicks.splice(0, yTicks.length, ...ticksOf(y, log, 2).filter((_, i, all) => i === 0 || i === all.length - 1));
  const xMax = Math.max(1, ...series.map((s) => (s.x.length ? s.x[s.x.length - 1] : 0)));
  const x = scaleLinear().domain([0, xMax]).range([0, plotW]);
  const xTicks = ticksOf(x, false, plotW / (5 * rem));
  const skipped = countSkipped(ys, (v) => Number.isFinite(v));
  // Clip events binned by pixel: one short tick per occupied pixel column.
  let eventPath = '';
  if (events) {
    const cols = new Set<number>();
    for (let i = 0; i < events.x.length; i++) if (Number.isFinite(events.x[i])) cols.add(Math.round(x(events.x[i])));
    const h = 0.55 * rem;
    eventPath = [...cols].map((c) => `M${c},${plotH}v${-h}`).join('');
  }
  // Reference-line labels: above their line, or below when that would overlap the previous one.
  let lastLabelY = -Infinity;
  const refLabels = refs
    .map((r) => ({ r, py: y(r.value) }))
    .sort((a, b) => b.py - a.py)
    .map(({ r, py }) => {
      let ly = py - 0.3 * rem;
      if (Math.abs(lastLabelY - ly) < 1.1 * tickPx || ly < tickPx) ly = py + 1.05 * tickPx;
      lastLabelY = ly;
      return { r, py, ly };
    });
  return (
    <g>
      <Legend rows={rows} rem={rem} />
      <g transform={`translate(${left},${top})`}>
        {yTicks.map((t) => (
          <g key={`y${t.value}`} transform={`translate(0,${y(t.value)})`}>
            <line style={SVG_STYLE.grid} x2={plotW} opacity={t.label ? 1 : 0.45} />
            <text style={SVG_STYLE.tick} x={-0.4 * rem} dy="0.32em" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
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
        {refLabels.map(({ r, py }) => (
          <line key={r.key} x2={plotW} y1={py} y2={py} stroke={r.color} strokeWidth={1.75} strokeDasharray={r.dash} />
        ))}
        {eventPath && <path d={eventPath} stroke={events?.color} strokeWidth={1.5} />}
        {series.map((s, i) => (
          <path key={s.key} d={pathOf(s.x, ys[i], x, y, ok)} fill="none" stroke={s.color} strokeWidth={s.width ?? 1.5} strokeDasharray={s.dash} strokeLinejoin="round" strokeLinecap="round" />
        ))}
        {refLabels.map(({ r, ly }) => (
          <text key={r.key} style={SVG_STYLE.halo} x={plotW - 0.3 * rem} y={ly} textAnchor="end">
            {`${r.label} ${fmtTick(r.value)}`}
          </text>
        ))}
        {skipped > 0 && (
          <text style={{ ...SVG_STYLE.halo, fontWeight: 600 }} x={0.4 * rem} y={0.9 * rem}>
            {`⚠ ${skipped} value${skipped === 1 ? '' : 's'} NaN or ∞: not drawn`}
          </text>
        )}
      </g>
    </g>
  );
}
