/**
 * (c) How far back a perturbation survives: ‖∂s_T/∂s_{T−k}‖ = ‖J_T ⋯ J_{T−k+1}‖ against the lag k
 * on a log axis, the fitted exponential rate as a straight line, and the top Lyapunov exponent in
 * words ("decays ×e^λ per step"). A straight falling line is the vanishing gradient itself.
 */
import { scaleLinear } from 'd3';
import { fmt, powerOfTen } from '../../format';
import { ROLE } from '../../theme';
import { Axis } from '../Axis';
import { Key } from '../lines/Legend';
import { decadeDomain, linePath } from '../lines/scales';
import '../charts.css';

export interface ProductNormsPlotProps {
  /** ln ‖J_T ⋯ J_{T−k+1}‖ for k = 1 … maxLag: finite even where the norm itself is out of double's
   *  range (1e−320 and 1e+400 are drawn where they are, not at the edge); −Infinity for an exact 0 */
  logNorms: number[];
  /** the fitted log-slope per step */
  rate: number;
  /** the top Lyapunov exponent, per step */
  lyapunov: number;
  width: number;
  height: number;
  rem: number;
}

/** "decays ×0.90 per step" / "grows ×1.1 per step" for a per-step log-rate λ (the factor is e^λ). */
export function rateWords(lambda: number): string {
  if (!Number.isFinite(lambda)) return 'rate unknown';
  const factor = Math.exp(lambda);
  return `${lambda < 0 ? 'decays' : 'grows'} ×${fmt(factor)} per step`;
}

export function ProductNormsPlot({ logNorms, rate, lyapunov, width, height, rem }: ProductNormsPlotProps) {
  const m = { l: 3.4 * rem, r: 0.8 * rem, t: 3.9 * rem, b: 2.4 * rem };
  const w = Math.max(10, width - m.l - m.r);
  const h = Math.max(10, height - m.t - m.b);
  // Drawn in log10 on a linear scale, so a norm past double's range still has its place.
  const log10s = logNorms.map((l) => l / Math.LN10);
  const dom = decadeDomain(log10s);
  const kMax = Math.max(2, logNorms.length);
  const x = scaleLinear().domain([1, kMax]).range([0, w]);
  const y = scaleLinear().domain(dom).range([h, 0]);
  const pts = log10s.map((v, i) => ({ k: i + 1, v })).filter((d) => Number.isFinite(d.v));
  const path = linePath(
    pts,
    (d) => x(d.k),
    (d) => y(d.v),
  );
  // The fitted line through the logs: ln n_k ≈ a + rate·k, with a = mean(ln n_k − rate·k).
  const a = pts.length ? pts.reduce((s, d) => s + d.v * Math.LN10 - rate * d.k, 0) / pts.length : NaN;
  const fit = Number.isFinite(a) && Number.isFinite(rate) && pts.length > 1 ? [1, kMax].map((k) => ({ k, v: (a + rate * k) / Math.LN10 })) : [];
  const fitPath = linePath(
    fit,
    (d) => x(d.k),
    (d) => y(Math.min(dom[1], Math.max(dom[0], d.v))),
  );
  const norms = logNorms.map(Math.exp);
  const long = `λ₁ = ${fmt(lyapunov)}: ${rateWords(lyapunov)}`;
  const readout = long.length * 0.52 * rem > width - m.l ? `λ₁ = ${fmt(lyapunov)} (×${fmt(Math.exp(lyapunov))}/step)` : long;
  const label = logNorms.length
    ? `Norm of the Jacobian product against lag k, log scale, for k up to ${logNorms.length}; fitted rate ${fmt(rate)} per step; top Lyapunov exponent ${fmt(lyapunov)}: ${rateWords(lyapunov)}.`
    : 'Norm of the Jacobian product against lag: no analysis yet.';
  return (
    <svg className="sp-chart" width={width} height={height} role="img" aria-label={label} data-testid="product-norms" data-values={JSON.stringify(norms)} data-log-values={JSON.stringify(logNorms.map((l) => (Number.isFinite(l) ? l : null)))}>
      <text className="sp-readout" x={m.l} y={1.1 * rem}>
        {readout}
        <title>{`The top Lyapunov exponent λ₁: a perturbation ${rateWords(lyapunov)} on average (×e^λ₁).`}</title>
      </text>
      <Key
        x={m.l}
        y={2.3 * rem}
        rem={rem}
        sample={1.2 * rem}
        items={[
          { label: 'measured', color: ROLE.forward, dot: true, x: 0 },
          { label: `fit: ${fmt(rate)} per step`, color: ROLE.threshold, dash: '6 3', x: 5 * rem },
        ]}
      />
      <g transform={`translate(${m.l},${m.t})`}>
        <line className="sp-ref" x1={0} x2={w} y1={y(0)} y2={y(0)} />
        <path d={path} fill="none" stroke={ROLE.forward} strokeWidth={1.5} />
        {pts.length <= 400 && pts.map((d) => <circle key={d.k} cx={x(d.k)} cy={y(d.v)} r={2.5} fill={ROLE.forward} />)}
        <path d={fitPath} fill="none" stroke={ROLE.threshold} strokeWidth={2} strokeDasharray="6 3" />
        <Axis scale={x} orient="bottom" y={h} ticks={Math.max(2, Math.floor(w / 70))} format="d" label="lag k" labelOffset={2.1 * rem} />
        <Axis scale={y} orient="left" ticks={4} format={(v) => (Number.isInteger(+v) ? powerOfTen(+v) : '')} label="‖∂s_T/∂s_(T−k)‖ (log)" labelOffset={3.2 * rem} labelAt="top" />
        {!logNorms.length && (
          <text className="sp-note" x={w / 2} y={h / 2} textAnchor="middle">
            waiting for the first analysis…
          </text>
        )}
      </g>
    </svg>
  );
}
