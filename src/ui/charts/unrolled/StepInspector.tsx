/**
 * The inspector of one time step of the unrolled diagram: the gradient norm that reached h_t, and
 * the singular values of that step's Jacobian J_t (from the nearest step the analysis sampled) on
 * a log strip around σ = 1, which says whether this step stretches or squeezes the gradient.
 */
import { scaleLog } from 'd3';
import type { Analysis } from '../../../engine/analysis';
import { ROLE } from '../../theme';
import { Axis } from '../Axis';
import { fmt } from '../../format';
import { clampLog, logDomain } from '../lines/scales';
import '../charts.css';
import './unrolled.css';

export interface StepInspectorProps {
  t: number | null;
  norms: Float64Array | null;
  analysis: Analysis | null;
  /** the analysis looks at layer 1's forward direction: say so when there is more than that */
  layered: boolean;
  width: number;
  rem: number;
}

/** The sampled step nearest to t, and its singular values, or null. */
export function nearestSingularValues(a: Analysis | null, t: number): { p: number; sv: number[] } | null {
  const steps = a?.singularValueSteps ?? [];
  let best = -1;
  steps.forEach((p, i) => {
    if (best < 0 || Math.abs(p - t) < Math.abs(steps[best] - t)) best = i;
  });
  if (best < 0) return null;
  return { p: steps[best], sv: (a?.stateJacobianSingularValues?.[best] ?? []).filter((v) => Number.isFinite(v)) };
}

export function StepInspector({ t, norms, analysis, layered, width, rem }: StepInspectorProps) {
  if (t === null) return <p className="un-hint" data-export-skip="">Click a step (or Tab to it, Enter) to inspect its Jacobian.</p>;
  const found = nearestSingularValues(analysis, t);
  const sv = found?.sv ?? [];
  const w = Math.max(8 * rem, Math.min(width - 1 * rem, 26 * rem));
  const m = { l: 0.6 * rem, r: 0.6 * rem };
  const dom = logDomain(sv, [1]);
  const x = scaleLog().domain(dom).range([m.l, w - m.r]).clamp(true);
  const above = sv.filter((v) => v > 1).length;
  return (
    <div className="un-inspector" aria-live="polite">
      <p>
        <strong>Step {t}</strong> · ‖∂L/∂h<sub>{t}</sub>‖ = {fmt(norms?.[t])}
        {found ? (
          <>
            {' '}
            · J<sub>{found.p}</sub>
            {found.p !== t && ` (nearest sampled step to ${t})`}: σ<sub>max</sub> = {fmt(sv[0])}, σ<sub>min</sub> = {fmt(sv[sv.length - 1])}, {above} of {sv.length} above 1
            {layered && ' (layer 1, forward direction)'}
          </>
        ) : (
          ' · no Jacobian analysis yet'
        )}
      </p>
      {sv.length > 0 && (
        <svg className="un-sv-strip" width={w} height={2.6 * rem} role="img" aria-label={`Singular values of J at step ${found?.p}: from ${fmt(sv[sv.length - 1])} to ${fmt(sv[0])}, log scale`}>
          <line className="sp-ref" x1={x(1)} x2={x(1)} y1={0.2 * rem} y2={1.2 * rem} />
          {sv.map((v, k) => (
            <line key={k} x1={x(clampLog(v, dom))} x2={x(clampLog(v, dom))} y1={0.3 * rem} y2={1.1 * rem} stroke={v > 1 ? ROLE.backward : ROLE.forward} strokeWidth={2} strokeOpacity={0.8} />
          ))}
          <Axis scale={x} orient="bottom" y={1.2 * rem} ticks={Math.max(2, Math.floor(w / 80))} format="~g" />
        </svg>
      )}
    </div>
  );
}
