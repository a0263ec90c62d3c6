/**
 * What moves over the unrolled diagram: the quick sweep (a column highlight running forward, then
 * back) and the slow mode's active step with, on the way back, the span of the Jacobian product
 * J_e ⋯ J_{t+1} that carries the gradient from step e to h_t (stopping at a truncation cut).
 */
import { ROLE } from '../../theme';
import { chunkEnd, colX, type UnrolledLayout } from './layout';
import type { SlowState, SweepState } from './useSweep';
import './unrolled.css';

/** J with a subscript, in SVG text. */
function J({ i }: { i: number }) {
  return (
    <>
      J
      <tspan baselineShift="sub" fontSize="75%">
        {i}
      </tspan>
    </>
  );
}

export function SweepOverlay({ L, sweep }: { L: UnrolledLayout; sweep: SweepState | null }) {
  if (!sweep) return null;
  const top = L.rowY[0] - 0.3 * L.rem;
  const bottom = L.rowY[L.dirs - 1] + L.boxH + 0.3 * L.rem;
  const colour = sweep.phase === 'fwd' ? ROLE.forward : ROLE.backward;
  return <rect className="un-sweep" x={L.x0 + sweep.pos * L.stepW} y={top} width={L.stepW} height={bottom - top} fill={colour} rx={0.3 * L.rem} pointerEvents="none" />;
}

export function SlowOverlay({ L, slow, truncation }: { L: UnrolledLayout; slow: SlowState | null; truncation: number }) {
  if (!slow) return null;
  const { t, phase } = slow;
  const top = L.rowY[0] - 0.25 * L.rem;
  const bottom = L.rowY[0] + L.boxH + 0.25 * L.rem;
  const ring = (
    <rect
      className="un-slow-ring"
      x={colX(L, t) - L.boxW / 2 - 0.2 * L.rem}
      y={top}
      width={L.boxW + 0.4 * L.rem}
      height={bottom - top}
      rx={0.35 * L.rem}
      stroke={phase === 'fwd' ? ROLE.forward : ROLE.backward}
      pointerEvents="none"
    />
  );
  if (phase === 'fwd') return ring;
  const e = chunkEnd(t, L.T, truncation);
  const hasSpan = e > t;
  const x1 = colX(L, t + 1) - L.stepW / 2;
  const x2 = colX(L, e) + L.stepW / 2;
  return (
    <g pointerEvents="none">
      {hasSpan && (
        <>
          <rect className="un-span" x={x1} y={top} width={x2 - x1} height={bottom - top} fill={ROLE.backward} rx={0.3 * L.rem} />
          <text className="un-span-label" x={(x1 + x2) / 2} y={L.rowY[0] - 0.45 * L.rem} textAnchor="middle">
            {e === t + 1 ? (
              <J i={e} />
            ) : (
              <>
                <J i={e} /> ⋯ <J i={t + 1} />
              </>
            )}
          </text>
        </>
      )}
      {ring}
    </g>
  );
}
