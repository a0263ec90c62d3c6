/**
 * Tasks scored only at the last step (adding problem, parity, temporal order): the single
 * prediction against the target. Classes: the softmax probability of each class as a bar, the
 * target's bar marked. Values: prediction and target as two marks on one number line.
 */
import { scaleBand, scaleLinear, type AxisScale, type NumberValue } from 'd3';
import { OKABE_ITO, ROLE } from '../../theme';
import { Axis } from '../Axis';
import { fmt, tickText } from '../../format';
import { argmax, softmax } from './readout';
import './inside.css';

export function FinalClass({ logits, target, width, height, rem }: { logits: ArrayLike<number>; target: number; width: number; height: number; rem: number }) {
  const Y = logits.length;
  const p = softmax(logits, 0, Y);
  const pred = argmax(logits, 0, Y);
  const ok = pred === target;
  const m = { l: 3 * rem, r: 0.6 * rem, t: 0.6 * rem, b: 2.2 * rem };
  const w = Math.max(10, Math.min(width, Math.max(14 * rem, Y * 2.2 * rem)) - m.l - m.r);
  const h = Math.max(4 * rem, height - 1.8 * rem - m.t - m.b);
  const x = scaleBand<number>().domain(Array.from({ length: Y }, (_, k) => k)).range([0, w]).padding(0.2);
  const y = scaleLinear().domain([0, 1]).range([h, 0]);
  return (
    <div className="in-final">
      <p>
        Predicted <strong>{pred < 0 ? '—' : pred}</strong> (p {fmt(p[pred])}) · target <strong>{Number.isFinite(target) ? target : '—'}</strong>{' '}
        <span className={ok ? 'in-ok' : 'in-bad'}>{ok ? '✓ right' : '✗ wrong'}</span>
      </p>
      <svg width={w + m.l + m.r} height={h + m.t + m.b} role="img" aria-label={`Probability of each of ${Y} classes; predicted ${pred}, target ${target}.`}>
        <g transform={`translate(${m.l},${m.t})`}>
          {p.map((v, k) => (
            <g key={k}>
              <rect x={x(k)} y={y(v)} width={x.bandwidth()} height={h - y(v)} fill={k === target ? OKABE_ITO.green : OKABE_ITO.grey} />
              {k === target && (
                <text x={(x(k) ?? 0) + x.bandwidth() / 2} y={Math.max(0.9 * rem, y(v) - 3)} textAnchor="middle" className="in-small">
                  target
                </text>
              )}
            </g>
          ))}
          <Axis scale={x as unknown as AxisScale<NumberValue>} orient="bottom" y={h} format={(v) => String(v)} label="class" labelOffset={2 * rem} />
          <Axis scale={y} orient="left" ticks={3} format={tickText} label="p" labelOffset={2.2 * rem} />
        </g>
      </svg>
    </div>
  );
}

export function FinalValue({ predicted, target, width, rem }: { predicted: number[]; target: number[]; width: number; rem: number }) {
  const m = { l: 1 * rem, r: 1 * rem };
  const w = Math.max(10, Math.min(width, 28 * rem) - m.l - m.r);
  const vals = [...predicted, ...target].filter((v) => Number.isFinite(v));
  const lo = Math.min(0, ...vals);
  const hi = Math.max(1, ...vals);
  const x = scaleLinear().domain([lo, hi]).range([0, w]).nice();
  const h = 4 * rem;
  return (
    <div className="in-final">
      {predicted.map((v, k) => (
        <p key={k}>
          {predicted.length > 1 ? `Output ${k}: ` : ''}prediction <strong>{fmt(v)}</strong> · target <strong>{fmt(target[k])}</strong> · error {fmt(v - target[k])}
        </p>
      ))}
      <svg width={w + m.l + m.r} height={h} role="img" aria-label={`Predicted ${fmt(predicted[0])} against target ${fmt(target[0])}.`}>
        <g transform={`translate(${m.l},${1.4 * rem})`}>
          {Number.isFinite(target[0]) && <path d={`M${x(target[0])},0l${-0.4 * rem},${-0.7 * rem}h${0.8 * rem}z`} fill={OKABE_ITO.green} />}
          {Number.isFinite(predicted[0]) && <circle cx={x(predicted[0])} cy={-0.35 * rem} r={0.3 * rem} fill="none" stroke={ROLE.forward} strokeWidth={2.5} />}
          <Axis scale={x} orient="bottom" y={0} ticks={Math.max(2, Math.floor(w / 70))} format={tickText} />
        </g>
        <g className="sp-key" transform={`translate(${m.l},${h - 0.3 * rem})`}>
          <path d={`M${0.4 * rem},${-0.2 * rem}l${-0.4 * rem},${-0.7 * rem}h${0.8 * rem}z`} fill={OKABE_ITO.green} />
          <text x={1.1 * rem}>target</text>
          <circle cx={6 * rem} cy={-0.5 * rem} r={0.3 * rem} fill="none" stroke={ROLE.forward} strokeWidth={2.5} />
          <text x={6.6 * rem}>prediction</text>
        </g>
      </svg>
    </div>
  );
}
