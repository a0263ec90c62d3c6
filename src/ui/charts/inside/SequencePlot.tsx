/**
 * Values over time as lines (a sine input, target against prediction): a small SVG chart with a
 * key, where unscored steps are shaded so it is clear which part of the sequence the loss sees.
 * Non-finite values break the line instead of breaking the chart.
 */
import { extent, scaleLinear } from 'd3';
import { tickText } from '../../format';
import { Axis } from '../Axis';
import { Key } from '../lines/Legend';
import { linePath } from '../lines/scales';
import './inside.css';

export interface Series {
  name: string;
  values: ArrayLike<number>;
  colour: string;
  dash?: string;
}

export interface SequencePlotProps {
  series: Series[];
  /** (T) 1 where scored, or null */
  mask?: ArrayLike<number> | null;
  width: number;
  height: number;
  rem: number;
  ariaLabel: string;
  yLabel?: string;
}

export function SequencePlot({ series, mask, width, height, rem, ariaLabel, yLabel }: SequencePlotProps) {
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
    linePath(
      Array.from(vals),
      (_, i) => x(i),
      (v) => y(v),
      (v) => Number.isFinite(v),
    );
  const stepW = T > 1 ? w / (T - 1) : w;
  return (
    <svg className="in-lines" width={width} height={height} role="img" aria-label={ariaLabel}>
      <Key x={m.l} y={1 * rem} rem={rem} sample={1.4 * rem} items={series.map((s, i) => ({ label: s.name, color: s.colour, dash: s.dash, x: i * 8 * rem }))} />
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
