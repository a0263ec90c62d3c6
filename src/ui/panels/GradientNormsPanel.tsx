/**
 * How much gradient reaches each time step: ‖∂L/∂h_t‖ against t on a log axis, the latest step
 * bold and the eleven before it fading (the "waterfall"), and dashed ‖∂L/∂x_t‖, the gradient that
 * reaches each input (the one measure every layer kind shares). A slope towards t = 0 is the vanishing
 * (falling) or exploding (rising) gradient made visible; truncated BPTT shows as a cliff at each
 * window edge. Drawn on a canvas, redrawn at most once per animation frame (in the frame's callback).
 */
import { useLayoutEffect, useRef } from 'react';
import { isSuccessorKind } from '../../engine/successors/spec';
import { usePlayground, waterfall } from '../../store/store';
import type { CsvRows } from '../exportChart';
import { registerHiRes } from '../exportCapture';
import { Panel } from '../Panel';
import { ROLE } from '../theme';
import { useSize } from '../useSize';
import { drawGradNorms } from '../charts/gradients/gradNormsCanvas';
import { drawNextFrame } from '../charts/canvasFrame';
import { useFrameTick, useRem, useThrottledStore } from '../charts/hooks';
import { fmtValue } from '../format';
import './GradientNormsPanel.css';

const SHADE = 'rgba(153, 153, 153, 0.2)';

function gradCsv(): CsvRows {
  const curves = waterfall.curves;
  const input = usePlayground.getState().inputGradNorms;
  const T = Math.max(0, ...curves.map((c) => c.norms.length), input?.norms.length ?? 0);
  const rows: CsvRows = [['t', ...curves.map((c) => `dL_dh_step_${c.step}`), ...(input ? [`dL_dx_step_${input.step}`] : [])]];
  const at = (norms: Float64Array, t: number) => (t < norms.length ? norms[t] : '');
  for (let t = 0; t < T; t++) rows.push([t, ...curves.map((c) => at(c.norms, t)), ...(input ? [at(input.norms, t)] : [])]);
  return rows;
}

/** "t = 0: 3e−6, t = 19: 0.4 (ratio 8e−6)": how much of the gradient survives back to the start. */
function summary(norms: Float64Array | null, of = '‖∂L/∂h_t‖'): string {
  if (!norms || !norms.length) return 'No gradient yet.';
  const first = norms[0];
  const last = norms[norms.length - 1];
  const ratio = first / last;
  return `${of} at t = 0: ${fmtValue(first)}, at t = ${norms.length - 1}: ${fmtValue(last)}${Number.isFinite(ratio) ? ` (first/last ${fmtValue(ratio)})` : ''}.`;
}

/** The throttled caption under the chart (readable numbers, not a flicker). */
function GradSummary({ of }: { of: string }) {
  const { norms, step, input } = useThrottledStore((s) => ({ norms: s.hiddenGradNorms, step: s.step, input: s.inputGradNorms }), 500);
  return (
    <>
      <p className="gn-summary">{norms ? `Step ${step}: ${summary(norms, of)}` : summary(null)}</p>
      {input && <p className="gn-summary">{`Step ${input.step}: ${summary(input.norms, '‖∂L/∂x_t‖')}`}</p>}
    </>
  );
}

export function GradientNormsPanel() {
  useFrameTick();
  const rem = useRem();
  const kind = usePlayground((s) => s.model?.cell ?? s.config.cell);
  const successor = isSuccessorKind(kind);
  // attention keeps no state, so truncation cuts nothing there
  const truncation = usePlayground((s) => (kind === 'attention' ? 0 : s.config.truncation));
  // A successor's top block output o_t feeds only the readout: its gradient is the readout's alone.
  const of = successor ? '‖∂L/∂o_t‖' : '‖∂L/∂h_t‖';
  const configBidir = usePlayground((s) => s.config.bidirectional);
  const modelBidir = usePlayground((s) => s.model?.bidirectional);
  const bidirectional = modelBidir ?? configBidir;
  const [boxRef, size] = useSize<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const curves = waterfall.curves;
  const latest = curves.at(-1) ?? null;
  const input = usePlayground((s) => s.inputGradNorms);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (el && size.width > 0 && size.height > 0) {
      const options = { width: size.width, height: size.height, rem, curves, truncation, color: ROLE.forward, shade: SHADE, input, inputColor: ROLE.input, curvesOf: successor ? "‖∂L/∂o_t‖, the top block's output" : undefined };
      drawNextFrame(el, () => drawGradNorms(el, options));
      // the export redraws the same chart at its own scale, axes and legend included
      registerHiRes(el, (scale) => {
        const off = document.createElement('canvas');
        off.getContext('2d', { willReadFrequently: true }); // in memory: the export reads it back without waiting on the GPU
        drawGradNorms(off, { ...options, curves: [...curves], pixelRatio: scale, styleFrom: el });
        return off;
      });
    }
  });

  const label = latest
    ? `Gradient norm at each time step, log scale, for step ${latest.step} (bold) and ${curves.length - 1} earlier steps. ${summary(latest.norms, of)}${input ? ` Dashed, at step ${input.step}: ${summary(input.norms, '‖∂L/∂x_t‖')}` : ''}${truncation > 0 ? ` Truncated BPTT, window ${truncation}.` : ''}`
    : 'Gradient norm at each time step: no data yet.';
  const note = (
    <>
      {successor && (
        <p>
          For this block the solid curves are ‖∂L/∂o<sub>t</sub>‖, the gradient at the top block's output o<sub>t</sub>. It feeds only the readout, so they
          show where the loss is scored, not what reaches back in time: the dashed ‖∂L/∂x<sub>t</sub>‖ shows that.
        </p>
      )}
      <p>
        For each time step t, how large the gradient of the loss with respect to the hidden state h<sub>t</sub> is, summed over the batch. It is what BPTT carries
        back in time: if it shrinks by a similar factor at every step towards t = 0 (a straight falling line on this log axis), early inputs cannot be learnt —
        the vanishing gradient. A rising line is the exploding one.
      </p>
      <p>
        The dashed line is the gradient that reaches each input x<sub>t</sub>, ‖∂L/∂x<sub>t</sub>‖: how strongly the loss can still change with what the
        network read at step t. It is the one measure every kind of layer shares, so it compares an RNN with its successors. It costs one more product, so it is
        computed at one step between two redraws: the step its legend names.
      </p>
      <p>
        The bold line is the latest step; the faint ones the steps before, so you can watch the shape change while training.
        {truncation > 0 && ` With truncated BPTT (k = ${truncation}) no gradient crosses the dashed lines: shaded bands alternate windows.`} Values of exactly 0
        sit in the strip marked 0 below the axis.
      </p>
    </>
  );
  return (
    <Panel id="gradient-norms" title="Gradient norm by time step" note={note} csv={gradCsv}>
      <div className="gn-root" tabIndex={0} role="region" aria-label="Gradient norm chart and summary">
        <div className="gn-chart" ref={boxRef}>
          <canvas ref={canvas} className="gn-canvas" role="img" aria-label={label} />
        </div>
        <GradSummary of={of} />
        {bidirectional && (
          <p className="gn-note">
            Bidirectional model: each ‖∂L/∂h<sub>t</sub>‖ includes both directions' states (forward and reverse).
            {truncation > 0 && ' The shading shows the forward windows; the reverse direction’s windows count from the last step.'}
          </p>
        )}
        {/* the latest curve as JSON (NaN and ±Inf become null), for tests and scripts */}
        <div className="visually-hidden" aria-hidden="true" data-testid="gradnorm-values" data-step={latest?.step ?? ''} data-values={latest ? JSON.stringify(Array.from(latest.norms)) : '[]'} />
        <div className="visually-hidden" aria-hidden="true" data-testid="inputgrad-values" data-step={input?.step ?? ''} data-values={input ? JSON.stringify(Array.from(input.norms)) : '[]'} />
      </div>
    </Panel>
  );
}
