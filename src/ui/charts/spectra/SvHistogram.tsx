/**
 * The singular values of every analysed J_t as a histogram on a log σ axis, with σ = 1 marked: a
 * single bar there is dynamical isometry (signals and gradients keep their size); a wide spread
 * means some directions vanish and others grow. d3 computes the scales, React draws.
 */
import { scaleLinear } from 'd3';
import { OKABE_ITO } from '../../theme';
import { SVG_STYLE } from '../svgStyle';
import { powerOfTen } from '../../format';
import { binSingularValues } from './svBins';

export function SvHistogram({ values, width, height, rem, label }: { values: readonly number[]; width: number; height: number; rem: number; label: string }) {
  if (width < 60 || height < 60) return null;
  const b = binSingularValues(values);
  const m = { l: 2.6 * rem, r: 0.8 * rem, t: 1.6 * rem, b: 2.4 * rem };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const x = scaleLinear().domain([b.edges[0], b.edges[b.edges.length - 1]]).range([0, w]);
  const top = Math.max(1, ...b.counts);
  const y = scaleLinear().domain([0, top / Math.max(1, b.total)]).range([h, 0]).nice();
  const share = (c: number) => c / Math.max(1, b.total);
  const decades = Array.from({ length: b.edges[b.edges.length - 1] - b.edges[0] + 1 }, (_, i) => b.edges[0] + i);
  return (
    <svg className="achart" width={width} height={height} role="img" aria-label={label} data-testid="sv-histogram" data-counts={JSON.stringify(b.counts)}>
      <title>{label}</title>
      <text style={SVG_STYLE.label} x={m.l} y={1.1 * rem}>
        σ(J_t): share of {b.total}{b.off ? ` (${b.off} at 0, not drawn)` : ''}
      </text>
      <g transform={`translate(${m.l},${m.t})`}>
        {y.ticks(3).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line style={SVG_STYLE.grid} x2={w} />
            <text style={SVG_STYLE.tick} x={-0.3 * rem} dy="0.32em" textAnchor="end">
              {`${Math.round(t * 100)} %`}
            </text>
          </g>
        ))}
        {b.counts.map((c, i) =>
          c ? <rect key={i} x={x(b.edges[i]) + 0.5} width={Math.max(1, x(b.edges[i + 1]) - x(b.edges[i]) - 1)} y={y(share(c))} height={h - y(share(c))} fill={OKABE_ITO.blue} /> : null,
        )}
        <line x1={x(0)} x2={x(0)} y1={0} y2={h} stroke={OKABE_ITO.vermillion} strokeWidth={1.5} strokeDasharray="5 3" />
        <text style={SVG_STYLE.tick} x={x(0) + 0.3 * rem} y={0.8 * rem}>
          σ = 1
        </text>
        <line style={SVG_STYLE.axis} y1={h} y2={h} x2={w} />
        {decades.map((d) => (
          <text key={d} style={SVG_STYLE.tick} x={x(d)} y={h + 1 * rem} textAnchor="middle">
            {powerOfTen(d)}
          </text>
        ))}
        <text style={SVG_STYLE.label} x={w / 2} y={h + 2.1 * rem} textAnchor="middle">
          singular value σ of J_t (log)
        </text>
      </g>
    </svg>
  );
}
