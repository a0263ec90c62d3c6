/**
 * The geometry of one line plot, a pure function of its props: legend rows, margins, the x and y
 * scales, ticks, reference-line labels, clip-event columns and each series as polylines in plot
 * pixels. The SVG plot (./LineChart) and the canvas plot (./linePlotCanvas) both draw from it, so the
 * two show the same thing, and a test checks the numbers it places without a browser.
 */
import { scaleLinear } from 'd3';
import { legendRows, svgItemWidth, type LegendItem, type PlacedItem } from './Legend';
import { clipAbove, countSkipped, finiteExtent, textWidth, ticksOf, wantsLog, yScaleOf, type Scale } from './scales';
import type { LineChartProps, RefLine } from './LineChart';

export interface LinePlotLayout {
  rows: PlacedItem[][];
  /** the plot area's offset in the plot's box, px */
  left: number;
  top: number;
  plotW: number;
  plotH: number;
  log: boolean;
  /** a value the y axis can place (finite; > 0 on a log axis) */
  ok: (v: number) => boolean;
  x: Scale;
  y: Scale;
  /** x and y as plain arithmetic (the same maps, without d3's call overhead): for long series */
  fx: (v: number) => number;
  fy: (v: number) => number;
  xTicks: { value: number; label: string }[];
  yTicks: { value: number; label: string }[];
  /** each series' y values after clipping (the clip line for values above it) */
  ys: ArrayLike<number>[];
  refLabels: { r: RefLine; py: number; ly: number }[];
  /** x pixel columns (in the plot) that hold at least one clip event */
  eventCols: number[];
  /** values the chart cannot draw (NaN, ±Inf) */
  skipped: number;
  showX: boolean;
}

/** The plot's geometry, or null when the box is too small to plot in. */
export function layoutLinePlot(p: LineChartProps): LinePlotLayout | null {
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
  const cols = new Set<number>();
  if (events) for (let i = 0; i < events.x.length; i++) if (Number.isFinite(events.x[i])) cols.add(Math.round(x(events.x[i])));
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
  return { rows, left, top, plotW, plotH, log, ok, x, y, fx: affineOf(x, false), fy: affineOf(y, log), xTicks, yTicks, ys, refLabels, eventCols: [...cols], skipped, showX };
}

/** A linear or log scale's map as arithmetic: r0 + (t(v) − t(d0))·(r1 − r0)/(t(d1) − t(d0)), t = id or ln. */
export function affineOf(scale: Scale, log: boolean): (v: number) => number {
  const [d0, d1] = scale.domain();
  const [r0, r1] = scale.range();
  const t = log ? Math.log : (v: number) => v;
  const t0 = t(d0);
  const k = (r1 - r0) / (t(d1) - t0);
  return log ? (v) => r0 + (Math.log(v) - t0) * k : (v) => r0 + (v - t0) * k;
}
