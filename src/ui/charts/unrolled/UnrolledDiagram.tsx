/**
 * The static part of the unrolled network: one box per time step (the same cell, the same
 * weights), the first units of h_t as coloured cells inside it, the forward arrows h_{t−1} → h_t,
 * the gradient arrows back (width ∝ log ‖∂L/∂h_t‖), and the truncation cuts where no gradient
 * crosses. Memoised: the sweep and the slow mode draw on top of it without redrawing it.
 */
import { memo, type KeyboardEvent } from 'react';
import { diverging, ROLE } from '../../theme';
import { fmt } from '../../format';
import { colX, cutBetween, gradWidthScale, type UnrolledLayout } from './layout';
import './unrolled.css';

export interface UnrolledDiagramProps {
  L: UnrolledLayout;
  /** (T, H·dirs) */
  hidden: Float32Array | null;
  H: number;
  /** (T) ‖∂L/∂h_t‖ */
  norms: Float64Array | null;
  truncation: number;
  /** per step: is its output scored */
  scored: boolean[];
  selected: number | null;
  /** the step that takes the Tab stop (roving tab index) */
  focusable: number;
  onSelect: (t: number) => void;
  onKey: (e: KeyboardEvent<SVGGElement>, t: number) => void;
}

/** An arrowhead with its tip at (x, y): length s, half-height hh (default 0.6·s). */
function Head({ x, y, s, hh = s * 0.6, dir, colour }: { x: number; y: number; s: number; hh?: number; dir: 1 | -1; colour: string }) {
  return <path d={`M${x},${y}l${-dir * s},${-hh}v${2 * hh}z`} fill={colour} />;
}

export const UnrolledDiagram = memo(function UnrolledDiagram(props: UnrolledDiagramProps) {
  const { L, hidden, H, norms, truncation, scored, selected, focusable, onSelect, onKey } = props;
  const widthOf = gradWidthScale(norms, L.rem);
  const steps = Array.from({ length: L.n }, (_, i) => L.t0 + i);
  const Hd = H * L.dirs;
  const gap = L.stepW - L.boxW;
  const head = Math.min(0.32 * L.rem, gap * 0.3);
  const gHead = Math.min(0.3 * L.rem, L.stepW * 0.22);
  const valueAt = (t: number, d: number, u: number) => (hidden && (t + 1) * Hd <= hidden.length ? hidden[t * Hd + d * H + u] : NaN);

  const arrows = L.rowY.flatMap((top, d) => {
    const yF = top + L.boxH * 0.5;
    const yB = top + L.boxH + 0.55 * L.rem; // the gradient runs under the boxes
    const edges = steps.filter((t) => t > 0 || L.t0 > 0);
    const dir = d === 0 ? 1 : -1; // the forward pass's direction along x
    const fwdColour = d === 0 ? ROLE.forward : ROLE.reverse;
    return edges.map((t) => {
      // the edge between t−1 and t (the first shown step's left edge comes from the ellipsis)
      const ellipsis = t === L.t0;
      const xl = ellipsis ? L.x0 - 0.4 * L.rem : colX(L, t - 1) + L.boxW / 2;
      const xr = colX(L, t) - L.boxW / 2;
      const cl = ellipsis ? L.x0 - 0.4 * L.rem : colX(L, t - 1) + 0.1 * L.rem; // gradient segment ends
      const cr = colX(L, t) - 0.1 * L.rem;
      const cut = cutBetween(t, d, L.T, truncation);
      const src = d === 0 ? t : t - 1; // the step whose gradient crosses this edge
      const w = norms ? widthOf(norms[src] ?? NaN) : 0;
      const mid = (xl + xr) / 2;
      return (
        <g key={`${d}-${t}`}>
          <line className="un-fwd" x1={dir > 0 ? xl : xl + head} x2={dir > 0 ? xr - head : xr} y1={yF} y2={yF} stroke={fwdColour} />
          <Head x={dir > 0 ? xr : xl} y={yF} s={head} dir={dir === 1 ? 1 : -1} colour={fwdColour} />
          {cut ? (
            <g className="un-cut">
              <line x1={mid} x2={mid} y1={top - 0.3 * L.rem} y2={yB + 0.5 * L.rem} />
              <text x={mid} y={yB + 0.3 * L.rem} textAnchor="middle">
                ✂
              </text>
            </g>
          ) : w > 0 ? (
            <>
              <line className="un-grad" x1={dir > 0 ? cr : cl} x2={dir > 0 ? cl + gHead : cr - gHead} y1={yB} y2={yB} strokeWidth={w} />
              <Head x={dir > 0 ? cl : cr} y={yB} s={gHead} hh={Math.max(gHead * 0.5, w * 0.75)} dir={dir > 0 ? -1 : 1} colour={ROLE.backward} />
            </>
          ) : (
            <line className="un-grad-none" x1={cl} x2={cr} y1={yB} y2={yB} />
          )}
        </g>
      );
    });
  });

  const every = Math.max(1, Math.ceil((1.9 * L.rem) / L.stepW));
  return (
    <g className="un-diagram">
      {L.dirs > 1 &&
        L.rowY.map((top, d) => (
          <text key={d} className="un-row-label" x={0} y={top + L.boxH / 2 + 0.3 * L.rem}>
            {d === 0 ? 'fwd →' : 'rev ←'}
          </text>
        ))}
      {L.t0 > 0 && (
        <g className="un-ellipsis">
          <text x={L.gutter + 0.9 * L.rem} y={L.rowY[0] + L.boxH / 2 + 0.3 * L.rem} textAnchor="middle">
            …
          </text>
          <text x={L.gutter + 0.9 * L.rem} y={L.labelY} textAnchor="middle" className="un-small">
            {`<${L.t0}`}
          </text>
        </g>
      )}
      {arrows}
      {steps.map((t) => {
        const x = colX(L, t);
        const norm = norms?.[t];
        const isSel = selected === t;
        return (
          <g
            key={t}
            className={`un-step${isSel ? ' un-selected' : ''}`}
            data-testid={`unrolled-step-${t}`}
            tabIndex={t === focusable ? 0 : -1}
            role="button"
            aria-pressed={isSel}
            aria-label={`Step ${t}: gradient norm ${fmt(norm)}. Press Enter to inspect.`}
            onClick={() => onSelect(t)}
            onKeyDown={(e) => onKey(e, t)}
          >
            <title>{`t = ${t}, ‖∂L/∂h_t‖ = ${fmt(norm)}`}</title>
            <rect className="un-hit" x={x - L.stepW / 2} y={0} width={L.stepW} height={L.height} />
            {(t - L.t0) % every === 0 || t === L.T - 1 ? (
              <text className="un-small" x={x} y={L.labelY} textAnchor="middle">
                {t}
              </text>
            ) : null}
            {scored[t] && <line className="un-io" x1={x} x2={x} y1={L.rowY[0]} y2={L.outY} />}
            {scored[t] && <circle className="un-out" cx={x} cy={L.outY} r={0.18 * L.rem} />}
            <line className="un-io" x1={x} x2={x} y1={L.inY - 0.3 * L.rem} y2={L.rowY[L.dirs - 1] + L.boxH} />
            <rect className="un-in" x={x - 0.18 * L.rem} y={L.inY - 0.36 * L.rem} width={0.36 * L.rem} height={0.36 * L.rem} />
            {L.rowY.map((top, d) => (
              <g key={d}>
                <rect className="un-box" x={x - L.boxW / 2} y={top} width={L.boxW} height={L.boxH} rx={0.3 * L.rem} />
                {Array.from({ length: L.units }, (_, u) => {
                  const v = valueAt(t, d, u);
                  return (
                    <rect key={u} x={x - L.boxW / 2 + 0.25 * L.rem} y={top + 0.3 * L.rem + u * L.unitH} width={L.boxW - 0.5 * L.rem} height={L.unitH - 1} fill={Number.isFinite(v) ? diverging(v) : '#999'} />
                  );
                })}
              </g>
            ))}
          </g>
        );
      })}
    </g>
  );
});
