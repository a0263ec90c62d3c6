/**
 * "Jacobian spectra": why gradients vanish or explode, in three pictures of the latest analysis.
 * (a) where the eigenvalues of W_hh sit against the unit circle, (b) how strongly each step's
 * Jacobian J_p stretches or squeezes the state, and (c) what their product does over k steps,
 * with the fitted rate and the top Lyapunov exponent. Redraws at most once per animation frame.
 */
import { isSuccessorKind } from '../../engine/successors/spec';
import { SuccessorMemoryPanel } from './SuccessorMemoryPanel';
import { usePlayground } from '../../store/store';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Analysis } from '../../engine/analysis';
import { EigenPlot } from '../charts/spectra/EigenPlot';
import { ProductNormsPlot } from '../charts/spectra/ProductNormsPlot';
import { SingularValuesPlot } from '../charts/spectra/SingularValuesPlot';
import { useFrameState, useRem } from '../charts/hooks';
import { ViewSwitch } from '../charts/ViewSwitch';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { useSize } from '../useSize';
import './SpectraPanel.css';

/** The plotted numbers, one row each: series, block or step, index, x, y. */
export function spectraCsv(a: Analysis | null): CsvRows {
  const rows: CsvRows = [['series', 'block_or_step', 'index', 'x', 'y']];
  if (!a) return rows;
  for (const b of a.weights ?? []) b.eigenvalues.forEach(([re, im], i) => rows.push(['eigenvalue (re, im)', b.gate, i, re, im]));
  (a.singularValueSteps ?? []).forEach((p, i) => (a.stateJacobianSingularValues?.[i] ?? []).forEach((s, k) => rows.push(['singular value of J_p (p, sigma)', p, k, p, s])));
  (a.jacobianProductNorms ?? []).forEach((v, i) => rows.push(['product norm (lag k, norm)', '', i, i + 1, v]));
  (a.jacobianProductLogNorms ?? []).forEach((v, i) => rows.push(['product norm (lag k, ln norm)', '', i, i + 1, v]));
  rows.push(['fitted rate per step', '', '', '', a.productNormRate]);
  (a.lyapunov?.exponents ?? []).forEach((l, i) => rows.push(['lyapunov exponent', '', i, '', l]));
  return rows;
}

const NOTE = (
  <>
    <p>
      <strong>(a)</strong> Each dot is an eigenvalue λ of the recurrent weights W_hh (one colour and marker per gate block for LSTM and GRU). Along its
      eigenvector a linear network multiplies the state by λ every step: outside the unit circle it grows, inside it fades. ρ is the largest |λ|.
    </p>
    <p>
      <strong>(b)</strong> The singular values σ of the step Jacobian J_p = ∂s_p/∂s_(p−1), which include the nonlinearity: how much one step can
      stretch (σ &gt; 1) or squeeze (σ &lt; 1) a change in the state.
    </p>
    <p>
      <strong>(c)</strong> The size of the product of k Jacobians, ‖∂s_T/∂s_(T−k)‖: how much of a gradient survives k steps back. On a log axis an
      exponential decay is a straight falling line; λ₁ (the top Lyapunov exponent) is its long-run slope per step.
    </p>
  </>
);

const WATCH = ['analysis'] as const;

type View = 'all' | 'a' | 'b' | 'c';
const VIEWS: { value: View; label: string; title: string }[] = [
  { value: 'all', label: 'All', title: 'All three charts' },
  { value: 'a', label: '(a) eigenvalues', title: '(a) Eigenvalues of W_hh' },
  { value: 'b', label: '(b) σ(J_p)', title: '(b) Singular values of the step Jacobians' },
  { value: 'c', label: '(c) products', title: '(c) Norm of the Jacobian product against lag' },
];
const CAPTIONS: Record<Exclude<View, 'all'>, string> = {
  a: '(a) Eigenvalues of W_hh',
  b: '(b) Singular values of J_p across steps',
  c: '(c) ‖∂s_T/∂s_(T−k)‖ against lag k',
};

interface Box {
  w: number;
  h: number;
}

/** Where each chart goes: one chart filling the body, or all three (three columns when the body is
 *  wide, else (a) on the left and (b) over (c) on the right). Hidden charts stay in the DOM. */
function boxes(view: Exclude<View, 'all'> | 'all', W: number, H: number, rem: number): Record<'a' | 'b' | 'c', Box | null> {
  const cap = 1.5 * rem; // a figcaption
  if (view !== 'all') return { a: null, b: null, c: null, [view]: { w: W, h: H - cap } };
  if (W >= 2.4 * H) return { a: { w: W / 3, h: H - cap }, b: { w: W / 3, h: H - cap }, c: { w: W / 3, h: H - cap } };
  const aw = Math.min(W * 0.5, H);
  const half = { w: W - aw - 0.5 * rem, h: H / 2 - cap };
  return { a: { w: aw, h: H - cap }, b: half, c: half };
}

export function SpectraPanel() {
  const kind = usePlayground((s) => s.model?.cell ?? s.config.cell);
  if (isSuccessorKind(kind)) return <SuccessorMemoryPanel kind={kind} />;
  return <RnnSpectraPanel />;
}

function RnnSpectraPanel() {
  const { analysis } = useFrameState(WATCH);
  const rem = useRem();
  const [root, size] = useSize<HTMLDivElement>();
  const [chosen, setChosen] = useState<View>('all');
  const csv = useCallback(() => spectraCsv(analysis), [analysis]);
  const blocks = useMemo(() => analysis?.weights ?? [], [analysis]);
  const bodyH = Math.max(0, size.height - 2.4 * rem); // less the view switch
  const fits = size.width >= 30 * rem && bodyH >= 19 * rem;
  const view = chosen === 'all' && !fits ? 'a' : chosen;
  const at = boxes(view, size.width, bodyH, rem);
  const top = analysis?.lyapunov?.exponents?.[0] ?? NaN;
  const figure = (key: 'a' | 'b' | 'c', chart: (b: Box) => ReactNode) => {
    const b = at[key];
    return (
      <figure className={`sp-figure sp-figure-${key}`} hidden={!b}>
        <figcaption>{CAPTIONS[key]}</figcaption>
        {/* a hidden chart is not drawn: it would still redo its SVG on every analysis */}
        {b && chart(b)}
      </figure>
    );
  };
  return (
    <Panel id="spectra" title="Jacobian spectra" note={NOTE} csv={csv}>
      <div className="sp-root" ref={root}>
        <ViewSwitch label="Which spectrum to show" options={fits ? VIEWS : VIEWS.slice(1)} value={view} onChange={setChosen} />
        {size.width > 0 && (
          <div className={`sp-grid sp-grid-${view === 'all' && size.width >= 2.4 * bodyH ? 'row' : view === 'all' ? 'split' : 'one'}`}>
            {figure('a', (b) => <EigenPlot blocks={blocks} width={b.w} height={b.h} rem={rem} />)}
            {figure('b', (b) => (
              <SingularValuesPlot steps={analysis?.singularValueSteps ?? []} values={analysis?.stateJacobianSingularValues ?? []} width={b.w} height={b.h} rem={rem} />
            ))}
            {figure('c', (b) => (
              <ProductNormsPlot logNorms={analysis?.jacobianProductLogNorms ?? []} rate={analysis?.productNormRate ?? NaN} lyapunov={top} width={b.w} height={b.h} rem={rem} />
            ))}
          </div>
        )}
      </div>
    </Panel>
  );
}
