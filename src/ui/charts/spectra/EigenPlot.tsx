/**
 * (a) The eigenvalues of W_hh on the complex plane with the unit circle: a linear RNN's state
 * along an eigenvector is multiplied by λ each step, so points outside the circle mean growth,
 * points inside mean decay. For LSTM/GRU, one colour and marker per gate block. Points glide to
 * their new places between analyses (unless reduced motion is asked for). Each point is a
 * <circle data-re data-im> at full precision, for tests.
 */
import { path as d3path, scaleLinear } from 'd3';
import { useMemo, useRef } from 'react';
import type { BlockSpectrum } from '../../../engine/analysis';
import { OKABE_ITO } from '../../theme';
import { Axis } from '../Axis';
import { finiteEig, matchToPrevious, type Complex } from './eigenMatch';
import { fmt, tickText } from '../../format';
import { useTween } from '../useTween';
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
  // points glide to their new places, unless none would move by half a pixel
  const shown = useTween(flat, 450, (0.5 * 2 * R) / side);
  const x = scaleLinear().domain([-R, R]).range([0, side]);
  const y = scaleLinear().domain([-R, R]).range([side, 0]);
  const unit = d3path();
  unit.arc(x(0), y(0), x(1) - x(0), 0, 2 * Math.PI);
  const rho = Math.max(0, ...blocks.map((b) => (Number.isFinite(b.spectralRadius) ? b.spectralRadius : 0)));
  const dot = Math.max(2.5, 0.24 * rem);
  const W = m.l + side + m.r + legendW;
  const H = m.t + side + m.b;
  const label = blocks.length
    ? `Eigenvalues of the recurrent weights on the complex plane; spectral radius ${blocks.map((b) => `${b.gate} ${fmt(b.spectralRadius)}`).join(', ')}.`
    : 'Eigenvalues of the recurrent weights: no analysis yet.';

  let offset = 0;
  return (
    <svg className="sp-chart" width={W} height={H} role="img" aria-label={label} data-testid="eigen-plot">
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
        {points.map((ps, g) => {
          const colour = GATE_COLOURS[g % GATE_COLOURS.length];
          const style = GATE_STYLES[g % GATE_STYLES.length];
          const start = offset;
          offset += ps.length * 2;
          return (
            <g key={g} className="sp-gate" data-gate={blocks[g].gate}>
              {ps.map(([re, im], i) => {
                const cx = x(shown[start + 2 * i] ?? re);
                const cy = y(shown[start + 2 * i + 1] ?? im);
                return (
                  <g key={i}>
                    <circle cx={cx} cy={cy} r={dot} data-re={String(re)} data-im={String(im)} fill={style.filled ? colour : 'none'} fillOpacity={0.75} stroke={colour} strokeWidth={style.filled ? 0.5 : 1.5} />
                    {style.cross && <path d={`M${cx - dot * 1.6},${cy}h${dot * 3.2}M${cx},${cy - dot * 1.6}v${dot * 3.2}`} stroke={colour} strokeWidth={1} />}
                  </g>
                );
              })}
            </g>
          );
        })}
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
  );
}
