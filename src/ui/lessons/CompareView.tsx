/**
 * A lesson's side-by-side view: the same experiment under two or three settings, same seed and
 * data, each with its metric against the task's baseline and its gradient norm by time step.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { pause as pausePlayground } from '../../store/controller';
import { RunController } from '../../store/runController';
import { takeOverTransport, useComparisonTransport } from '../../store/transport';
import { LineChart } from '../charts/lines/LineChart';
import { SvHistogram } from '../charts/spectra/SvHistogram';
import { useRem } from '../charts/hooks';
import { isSuccessorKind } from '../../engine/successors/spec';
import { fmt, fmtFixed } from '../format';
import { ROLE, OKABE_ITO } from '../theme';
import { useSize } from '../useSize';
import type { PlaygroundConfig } from '../../worker/config';
import { clearClaims, publishFigures } from '../../store/claimsView';
import { lessonVariants, type Lesson } from '../../lessons/lessons';
import { guideFor } from '../../lessons/guide';
import { metricView } from './metricView';

/** Every singular value of every analysed J_t of the latest analysis. */
function allSingularValues(analysis: RunController['state']['analysis']): number[] {
  return (analysis?.stateJacobianSingularValues ?? []).flat();
}

function VariantCard({ run, label, index, beforeTraining, inputGradients }: { run: RunController; label: string; index: number; beforeTraining: boolean; inputGradients: boolean }) {
  const state = useSyncExternalStore(run.subscribe, run.getState);
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
  const h = run.history;
  const task = state.task;
  const metric = h.length ? h.series('metric')[h.length - 1] : NaN;
  // A successor's top output feeds only the readout, so its card compares what reaches the inputs;
  // beside a successor, an RNN's card shows the same measure (like with like).
  const successor = inputGradients || isSuccessorKind(state.model?.cell ?? state.config.cell);
  const norms = successor ? (state.inputGradNorms?.norms ?? null) : state.hiddenGradNorms;
  const ratioOf = successor ? '‖∂L/∂x_0‖ / ‖∂L/∂x_T‖' : '‖∂L/∂h_0‖ / ‖∂L/∂h_T‖';
  const normOf = successor ? '‖∂L/∂x_t‖' : '‖∂L/∂h_t‖';
  const w = Math.max(0, size.width);
  const chartH = Math.max(90, Math.min(340, (size.height - 20) / 2));
  const ratio = norms && norms.length > 1 ? norms[0] / norms[norms.length - 1] : NaN;
  const sv = state.analysis?.stateJacobianSingularValues.at(-1);
  return (
    <section className="cmp-card" aria-label={label} data-testid={`compare-${index}`}>
      <h3>{label}</h3>
      <p className="cmp-stats">
        step <strong data-testid={`compare-step-${index}`}>{state.step}</strong> · {task?.metric.name ?? 'metric'}{' '}
        <strong data-testid={`compare-metric-${index}`} data-value={Number.isFinite(metric) ? metric : ''}>
          {fmt(metric)}
        </strong>{' '}
        (baseline {fmt(task?.baseline.value)}) · {ratioOf}{' '}
        <strong data-testid={`compare-ratio-${index}`} data-value={Number.isFinite(ratio) ? ratio : ''}>
          {fmt(ratio)}
        </strong>
        {sv && (
          <>
            {' '}
            · σ(J_T) from <strong data-testid={`compare-sv-min-${index}`}>{fmt(sv[sv.length - 1])}</strong> to{' '}
            <strong data-testid={`compare-sv-max-${index}`}>{fmt(sv[0])}</strong>
          </>
        )}
        {' · '}
        {state.backend?.name ?? '…'}
      </p>
      {state.stopped && (
        <p className="cmp-stopped" role="alert" data-testid={`compare-stopped-${index}`}>
          {state.stopped}
        </p>
      )}
      <div className="cmp-charts" ref={box}>
        {beforeTraining ? (
          <SvHistogram values={allSingularValues(state.analysis)} width={w} height={Math.max(160, Math.min(360, size.height - 20))} rem={rem} label={`${label}: distribution of the singular values of J_t before training`} />
        ) : (
          <>
        <LineChart
          width={w}
          height={chartH}
          rem={rem}
          series={[{ key: 'm', label: task?.metric.name ?? 'metric', x: h.series('step'), y: h.series('metric'), color: ROLE.metric, dash: '' }]}
          refLines={task ? [{ key: 'b', label: 'memoryless baseline', value: task.baseline.value, color: ROLE.baseline, dash: '6 4' }] : []}
          xLabel="training step"
          yLabel={task?.metric.name ?? 'metric'}
          {...metricView(h.series('metric'), task?.baseline.value ?? NaN, task?.metric.higherIsBetter ?? true)}
          ariaLabel={`${label}: ${task?.metric.name ?? 'metric'} over training`}
        />
        <LineChart
          width={w}
          height={chartH}
          rem={rem}
          series={norms ? [{ key: 'g', label: normOf, x: Array.from(norms, (_, t) => t), y: norms, color: OKABE_ITO.vermillion, dash: '' }] : []}
          xLabel="time step t"
          yLabel={normOf}
          yMode="log"
          ariaLabel={`${label}: gradient norm by time step`}
        />
          </>
        )}
      </div>
    </section>
  );
}

export function CompareView({ lesson, onOpenPlayground }: { lesson: Lesson; onOpenPlayground: (config: Partial<PlaygroundConfig>) => void }) {
  const [runs, setRuns] = useState<RunController[]>([]);
  const playing = useComparisonTransport()?.playing ?? false;
  // A lesson about the weights before training (init-lab) offers one scale for all its runs.
  const beforeTraining = lesson.steps === 0;
  const [gain, setGain] = useState<number | null>(null);
  useEffect(() => setGain(null), [lesson]);
  useEffect(() => {
    const variants = lessonVariants(lesson).map((v) => (gain === null ? v : { ...v, config: { ...v.config, gain } }));
    // One run, one worker each; a stalled one restarts from the seed (no backups), so the lesson's
    // claims still hold for what it shows.
    const ms = variants.map((v) => new RunController(v.config));
    ms.forEach((m) => m.start());
    setRuns(ms);
    // Only the runs on screen train: the playground's run waits, and the header's transport and
    // shortcuts drive these runs until this view goes.
    pausePlayground();
    const publish = () => {
      useComparisonTransport.setState({ playing: ms.some((m) => m.state.playing), steps: ms.map((m) => m.state.step) }, true);
      // The claims are about the lesson's own settings: at another scale they do not apply.
      if (gain === null) publishFigures(lesson, () => ({ variants: ms.map((m, i) => m.figures.figures(variants[i].label, variants[i].role, m.history)) }));
      else clearClaims();
    };
    const unsubscribe = ms.map((m) => m.subscribe(publish));
    publish();
    const giveBack = takeOverTransport({
      play: () => ms.forEach((m) => m.play()),
      pause: () => ms.forEach((m) => m.pause()),
      step: () => ms.forEach((m) => m.stepOnce()),
      reset: () => ms.forEach((m) => m.reset()),
    });
    return () => {
      giveBack();
      clearClaims();
      unsubscribe.forEach((u) => u());
      ms.forEach((m) => m.dispose());
    };
  }, [lesson, gain]);
  const shownGain = gain ?? Number(lessonVariants(lesson)[0]?.config.gain ?? 1);
  const toggle = () => runs.forEach((m) => (playing ? m.pause() : m.play()));
  return (
    <main className="compare" aria-label={`${lesson.title}: side by side`}>
      <div className="cmp-bar">
        {beforeTraining ? (
          <label className="cmp-gain" title="ρ for the Gaussian, the gain for the orthogonal, the scale for the identity: every W_hh is scaled alike.">
            Scale of W_hh for all {runs.length}:{' '}
            <input type="range" min={0.5} max={1.5} step={0.05} value={shownGain} onChange={(e) => setGain(Number(e.target.value))} data-testid="compare-gain" />{' '}
            <output data-testid="compare-gain-value">{fmtFixed(shownGain, 2)}</output>
            {gain !== null && gain !== 1 && <span> — the claims above are made for scale 1</span>}
          </label>
        ) : (
          <button type="button" className="primary" onClick={toggle} data-testid="compare-play">
            {playing ? 'Pause both' : 'Play both'}
          </button>
        )}
        <span>Same seed, same data; only the setting named above each run differs.</span>
        {guideFor(lesson.id) && (
          <span className="lesson-look" data-testid="lesson-look">
            {guideFor(lesson.id)?.look.replace('Look here: ', 'In each card, watch ')}
          </span>
        )}
      </div>
      <div className="cmp-grid" style={{ gridTemplateColumns: `repeat(${Math.max(1, runs.length)}, minmax(0, 1fr))` }}>
        {runs.map((m, i) => (
          <div key={i} className="cmp-col">
            <VariantCard run={m} label={lesson.compare?.[i].label ?? ''} index={i} beforeTraining={beforeTraining} inputGradients={lessonVariants(lesson).some((v) => isSuccessorKind(v.config.cell))} />
            <button type="button" onClick={() => onOpenPlayground({ ...lesson.config, ...(lesson.compare?.[i].config ?? {}) })}>
              Open this one in the playground
            </button>
          </div>
        ))}
      </div>
    </main>
  );
}
