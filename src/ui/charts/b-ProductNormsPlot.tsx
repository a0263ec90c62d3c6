/**
 * (c) How far back a perturbation survives: ‖∂s_T/∂s_{T−k}‖ = ‖J_T ⋯ J_{T−k+1}‖ against the lag k
 * on a log axis, the fitted exponential rate as a straight line, and the top Lyapunov exponent in
 * words ("decays ×e^λ per step"). A straight falling line is the vanishing gradient itself.
 */
import { line, scaleLinear, scaleLog } from 'd3';
import { ROLE } from '../theme';
import { Axis } from './b-Axis';
import { clampLog, fmt, isPos, logDomain, logIntercept, logTickFormat } from './b-numbers';

export interface ProductNormsPlotProps {
  /** for k = 1 … maxLag */
  norms: number[];
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

export function ProductNormsPlot({ norms, rate, lyapunov, width, height, rem }: ProductNormsPlotProps) {
  const m = { l: 2.8 * rem, r: 0.8 * rem, t: 3.9 * rem, b: 2.4 * rem };
  const w = Math.max(10, width - m.l - m.r);
  const h = Math.max(10, height - m.t - m.b);
  const ks = norms.map((_, i) => i + 1);
  const dom = logDomain(norms, [1]);
  const kMax = Math.max(2, norms.length);
  const x = scaleLinear().domain([1, kMax]).range([0, w]);
  const y = scaleLog().domain(dom).range([h, 0]).clamp(true);
  const pts = ks.map((k, i) => ({ k, v: norms[i] })).filter((d) => isPos(d.v));
  const path = line<{ k: number; v: number }>().x((d) => x(d.k)).y((d) => y(clampLog(d.v, dom)))(pts) ?? '';
  const a = logIntercept(ks, norms, rate);
  const fit = Number.isFinite(a) && pts.length > 1 ? [1, kMax].map((k) => ({ k, v: Math.exp(a + rate * k) })) : [];
  const fitPath = line<{ k: number; v: number }>().x((d) => x(d.k)).y((d) => y(clampLog(d.v, dom)))(fit) ?? '';
  const long = `λ₁ = ${fmt(lyapunov)}: ${rateWords(lyapunov)}`;
  const readout = long.length * 0.52 * rem > width - m.l ? `λ₁ = ${fmt(lyapunov)} (×${fmt(Math.exp(lyapunov))}/step)` : long;
  const label = norms.length
    ? `Norm of the Jacobian product against lag k, log scale, for k up to ${norms.length}; fitted rate ${fmt(rate)} per step; top Lyapunov exponent ${fmt(lyapunov)}: ${rateWords(lyapunov)}.`
    : 'Norm of the Jacobian product against lag: no analysis yet.';
  return (
    <svg className="sp-chart" width={width} height={height} role="img" aria-label={label} data-testid="product-norms" data-values={JSON.stringify(norms)}>
      <text className="sp-readout" x={m.l} y={1.1 * rem}>
        {readout}
        <title>{`The top Lyapunov exponent λ₁: a perturbation ${rateWords(lyapunov)} on average (×e^λ₁).`}</title>
      </text>
      <g className="sp-key" transform={`translate(${m.l},${2.3 * rem})`}>
        <circle cx={0.3 * rem} cy={-0.3 * rem} r={2.5} fill={ROLE.forward} />
        <text x={0.8 * rem} y={0}>
          measured
        </text>
        <line x1={5 * rem} x2={6.2 * rem} y1={-0.3 * rem} y2={-0.3 * rem} stroke={ROLE.threshold} strokeWidth={2} strokeDasharray="6 3" />
        <text x={6.5 * rem} y={0}>
          fit: {fmt(rate)} per step
        </text>
      </g>
      <g transform={`translate(${m.l},${m.t})`}>
        <line className="sp-ref" x1={0} x2={w} y1={y(1)} y2={y(1)} />
        <path d={path} fill="none" stroke={ROLE.forward} strokeWidth={1.5} />
        {pts.length <= 400 && pts.map((d) => <circle key={d.k} cx={x(d.k)} cy={y(d.v)} r={2.5} fill={ROLE.forward} />)}
        <path d={fitPath} fill="none" stroke={ROLE.threshold} strokeWidth={2} strokeDasharray="6 3" />
        <Axis scale={x} orient="bottom" y={h} ticks={Math.max(2, Math.floor(w / 70))} format="d" label="lag k" labelOffset={2.1 * rem} />
        <Axis scale={y} orient="left" ticks={4} format={logTickFormat(dom)} label="‖∂s_T/∂s_(T−k)‖ (log)" labelOffset={2.6 * rem} labelAt="top" />
        {!norms.length && (
          <text className="sp-note" x={w / 2} y={h / 2} textAnchor="middle">
            waiting for the first analysis…
          </text>
        )}
      </g>
    </svg>
  );
}
