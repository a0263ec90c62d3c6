/**
 * A lesson's figures on the page: the same `VariantFigures` the headless runner collects
 * (./runner.ts), gathered from what the worker streams to the page — the per-step curves (kept in
 * a History), ρ(W_hh) from each analysis, J_t's singular values from the first one, the latest
 * ‖∂L/∂h_t‖ and whether the run diverged — so the page ticks the very checks `npm run lesson`
 * prints. Pure data in, pure data out: no DOM.
 */
import type { History } from '../store/history';
import type { CostCurves } from '../engine/costs';
import { costCurvesOf } from '../worker/costs';
import type { FromWorker } from '../worker/protocol';
import { finalAverage, type Role, type VariantFigures } from './claims';

export class FiguresTracker {
  private rhos: number[] = [];
  private initialSvs: number[][] | null = null;
  private gradNorms: number[] = [];
  private inputGradNorms: number[] = [];
  private diverged = false;
  private isRnn = false;
  private metricName = '';
  private baseline = NaN;
  private higherIsBetter = true;
  private costs: CostCurves | undefined;

  /** Starts over (a new run). */
  clear(): void {
    this.rhos = [];
    this.initialSvs = null;
    this.gradNorms = [];
    this.inputGradNorms = [];
    this.diverged = false;
  }

  observe(m: FromWorker): void {
    if (m.type === 'ready') {
      this.costs = costCurvesOf(m.config, m.task);
      this.isRnn = m.model.cell === 'rnn';
      this.metricName = m.task.metric.name;
      this.baseline = m.task.baseline.value;
      this.higherIsBetter = m.task.metric.higherIsBetter;
    } else if (m.type === 'diverged') this.diverged = true;
    else if (m.type === 'frame') {
      if (m.losses.length) this.gradNorms = Array.from(m.hiddenGradNorms);
      if (m.inputGradNorms.length) this.inputGradNorms = Array.from(m.inputGradNorms);
      const a = m.analysis;
      if (!a) return;
      // The first analysis is of the weights before any update: the initial J_t spectra.
      if (this.initialSvs === null && m.step === 0) this.initialSvs = a.stateJacobianSingularValues;
      if (this.isRnn && a.weights[0]) this.rhos.push(a.weights[0].spectralRadius);
    }
  }

  figures(label: string, role: Role, history: History): VariantFigures {
    const metric = Array.from(history.series('metric'));
    const loss = Array.from(history.series('lossPerStep'));
    const rho = this.isRnn && this.rhos.length ? this.rhos : null;
    return {
      label,
      role,
      steps: history.length ? history.series('step')[history.length - 1] : 0,
      diverged: this.diverged,
      metric: { name: this.metricName, final: finalAverage(metric), baseline: this.baseline, higherIsBetter: this.higherIsBetter },
      loss: { final: finalAverage(loss) },
      spectralRadius: rho ? { start: rho[0], end: rho[rho.length - 1] } : null,
      gradNormByStep: this.gradNorms,
      inputGradNorms: this.inputGradNorms,
      history: { metric, loss, spectralRadius: rho, step: Array.from(history.series('step')) },
      initialJacobianSingularValues: this.initialSvs,
      costs: this.costs,
    };
  }
}
