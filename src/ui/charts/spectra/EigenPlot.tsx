/**
 * (a) The eigenvalues of W_hh on the complex plane with the unit circle: a linear RNN's state
 * along an eigenvector is multiplied by λ each step, so points outside the circle mean growth,
 * points inside mean decay. For LSTM/GRU, one colour and marker per gate block. Points glide to
 * their new places between analyses (unless reduced motion is asked for, or no point would move
 * by half a pixel). The axes, unit circle and legend are SVG; the points are drawn on a canvas over
 * it, so that a glide of 128 or 512 points costs one canvas redraw per frame, not a React render and
 * hundreds of SVG attributes. The SVG's data-values lists the points at full precision, for tests.
 */
import { path as d3path, scaleLinear, type ScaleLinear } from 'd3';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { BlockSpectrum } from '../../../engine/analysis';
import { OKABE_ITO } from '../../theme';
import { Axis } from '../Axis';
import { finiteEig, matchToPrevious, type Complex } from './eigenMatch';
import { fmt, tickText } from '../../format';
import { useTweenDraw } from '../useTween';
import { registerHiRes } from '../../exportCapture';
import { prepareCanvas } from '../lines/linePlotCanvas';
import '../charts.css';
import './spectra.css';

const GATE_COLOURS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.purple];
/** filled, ring, filled with a cross, ring with a cross: tell gates apart without colour */
const GATE_STYLES: { filled: boolean; cross: boolean }[] = [
  { filled: true, cross: false },
  { filled: false, cross: false },
  { filled: true, cross: true },
  { filled: false, cross: true },
];

export interface EigenPlotProps {
  blocks: BlockSpectrum[];
  /** the room it has; the square plot area fits in it */
  width: number;
  height: number;
  rem: number;
}

export function EigenPlot({ blocks, width, height, rem }: EigenPlotProps) {
  const previous = useRef<Complex[][]>([]);
  const points = useMemo(() => {
    const matched = blocks.map((b, g) => matchToPrevious(previous.current[g], finiteEig(b.eigenvalues)));
    previous.current = matched;
    return matched;
  }, [blocks]);
  const flat = useMemo(() => points.flatMap((ps) => ps.flatMap(([re, im]) => [re, im])), [points]);

  const legendW = blocks.length > 1 ? 6.5 * rem : 0;
  const maxMod = Math.max(0, ...points.flat().map(([re, im]) => Math.hypot(re, im)));
  const R = Math.max(1.15, Math.min(maxMod * 1.08, 1e6));
  // The left margin holds the longest tick label ("−10", "−1e+5") and the axis title beside it.
  const longest = Math.max(...scaleLinear().domain([-R, R]).ticks(4).map((v) => fmt(v).length));
  const m = { l: Math.max(2.4 * rem, (1.5 + 0.45 * longest) * rem), r: 0.6 * rem, t: 1.6 * rem, b: 2.2 * rem };
  const side = Math.max(6 * rem, Math.min(width - legendW - m.l - m.r, height - m.t - m.b));
  const x = scaleLinear().domain([-R, R]).range([0, side]);
  const y = scaleLinear().domain([-R, R]).range([side, 0]);
  const dot = Math.max(2.5, 0.24 * rem);
  const pad = 2 * dot; // the canvas reaches past the plot by this much: markers at the edge stay whole
  const canvas = useRef<HTMLCanvasElement>(null);
  const draw = (values: number[], to = canvas.current, dpr = window.devicePixelRatio || 1) => {
    if (to) drawPoints(to, { points, values, x, y, dot, pad, side, dpr });
    return to;
  };
  // points glide to their new places, unless none would move by half a pixel
  const shown = useTweenDraw(flat, 450, (0.5 * 2 * R) / side, draw);
  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    draw(shown.current.length === flat.length ? shown.current : flat);
    // the export draws the points where they are going, at its own scale
    registerHiRes(el, (scale) => draw(flat, document.createElement('canvas'), scale));
  });
  const unit = d3path();
  unit.arc(x(0), y(0), x(1) - x(0), 0, 2 * Math.PI);
  const rho = Math.max(0, ...blocks.map((b) => (Number.isFinite(b.spectralRadius) ? b.spectralRadius : 0)));
  const W = m.l + side + m.r + legendW;
  const H = m.t + side + m.b;
  const label = blocks.length
    ? `Eigenvalues of the recurrent weights on the complex plane; spectral radius ${blocks.map((b) => `${b.gate} ${fmt(b.spectralRadius)}`).join(', ')}.`
    : 'Eigenvalues of the recurrent weights: no analysis yet.';

  return (
    <div className="sp-eigen" style={{ width: W, height: H }}>
      <svg className="sp-chart" width={W} height={H} role="img" aria-label={label} data-testid="eigen-plot" data-values={JSON.stringify(points.flat())}>
        <text className="sp-readout" x={m.l} y={1.1 * rem}>
          {blocks.length ? `ρ = ${fmt(rho)}${rho > 1 ? ' > 1' : rho > 0 ? ' < 1' : ''}` : 'waiting for the first analysis…'}
        </text>
        <g transform={`translate(${m.l},${m.t})`}>
          <line className="sp-zero" x1={0} x2={side} y1={y(0)} y2={y(0)} />
          <line className="sp-zero" x1={x(0)} x2={x(0)} y1={0} y2={side} />
          <path className="sp-unit-circle" d={unit.toString()} />
          <text className="sp-note" x={x(0.71) + 3} y={y(0.71) - 3}>
            |λ| = 1
          </text>
          <Axis scale={x} orient="bottom" y={side} ticks={4} format={tickText} label="Re λ" labelOffset={2 * rem} />
          <Axis scale={y} orient="left" ticks={4} format={tickText} label="Im λ" labelOffset={m.l - 0.5 * rem} />
        </g>
        {blocks.length > 1 && (
          <g className="sp-legend" transform={`translate(${m.l + side + m.r + 0.6 * rem},${m.t})`}>
            {blocks.map((b, g) => {
              const colour = GATE_COLOURS[g % GATE_COLOURS.length];
              const style = GATE_STYLES[g % GATE_STYLES.length];
              const ly = g * 2.4 * rem + 0.6 * rem;
              return (
                <g key={b.gate} transform={`translate(0,${ly})`}>
                  <circle cx={dot} cy={0} r={dot * 1.2} fill={style.filled ? colour : 'none'} stroke={colour} strokeWidth={1.5} />
                  {style.cross && <path d={`M${-dot * 0.6},0h${dot * 3.2}M${dot},${-dot * 2}v${dot * 4}`} stroke={colour} strokeWidth={1} />}
                  <text x={dot * 3 + 2} y={0.35 * rem}>
                    {b.gate}
                  </text>
                  <text x={dot * 3 + 2} y={1.35 * rem} className="sp-note">
                    ρ {fmt(b.spectralRadius)}
                  </text>
                </g>
              );
            })}
          </g>
        )}
      </svg>
      <canvas ref={canvas} className="sp-eigen-points" style={{ left: m.l - pad, top: m.t - pad }} role="presentation" />
    </div>
  );
}

interface PointsDraw {
  /** per gate block, its points (the order `values` follows) */
  points: Complex[][];
  /** re, im of every point in order: where each is shown now */
  values: number[];
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  dot: number;
  pad: number;
  side: number;
  dpr: number;
}

/** The points on the canvas over the plot area (offset by `pad`), one marker style per gate block. */
function drawPoints(canvas: HTMLCanvasElement, { points, values, x, y, dot, pad, side, dpr }: PointsDraw): void {
  const ctx = prepareCanvas(canvas, side + 2 * pad, side + 2 * pad, dpr);
  if (!ctx) return;
  ctx.translate(pad, pad);
  let k = 0;
  points.forEach((ps, g) => {
    const colour = GATE_COLOURS[g % GATE_COLOURS.length];
    const style = GATE_STYLES[g % GATE_STYLES.length];
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    for (let i = 0; i < ps.length; i++, k += 2) {
      const cx = x(values[k] ?? ps[i][0]);
      const cy = y(values[k + 1] ?? ps[i][1]);
      ctx.beginPath();
      ctx.arc(cx, cy, dot, 0, 2 * Math.PI);
      if (style.filled) {
        ctx.globalAlpha = 0.75;
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      ctx.lineWidth = style.filled ? 0.5 : 1.5;
      ctx.stroke();
      if (style.cross) {
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(cx - dot * 1.6, cy);
        ctx.lineTo(cx + dot * 1.6, cy);
        ctx.moveTo(cx, cy - dot * 1.6);
        ctx.lineTo(cx, cy + dot * 1.6);
        ctx.stroke();
      }
    }
  });
}
