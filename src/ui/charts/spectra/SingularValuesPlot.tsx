/**
 * (b) Singular values of the state Jacobian J_p = ∂s_p/∂s_{p−1} along the sequence (log scale):
 * all of them as faint dots, the largest and smallest joined as an envelope. σ_max above 1 lets a
 * perturbation grow at that step, σ_max below 1 forces every direction to shrink.
 */
import { scaleLinear, scaleLog } from 'd3';
import { fmt, logTickFormat } from '../../format';
import { ROLE, OKABE_ITO } from '../../theme';
import { Axis } from '../Axis';
import { Key } from '../lines/Legend';
import { clampLog, linePath, logDomain } from '../lines/scales';
import '../charts.css';
import './spectra.css';

export interface SingularValuesPlotProps {
  steps: number[];
  /** per step, descending */
  values: number[][];
  width: number;
  height: number;
  rem: number;
}

const MAX_DOTS = 6000;

export function SingularValuesPlot({ steps, values, width, height, rem }: SingularValuesPlotProps) {
  const m = { l: 2.8 * rem, r: 0.8 * rem, t: 2.7 * rem, b: 2.4 * rem };
  const w = Math.max(10, width - m.l - m.r);
  const h = Math.max(10, height - m.t - m.b);
  const rows = steps.map((p, i) => ({ p, sv: (values[i] ?? []).filter((v) => Number.isFinite(v)) })).filter((r) => r.sv.length > 0);
  const all = rows.flatMap((r) => r.sv);
  const dom = logDomain(all, [1]);
  const pMin = rows.length ? rows[0].p : 0;
  const pMax = rows.length ? rows[rows.length - 1].p : 1;
  const x = scaleLinear().domain(pMin === pMax ? [pMin - 1, pMax + 1] : [pMin, pMax]).range([0, w]);
  const y = scaleLog().domain(dom).range([h, 0]).clamp(true);
  const env = (pickV: (sv: number[]) => number) =>
    linePath(
      rows,
      (r) => x(r.p),
      (r) => y(clampLog(pickV(r.sv), dom)),
    );
  const maxOf = (sv: number[]) => Math.max(...sv);
  const minOf = (sv: number[]) => Math.min(...sv);
  const showDots = all.length <= MAX_DOTS;
  const top = rows.length ? Math.max(...rows.map((r) => maxOf(r.sv))) : NaN;
  const bottom = rows.length ? Math.min(...rows.map((r) => minOf(r.sv))) : NaN;
  const label = rows.length
    ? `Singular values of the state Jacobian at ${rows.length} steps, log scale: largest ${fmt(top)}, smallest ${fmt(bottom)}.`
    : 'Singular values of the state Jacobian: no analysis yet.';
  return (
    <svg className="sp-chart" width={width} height={height} role="img" aria-label={label}>
      <Key
        x={m.l}
        y={1.1 * rem}
        rem={rem}
        sample={1.2 * rem}
        items={[
          { label: 'σ_max', color: ROLE.beforeClip, x: 0 },
          { label: 'σ_min', color: ROLE.afterClip, dash: '5 3', x: 4.5 * rem },
        ]}
      />
      <g transform={`translate(${m.l},${m.t})`}>
        <line className="sp-ref" x1={0} x2={w} y1={y(1)} y2={y(1)} />
        <text className="sp-note" x={w - 2} y={y(1) + 0.85 * rem} textAnchor="end">
          σ = 1
        </text>
        {showDots &&
          rows.map((r) => (
            <g key={r.p}>
              {r.sv.map((v, k) => (
                <circle key={k} className="sp-faint" cx={x(r.p)} cy={y(clampLog(v, dom))} r={1.6} fill={OKABE_ITO.grey} />
              ))}
            </g>
          ))}
        <path d={env(maxOf)} fill="none" stroke={ROLE.beforeClip} strokeWidth={2} />
        <path d={env(minOf)} fill="none" stroke={ROLE.afterClip} strokeWidth={2} strokeDasharray="5 3" />
        <Axis scale={x} orient="bottom" y={h} ticks={Math.max(2, Math.floor(w / 70))} format="d" label="step p" labelOffset={2.1 * rem} />
        <Axis scale={y} orient="left" ticks={4} format={logTickFormat(dom)} label="σ of J_p (log)" labelOffset={2.6 * rem} labelAt="top" />
        {!rows.length && (
          <text className="sp-note" x={w / 2} y={h / 2} textAnchor="middle">
            waiting for the first analysis…
          </text>
        )}
      </g>
    </svg>
  );
}
