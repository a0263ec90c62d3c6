/**
 * The line plot of ./lineLayout drawn on a canvas: the same legend, grid, ticks, reference lines,
 * clip events, series and warnings as the SVG plot (./LineChart), at the same places. A live chart
 * with thousands of steps per series costs one canvas redraw per frame this way, where the SVG plot
 * re-sends long path strings and re-lays out the SVG on every frame.
 */
import { fmtTick } from '../../format';
import type { CanvasStyle } from '../canvasStyle';
import { skippedNote, type LineChartProps } from './LineChart';
import type { LinePlotLayout } from './lineLayout';
import { envelopeOf } from './scales';

/** "7 4" (SVG stroke-dasharray) → [7, 4] for setLineDash. */
export const dashOf = (dash: string): number[] =>
  dash
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((v) => Number.isFinite(v) && v >= 0);

/**
 * Sizes the canvas for a width × height CSS px chart at `dpr` device pixels per px (crisp on a
 * high-density screen) and returns its context, scaled to CSS px and cleared; null without 2D.
 */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number, dpr: number): CanvasRenderingContext2D | null {
  const W = Math.max(1, Math.floor(width));
  const H = Math.max(1, Math.floor(height));
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    canvas.style.width = `${W}px`;
    canvas.style.height = `${H}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  return ctx;
}

/**
 * A setter of ctx.font that assigns only on a change: Chromium parses the font string on every
 * assignment, which showed as milliseconds per frame when a legend set it once per item.
 */
export function fontSetter(ctx: CanvasRenderingContext2D): (font: string) => void {
  let current = '';
  return (font) => {
    if (font !== current) ctx.font = current = font;
  };
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** Text with a halo in the panel's colour (readable over curves), like SVG_STYLE.halo. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, s: CanvasStyle): void {
  ctx.lineWidth = 3;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = s.panel;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = s.fg;
  ctx.fillText(text, x, y);
}

/** One plot at the context's current origin (its box's top left), from its layout; `dpr` device pixels per px. */
export function drawLinePlot(ctx: CanvasRenderingContext2D, L: LinePlotLayout, p: LineChartProps, s: CanvasStyle, dpr = 1): void {
  const { rem } = p;
  const font = (em: number, weight = '') => `${weight ? `${weight} ` : ''}${em * rem}px ${s.fontFamily}`;
  const setFont = fontSetter(ctx);
  ctx.save();
  ctx.lineCap = 'butt';
  ctx.setLineDash([]);

  // The legend: a heading, then a sample and label per item (./Legend's sizes).
  const sample = 2 * 0.78 * rem;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  L.rows.forEach((row, r) => {
    const ly = 0.1 * rem + (r + 0.5) * 1.3 * rem;
    for (const it of row) {
      const lx = 0.2 * rem + it.x;
      ctx.globalAlpha = it.opacity ?? 1;
      if (!it.title) {
        ctx.strokeStyle = it.color;
        if (it.tick) {
          ctx.lineWidth = 2;
          line(ctx, lx + sample / 2, ly - 0.35 * rem, lx + sample / 2, ly + 0.35 * rem);
        } else {
          ctx.lineWidth = Math.max(2, it.width ?? 2);
          ctx.setLineDash(dashOf(it.dash));
          line(ctx, lx, ly, lx + sample, ly);
          ctx.setLineDash([]);
        }
      }
      ctx.fillStyle = s.fg;
      setFont(it.title ? font(0.78, '600') : font(0.78));
      ctx.fillText(it.label, it.title ? lx : lx + sample + 0.4 * rem, ly);
      ctx.globalAlpha = 1;
    }
  });

  const { plotW, plotH, x, y, showX } = L;
  ctx.translate(L.left, L.top);
  // Grid, ticks and axes (SVG_STYLE: grid at 0.14, axes at 0.7 of the text colour).
  ctx.lineWidth = 1;
  ctx.strokeStyle = s.fg;
  setFont(font(0.75));
  ctx.textAlign = 'right';
  for (const t of L.yTicks) {
    const py = y(t.value);
    ctx.globalAlpha = 0.14 * (t.label ? 1 : 0.45);
    line(ctx, 0, py, plotW, py);
    ctx.globalAlpha = 1;
    ctx.fillStyle = s.fg;
    if (t.label) ctx.fillText(t.label, -0.4 * rem, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of L.xTicks) {
    const px = x(t.value);
    ctx.globalAlpha = 0.14;
    line(ctx, px, 0, px, plotH);
    if (!showX) continue;
    ctx.globalAlpha = 0.7;
    line(ctx, px, plotH, px, plotH + 0.3 * rem);
    ctx.globalAlpha = 1;
    ctx.fillText(t.label, px, plotH + 0.4 * rem);
  }
  ctx.globalAlpha = 0.7;
  line(ctx, 0, 0, 0, plotH);
  line(ctx, 0, plotH, plotW, plotH);
  ctx.globalAlpha = 1;
  if (showX) {
    setFont(font(0.78, '600'));
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(p.xLabel, plotW / 2, plotH + 2.25 * rem);
  }

  // Reference lines, clip events, then the series over them.
  ctx.lineWidth = 1.75;
  for (const { r, py } of L.refLabels) {
    ctx.strokeStyle = r.color;
    ctx.setLineDash(dashOf(r.dash));
    line(ctx, 0, py, plotW, py);
  }
  ctx.setLineDash([]);
  if (p.events && L.eventCols.length) {
    ctx.strokeStyle = p.events.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const c of L.eventCols) {
      ctx.moveTo(c, plotH);
      ctx.lineTo(c, plotH - 0.55 * rem);
    }
    ctx.stroke();
  }
  // bevel joins, flat caps: at these widths they look the same as round ones, and stroking
  // thousands of vertices with round joins was most of the canvas's raster time
  ctx.lineJoin = 'bevel';
  ctx.lineCap = 'butt';
  p.series.forEach((sr, i) => {
    ctx.strokeStyle = sr.color;
    ctx.lineWidth = sr.width ?? 1.5;
    ctx.setLineDash(dashOf(sr.dash));
    ctx.beginPath();
    // one column per device pixel: the canvas rasterizes on the main thread, every vertex costs
    envelopeOf(sr.x, L.ys[i], L.fx, L.fy, L.ok, (px, py, move) => (move ? ctx.moveTo(px, py) : ctx.lineTo(px, py)), dpr);
    ctx.stroke();
  });
  ctx.setLineDash([]);

  // Labels over the curves.
  setFont(font(0.72));
  ctx.textAlign = 'end';
  ctx.textBaseline = 'alphabetic';
  for (const { r, ly } of L.refLabels) haloText(ctx, `${r.label} ${fmtTick(r.value)}`, plotW - 0.3 * rem, ly, s);
  if (L.skipped > 0) {
    setFont(font(0.72, '600'));
    ctx.textAlign = 'start';
    haloText(ctx, skippedNote(L.skipped), 0.4 * rem, 0.9 * rem, s);
  }
  ctx.restore();
}
