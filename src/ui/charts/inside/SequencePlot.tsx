/**
 * Values over time as lines (a sine input, target against prediction): a small SVG chart with a
 * key, where unscored steps are shaded so it is clear which part of the sequence the loss sees.
 * Non-finite values break the line instead of breaking the chart.
 */
import { extent, line, scaleLinear } from 'd3';
import { Axis } from './b-Axis';
import { tickText } from './b-numbers';

export interface Series {
  name: string;
  values: ArrayLike<number>;
  colour: string;
  dash?: string;
}

export interface LinesPlotProps {
  series: Series[];
  /** (T) 1 where scored, or null */
  mask?: ArrayLike<number> | null;
  width: number;
  height: number;
  rem: number;
  ariaLabel: string;
  yLabel?: string;
}

export function LinesPlot({ series, mask, width, height, rem, ariaLabel, yLabel }: LinesPlotProps) {
  const m = { l: 3 * rem, r: 0.6 * rem, t: 1.5 * rem, b: 2.3 * rem };
  const w = Math.max(10, width - m.l - m.r);
  const h = Math.max(10, height - m.t - m.b);
  const T = Math.max(0, ...series.map((s) => s.values.length));
  const all = series.flatMap((s) => Array.from(s.values).filter((v) => Number.isFinite(v)));
  const [lo, hi] = extent(all) as [number | undefined, number | undefined];
  const pad = lo !== undefined && hi !== undefined && hi > lo ? 0.08 * (hi - lo) : 1;
  const x = scaleLinear().domain([0, Math.max(1, T - 1)]).range([0, w]);
  const y = scaleLinear()
    .domain([(lo ?? 0) - pad, (hi ?? 0) + pad])
    .range([h, 0])
    .nice();
  const path = (vals: ArrayLike<number>) =>
    line<number>()
      .defined((v) => Number.isFinite(v))
      .x((_, i) => x(i))
      .y((v) => y(v))(Array.from(vals)) ?? '';
  const stepW = T > 1 ? w / (T - 1) : w;
  return (
    <svg className="in-lines" width={width} height={height} role="img" aria-label={ariaLabel}>
      <g className="sp-key" transform={`translate(${m.l},${1 * rem})`}>
        {series.map((s, i) => (
          <g key={s.name} transform={`translate(${i * 8 * rem},0)`}>
            <line x1={0} x2={1.4 * rem} y1={-0.3 * rem} y2={-0.3 * rem} stroke={s.colour} strokeWidth={2} strokeDasharray={s.dash} />
            <text x={1.7 * rem} y={0}>
              {s.name}
            </text>
          </g>
        ))}
      </g>
      <g transform={`translate(${m.l},${m.t})`}>
        {mask &&
          Array.from({ length: T }, (_, t) =>
            mask[t] > 0 ? null : <rect key={t} className="in-unscored" x={x(t) - stepW / 2} y={0} width={stepW} height={h} />,
          )}
        {series.map((s) => (
          <path key={s.name} d={path(s.values)} fill="none" stroke={s.colour} strokeWidth={2} strokeDasharray={s.dash} />
        ))}
        <Axis scale={x} orient="bottom" y={h} ticks={Math.max(2, Math.floor(w / 70))} format="d" label="time t" labelOffset={2.1 * rem} />
        <Axis scale={y} orient="left" ticks={Math.max(2, Math.floor(h / 30))} format={tickText} label={yLabel} labelOffset={2.5 * rem} />
      </g>
    </svg>
  );
}
