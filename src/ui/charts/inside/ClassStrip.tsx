/**
 * Classification at every step: for each time step the target class above the predicted one
 * (argmax of the logits), with ✓ / ✗ and colour for right / wrong (the symbol carries the meaning,
 * colour only helps) and a dot for steps the loss ignores. Class ids, or for a character model
 * the characters themselves (white space made visible), with the input character above.
 */
import { scaleBand } from 'd3';
import { OKABE_ITO } from '../../theme';
import { visibleChar } from './visibleChar';
import './inside.css';

export interface ClassStripProps {
  /** (T) target ids */
  targets: ArrayLike<number>;
  /** (T) predicted ids, −1 for none */
  predicted: number[];
  /** (T) scored or not */
  scored: boolean[];
  width: number;
  rem: number;
  /** what each class id shows as (a character model's vocabulary); without it, the id */
  labels?: readonly string[];
  /** (T) input ids, shown as a first row (a character model reads one character per step) */
  inputs?: ArrayLike<number>;
}

export function ClassStrip({ targets, predicted, scored, width, rem, labels, inputs }: ClassStripProps) {
  const T = predicted.length;
  const left = 4.2 * rem;
  const name = (id: number): string => (!Number.isFinite(id) || id < 0 ? '—' : labels ? visibleChar(labels[id] ?? '\ufffd') : String(id));
  const rows = inputs ? ['input', 'target', 'predicted'] : ['target', 'predicted'];
  const R = rows.length; // text rows above the right? row
  let digits = 1;
  for (let t = 0; t < T; t++) digits = Math.max(digits, name(targets[t]).length, name(predicted[t]).length);
  // the ids must be readable: when all steps do not fit, show the last ones that do
  const cellMin = digits * 0.5 * rem + 3;
  const fit = Math.max(4, Math.floor((width - left) / (cellMin * 1.08)));
  const t0 = Math.max(0, T - fit);
  const x = scaleBand<number>()
    .domain(Array.from({ length: T - t0 }, (_, i) => t0 + i))
    .range([left, Math.max(left + 10, width - 2)])
    .paddingInner(0.08);
  const bw = x.bandwidth();
  const showText = bw >= cellMin - 1;
  const rowH = 1.3 * rem;
  const tickY = (R + 1) * rowH + 0.9 * rem;
  const H = tickY + 1.3 * rem;
  let right = 0;
  let total = 0;
  const all = Array.from({ length: T }, (_, t) => {
    const ok = predicted[t] === targets[t];
    if (scored[t]) {
      total++;
      if (ok) right++;
    }
    return { t, ok, scored: scored[t] };
  });
  const cells = all.slice(t0);
  const every = Math.max(1, Math.ceil((1.8 * rem) / Math.max(1, bw)));
  return (
    <svg className="in-classes" width={width} height={H} role="img" aria-label={`Target and predicted ${labels ? 'character' : 'class'} at each of ${T} steps: ${right} of ${total} scored steps right.`}>
      <g className="in-row-names">
        {[...rows, 'right?'].map((r, i) => (
          <text key={r} x={0} y={rowH * (i + 0.75)}>
            {r}
          </text>
        ))}
      </g>
      {cells.map(({ t, ok, scored: s }) => {
        const cx = (x(t) ?? 0) + bw / 2;
        const fill = !s ? 'none' : ok ? OKABE_ITO.green : OKABE_ITO.vermillion;
        return (
          <g key={t} className={s ? '' : 'in-unscored-cell'}>
            <title>{`t = ${t}: ${inputs ? `input ${name(inputs[t])}, ` : ''}target ${name(targets[t])}, predicted ${name(predicted[t])}${s ? (ok ? ', right' : ', wrong') : ', not scored'}`}</title>
            <rect x={x(t)} y={0} width={bw} height={rowH * R - 2} className="in-class-cell" />
            {showText &&
              (inputs ? [inputs[t], targets[t], predicted[t]] : [targets[t], predicted[t]]).map((id, i) => (
                <text key={i} x={cx} y={rowH * (i + 0.75)} textAnchor="middle">
                  {name(id)}
                </text>
              ))}
            <rect x={x(t)} y={rowH * R} width={bw} height={rowH - 2} fill={fill} fillOpacity={0.25} className="in-mark-cell" />
            <text x={cx} y={rowH * (R + 0.75)} textAnchor="middle" fill={fill === 'none' ? 'currentColor' : fill} className="in-mark">
              {!s ? '·' : ok ? '✓' : '✗'}
            </text>
            {(((t - t0) % every === 0 && T - 1 - t >= every) || t === T - 1) && (
              <text x={cx} y={tickY} textAnchor="middle" className="in-small">
                {t}
              </text>
            )}
          </g>
        );
      })}
      <text x={0} y={tickY} className="in-small">
        t
      </text>
      <text x={0} y={H - 0.2 * rem} className="in-small">
        {total ? `${right}/${total} right` : 'no scored step'}
        {t0 > 0 ? `, last ${T - t0} shown` : ''}
      </text>
    </svg>
  );
}
