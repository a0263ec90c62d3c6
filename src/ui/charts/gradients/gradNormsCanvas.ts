/**
 * Draws the ‖∂L/∂h_t‖-against-t waterfall on a <canvas>: the newest curve bold, older ones thinner
 * and fainter, ‖∂L/∂x_t‖ (the gradient that reaches each input) dashed beside them, a log y axis, the truncated-BPTT windows shaded, and values of exactly 0 (no
 * gradient reaches that step, e.g. outside the last BPTT window) in a strip below the log axis.
 * Axes, labels and legend are drawn on the same canvas so that the PNG export is complete.
 */
import { scaleLinear } from 'd3';
import { legendRows } from '../lines/Legend';
import { finiteExtent, ticksOf, yScaleOf } from '../lines/scales';
import { fontSetter, prepareCanvas } from '../lines/linePlotCanvas';
import { canvasStyleOf } from '../canvasStyle';

export interface GradCanvasOptions {
  width: number;
  height: number;
  rem: number;
  /** oldest first, newest last */
  curves: { step: number; norms: Float64Array }[];
  /** BPTT window k; 0 = full BPTT */
  truncation: number;
  color: string;
  /** ‖∂L/∂x_t‖ per step, from the step that computed it; drawn dashed in `inputColor` */
  input?: { step: number; norms: Float64Array } | null;
  inputColor?: string;
  /** what the waterfall's curves are, for the legend (default: an RNN's states) */
  curvesOf?: string;
  shade: string;
  /** device pixels per CSS px (default: the screen's); the export draws at 2 or more */
  pixelRatio?: number;
  /** where the text colour and font come from (default: the canvas; an export's canvas is off-page) */
  styleFrom?: Element;
}

/** The dash of the ‖∂L/∂x_t‖ curve and its legend sample, in CSS px. */
const INPUT_DASH = [6, 4];

export function drawGradNorms(canvas: HTMLCanvasElement, o: GradCanvasOptions): void {
  const dpr = o.pixelRatio ?? (window.devicePixelRatio || 1);
  const W = Math.max(1, Math.floor(o.width));
  const H = Math.max(1, Math.floor(o.height));
  const ctx = prepareCanvas(canvas, W, H, dpr);
  if (!ctx) return;
  // read once per theme, not per frame (a style recalculation right after React's commit)
  const { fg, fontFamily: family } = canvasStyleOf(o.styleFrom ?? canvas);
  const { rem, curves } = o;
  const tickFont = `${0.75 * rem}px ${family}`;
  const labelFont = `${0.8 * rem}px ${family}`;
  const latest = curves.at(-1);
  const input = o.input && o.input.norms.length ? o.input : null;
  const inputColor = o.inputColor ?? o.color;
  const series = input ? [...curves, input] : curves;
  const T = Math.max(0, ...series.map((c) => c.norms.length));
  const hasZero = series.some((c) => c.norms.some((v) => v === 0));

  // Legend (top), wrapped into rows by the line-chart kit, measured with the canvas's own font.
  const items: { label: string; width: number; alpha: number; shade?: boolean; title?: boolean; dashed?: boolean }[] = [
    { label: 'Gradient norm, log scale', width: 0, alpha: 1, title: true },
    { label: `${o.curvesOf ?? '‖∂L/∂h_t‖, the states'}${latest ? ` (step ${latest.step})` : ''}`, width: 2.75, alpha: 1 },
    { label: 'earlier steps (older = fainter)', width: 1, alpha: 0.4 },
  ];
  if (input) items.push({ label: `‖∂L/∂x_t‖, the inputs (step ${input.step})`, width: 2, alpha: 1, dashed: true });
  if (o.truncation > 0) items.push({ label: `BPTT window, k = ${o.truncation}`, width: 0, alpha: 1, shade: true });
  const sample = 1.6 * rem;
  const fontOf = (it: (typeof items)[number]) => (it.title ? `600 ${labelFont}` : labelFont);
  const preOf = (it: (typeof items)[number]) => (it.title ? 0 : sample + 0.4 * rem);
  const useFont = fontSetter(ctx); // the legend's fonts, set only on a change
  const rows = legendRows(items, W - 0.2 * rem, (it) => {
    useFont(fontOf(it));
    return preOf(it) + ctx.measureText(it.label).width + 1.2 * rem;
  });
  const rowY = (r: number) => 0.75 * rem + r * 1.3 * rem;
  rows.forEach((row, r) => {
    const ly = rowY(r);
    for (const it of row) {
      const lx = 0.2 * rem + it.x;
      useFont(fontOf(it));
      ctx.globalAlpha = it.alpha;
      if (it.title) {
        // no sample: the heading names the y quantity
      } else if (it.shade) {
        ctx.fillStyle = o.shade;
        ctx.fillRect(lx, ly - 0.45 * rem, sample, 0.9 * rem);
      } else {
        ctx.strokeStyle = it.dashed ? inputColor : o.color;
        ctx.lineWidth = it.width;
        ctx.setLineDash(it.dashed ? INPUT_DASH : []);
        ctx.beginPath();
        ctx.moveTo(lx, ly);
        ctx.lineTo(lx + sample, ly);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.globalAlpha = 1;
      ctx.fillStyle = fg;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      ctx.fillText(it.label, lx + preOf(it), ly);
    }
  });
  const ly = rowY(rows.length - 1);

  // Layout and scales.
  const top = ly + 0.9 * rem;
  const bottom = 2.5 * rem;
  const zeroStrip = hasZero ? 1.3 * rem : 0;
  const plotH = H - top - bottom - zeroStrip;
  const yProbe = yScaleOf(finiteExtent(series.map((c) => c.norms), true), true, [Math.max(plotH, 1), 0]);
  const yTicks = ticksOf(yProbe, true, Math.max(2, plotH / (2 * rem)));
  ctx.font = tickFont;
  const left = Math.max(...yTicks.map((t) => ctx.measureText(t.label).width), ctx.measureText('0').width) + 0.9 * rem;
  const plotW = W - left - 0.9 * rem;
  if (plotW < 20 || plotH < 20) return;
  const y = yProbe;
  const x = scaleLinear().domain([-0.5, Math.max(T, 1) - 0.5]).range([0, plotW]);
  ctx.save();
  ctx.translate(left, top);

  // Truncation windows: every other chunk shaded, a dashed line where the gradient is cut.
  if (o.truncation > 0 && T > 0) {
    const k = o.truncation;
    for (let c = 0; c * k < T; c++) {
      const x0 = x(c * k - 0.5);
      const x1 = x(Math.min(T, (c + 1) * k) - 0.5);
      if (c % 2 === 1) {
        ctx.fillStyle = o.shade;
        ctx.fillRect(x0, 0, x1 - x0, plotH + zeroStrip);
      }
      if (c > 0) {
        ctx.strokeStyle = fg;
        ctx.globalAlpha = 0.6;
        ctx.setLineDash([3, 3]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x0, 0);
        ctx.lineTo(x0, plotH + zeroStrip);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
      }
    }
  }

  // Grid and y ticks.
  ctx.font = tickFont;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) {
    const py = Math.round(y(t.value)) + 0.5;
    ctx.strokeStyle = fg;
    ctx.globalAlpha = t.label ? 0.16 : 0.07;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, py);
    ctx.lineTo(plotW, py);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = fg;
    if (t.label) ctx.fillText(t.label, -0.4 * rem, py);
  }
  const zeroY = plotH + zeroStrip / 2;
  if (hasZero) {
    // The strip for exact zeros sits apart from the log axis (which never reaches 0).
    ctx.fillText('0', -0.4 * rem, zeroY);
    ctx.strokeStyle = fg;
    ctx.globalAlpha = 0.35;
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(0, plotH + 0.5);
    ctx.lineTo(plotW, plotH + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }

  // One curve: a line through the finite values (exact zeros in the strip), dots where few.
  const drawCurve = (norms: Float64Array, color: string, width: number, alpha: number, dots: boolean, dash: number[]) => {
    ctx.strokeStyle = color;
    ctx.globalAlpha = alpha;
    ctx.lineWidth = width;
    ctx.lineJoin = 'round';
    ctx.setLineDash(dash);
    ctx.beginPath();
    let pen = false;
    for (let t = 0; t < norms.length; t++) {
      const v = norms[t];
      if (!Number.isFinite(v) || v < 0) {
        pen = false;
        continue;
      }
      const px = x(t);
      const py = v === 0 ? zeroY : y(v);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (dots && norms.length <= 60) {
      ctx.fillStyle = color;
      for (let t = 0; t < norms.length; t++) {
        const v = norms[t];
        if (!Number.isFinite(v) || v < 0) continue;
        ctx.beginPath();
        ctx.arc(x(t), v === 0 ? zeroY : y(v), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
  };
  // The waterfall, oldest first so the newest lies on top; the inputs' curve over it.
  const n = curves.length;
  curves.forEach((c, i) => {
    const isLatest = i === n - 1;
    drawCurve(c.norms, o.color, isLatest ? 2.75 : 1, isLatest ? 1 : 0.12 + 0.4 * ((i + 1) / n), isLatest, []);
  });
  if (input) drawCurve(input.norms, inputColor, 2, 1, false, INPUT_DASH);

  // Axes and their labels.
  const axisY = plotH + zeroStrip;
  ctx.strokeStyle = fg;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0.5, 0);
  ctx.lineTo(0.5, axisY);
  ctx.lineTo(plotW, axisY);
  ctx.stroke();
  ctx.fillStyle = fg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xTicks = T > 0 ? x.ticks(Math.max(2, plotW / (4 * rem))).filter((t) => Number.isInteger(t) && t >= 0 && t < T) : [];
  for (const t of xTicks) {
    ctx.beginPath();
    ctx.moveTo(x(t), axisY);
    ctx.lineTo(x(t), axisY + 0.3 * rem);
    ctx.stroke();
    ctx.fillText(String(t), x(t), axisY + 0.45 * rem);
  }
  ctx.font = labelFont;
  ctx.fillText('time step t (0 = first input)', plotW / 2, axisY + 1.45 * rem);
  if (!n) {
    ctx.textBaseline = 'middle';
    ctx.globalAlpha = 0.7;
    ctx.fillText('No gradient yet: press Play.', plotW / 2, plotH / 2);
    ctx.globalAlpha = 1;
  }
  ctx.restore();
}
