/**
 * "Unrolled network": the recurrent cell copied once per time step with the same weights, so a
 * student sees that backpropagation through time is backpropagation through this long chain. Each
 * new frame sends a short forward sweep right and a gradient sweep back; the arrow widths show
 * ‖∂L/∂h_t‖ (log), cuts show the truncation window. Slow mode walks through BPTT step by step.
 */
import type { CellKind, ModelSpec } from '../../engine/model';
import { isSuccessorKind } from '../../engine/successors/spec';
import { NotForSuccessors } from './NotForSuccessors';
import { usePlayground } from '../../store/store';
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { StepInspector } from '../charts/unrolled/StepInspector';
import { UnrolledDiagram } from '../charts/unrolled/UnrolledDiagram';
import { slowCaption } from '../charts/unrolled/slowCaption';
import { SlowOverlay, SweepOverlay } from '../charts/unrolled/UnrolledOverlays';
import { cutBetween, STRIP_UNITS, unrolledLayout } from '../charts/unrolled/layout';
import { useFrameState, useRem } from '../charts/hooks';
import { useSlowMode, useSweep } from '../charts/unrolled/useSweep';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { ROLE } from '../theme';
import { useSize } from '../useSize';
import './UnrolledPanel.css';

const NOTE = (
  <>
    <p>
      The same cell (the same weights W_ih, W_hh) is applied at every time step; unrolled, the network is a deep chain with one layer per step. Inside
      each box, the first {STRIP_UNITS} hidden units of h_t for the first example (orange negative, purple positive).
    </p>
    <p>
      Blue arrows carry h_(t−1) into step t. Red-orange arrows carry the gradient back; their width grows with log ‖∂L/∂h_t‖, so thin arrows far from the
      loss are the vanishing gradient. ✂ marks a truncation cut: the state passes forward there, but no gradient comes back across it.
    </p>
    <p>Slow mode walks one forward and one backward pass, one step at a time, and marks the Jacobian product J_e ⋯ J_(t+1) the gradient goes through.</p>
  </>
);

export function UnrolledPanel() {
  const kind = usePlayground((s) => s.model?.cell ?? s.config.cell);
  if (isSuccessorKind(kind)) return <NotForSuccessors id="unrolled" title="Unrolled network" draws="an RNN's cells unrolled in time, its state h_t passing through W_hh from step to step" kind={kind} />;
  return <RnnUnrolledPanel />;
}

function RnnUnrolledPanel() {
  const { snapshot, hiddenGradNorms: norms, model: anyModel, task, config, analysis, metricsVersion } = useFrameState();
  const model = anyModel as ModelSpec | null; // UnrolledPanel sends the successor kinds elsewhere
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
  const svg = useRef<SVGSVGElement>(null);
  const H = model?.hiddenSize ?? 0;
  const dirs = model?.bidirectional ? 2 : 1;
  const fromSnapshot = snapshot && H > 0 ? Math.floor(snapshot.hiddenStates.length / (H * dirs)) : 0;
  const T = norms?.length || fromSnapshot || task?.T || 0;
  const k = Math.max(0, config.truncation | 0);
  const L = useMemo(() => unrolledLayout(T, dirs, H, Math.max(size.width, 10 * rem), Math.max(size.height, 8 * rem), rem), [T, dirs, H, size.width, size.height, rem]);
  const scored = useMemo(
    () => Array.from({ length: T }, (_, t) => (task?.readout === 'final_step' ? t === T - 1 : snapshot?.mask ? snapshot.mask[t] > 0 : true)),
    [T, task, snapshot],
  );

  const [selected, setSelected] = useState<number | null>(null);
  const [focusT, setFocusT] = useState(Number.MAX_SAFE_INTEGER);
  const [slowOn, setSlowOn] = useState(false);
  const slow = useSlowMode(slowOn, L.t0, T, () => setSlowOn(false));
  const sweep = useSweep(metricsVersion, L.n, !slowOn && metricsVersion > 0 && T > 0);
  const sel = selected !== null && selected >= L.t0 && selected < T ? selected : null;
  const focusable = Math.min(Math.max(focusT, L.t0), T - 1);

  const onSelect = useCallback((t: number) => {
    setSelected((s) => (s === t ? null : t));
    setFocusT(t);
  }, []);
  const onKey = useCallback(
    (e: KeyboardEvent<SVGGElement>, t: number) => {
      let next = t;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        return onSelect(t);
      }
      if (e.key === 'ArrowRight') next = Math.min(T - 1, t + 1);
      else if (e.key === 'ArrowLeft') next = Math.max(L.t0, t - 1);
      else if (e.key === 'Home') next = L.t0;
      else if (e.key === 'End') next = T - 1;
      else if (e.key === 'Escape') return setSelected(null);
      else return;
      e.preventDefault();
      setFocusT(next);
      svg.current?.querySelector<SVGGElement>(`[data-testid="unrolled-step-${next}"]`)?.focus();
    },
    [T, L.t0, onSelect],
  );

  const csv = useCallback((): CsvRows => {
    const units = Math.min(STRIP_UNITS, H);
    const head: (string | number)[] = ['t', 'scored', 'grad_norm_dL_dh_t', 'gradient_cut_before_t'];
    for (let d = 0; d < dirs; d++) for (let u = 0; u < units; u++) head.push(`h_${d ? 'rev' : 'fwd'}_${u}`);
    const rows: CsvRows = [head];
    for (let t = 0; t < T; t++) {
      const r: (string | number)[] = [t, scored[t] ? 1 : 0, norms?.[t] ?? NaN, cutBetween(t, 0, T, k) ? 1 : 0];
      for (let d = 0; d < dirs; d++) for (let u = 0; u < units; u++) r.push(snapshot?.hiddenStates[t * H * dirs + d * H + u] ?? NaN);
      rows.push(r);
    }
    return rows;
  }, [T, H, dirs, k, scored, norms, snapshot]);

  const caption = slowCaption(slow, T, k, norms, model?.cell ?? (config.cell as CellKind), model?.nonlinearity ?? config.nonlinearity);
  return (
    <Panel id="unrolled" title="Unrolled network" note={NOTE} csv={csv}>
      <div className="un-root">
        <div className="un-toolbar">
          <button type="button" className="un-slow" aria-pressed={slowOn} onClick={() => setSlowOn((v) => !v)} disabled={T < 1}>
            {slowOn ? 'Stop slow mode' : 'Slow mode'}
          </button>
          <span className="un-key">
            <span style={{ color: ROLE.forward }}>→</span> state · <span style={{ color: ROLE.backward }}>←</span> gradient, width ∝ log ‖∂L/∂h_t‖
            {k > 0 && ` · ✂ cut every ${k} steps`}
          </span>
        </div>
        <p className={`un-caption${slowOn ? ' un-caption-slow' : ''}`} aria-live="polite">
          {caption || (T > 0 ? `${T} steps${L.t0 > 0 ? ` (last ${L.n} shown)` : ''}${model ? ` · ${model.cell.toUpperCase()} ×${H}${dirs > 1 ? ', 2 directions' : ''}` : ''} · boxes: h_t units 0–${L.units - 1}` : 'Waiting for the model…')}
        </p>
        <div className="un-frame" ref={box}>
          {T > 0 && size.width > 0 && (
            <svg
              ref={svg}
              width={L.width}
              height={L.height}
              className="un-svg"
              role="group"
              aria-label={`Unrolled network over ${T} time steps; each step is a button that shows its gradient norm and Jacobian.`}
            >
              <UnrolledDiagram L={L} hidden={snapshot?.hiddenStates ?? null} H={H} norms={norms} truncation={k} scored={scored} selected={sel} focusable={focusable} onSelect={onSelect} onKey={onKey} />
              <SweepOverlay L={L} sweep={sweep} />
              <SlowOverlay L={L} slow={slow} truncation={k} />
            </svg>
          )}
        </div>
        <StepInspector t={sel} norms={norms} analysis={analysis} layered={(model?.numLayers ?? 1) > 1 || dirs > 1} width={size.width} rem={rem} />
      </div>
    </Panel>
  );
}
