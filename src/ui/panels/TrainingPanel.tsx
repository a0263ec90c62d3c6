/**
 * The training curves: the loss, the task's metric against its no-memory baseline (a network that
 * does not beat that line has learnt nothing about time) and, below, the global gradient norm
 * before and after clipping with the clip threshold and the steps where clipping happened — the
 * first place to look when a run stalls or explodes. Drawn on a canvas, at most once per animation
 * frame.
 */
import type { TaskInfo } from '../../engine/tasks';
import { history, usePlayground } from '../../store/store';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { ROLE } from '../theme';
import { useSize } from '../useSize';
import { useFrameTick, useRem, useThrottledStore } from '../charts/hooks';
import { textWidth } from '../charts/lines/scales';
import { fmtPlain, fmtValue } from '../format';
import type { RefLine } from '../charts/lines/LineChart';
import { LineCanvas } from '../charts/lines/LineCanvas';
import './TrainingPanel.css';

/** The loss per scored step: the unit the task's baseline is given in (nats per step for a
 *  cross-entropy, ½·squared error per scored output for an MSE), not the sum over a sequence. */
const lossLabel = (task: TaskInfo | null): string => (task?.loss === 'cross_entropy' ? 'loss per scored step (cross-entropy, nats)' : task ? 'loss per scored step (½ squared error)' : 'loss per scored step');
const metricLabel = (task: TaskInfo | null): string => (task ? `${task.metric.name}${task.metric.unit ? ` (${task.metric.unit})` : ''}` : 'metric');
const isFraction = (task: TaskInfo | null) => !!task && /accuracy/i.test(task.metric.name);

function trainingCsv(): CsvRows {
  const cols = ['step', 'loss', 'lossPerStep', 'metric', 'gradBefore', 'gradAfter', 'clipped'] as const;
  const data = cols.map((c) => history.series(c));
  const rows: CsvRows = [['step', 'loss_per_sequence', 'loss_per_scored_step', 'metric', 'grad_norm_before_clip', 'grad_norm_after_clip', 'clipped']];
  for (let i = 0; i < history.length; i++) rows.push(data.map((d) => d[i]));
  return rows;
}

/** "latest 0.12 at step 300", or "no data yet", for the charts' accessible names. */
function latestText(xs: Float64Array, ys: Float64Array): string {
  const n = ys.length;
  return n ? `latest ${fmtValue(ys[n - 1])} at step ${xs[n - 1]}` : 'no data yet';
}

/** The latest numbers in words, throttled to one update a second so that aria-live stays calm. */
function TrainingReadout() {
  const r = useThrottledStore((s) => ({ latest: s.latest, task: s.task, clip: s.config.clip, clipMax: s.config.clipMax }), 1000);
  const { latest, task } = r;
  const clipped = latest && r.clip !== 'off' && latest.gradAfter < latest.gradBefore;
  return (
    <p className="tr-readout" aria-live="polite">
      <span className="tr-item">
        <span className="tr-key" title="the loss per scored step, the unit of the baseline">loss per step</span> <strong data-testid="latest-loss">{latest ? fmtPlain(latest.loss) : '—'}</strong>
      </span>
      <span className="tr-item">
        <span className="tr-key">{task?.metric.name ?? 'metric'}</span> <strong data-testid="latest-metric">{latest ? fmtPlain(latest.metric) : '—'}</strong>
      </span>
      <span className="tr-item">
        <span className="tr-key">‖∇L‖</span> <strong data-testid="latest-grad-norm">{latest ? fmtPlain(latest.gradBefore) : '—'}</strong>
        {clipped && <span className="tr-clipped"> → {fmtValue(latest.gradAfter)} (clipped)</span>}
        {r.clip === 'value' && <span className="tr-key"> (each entry clipped to ±{fmtValue(r.clipMax)})</span>}
      </span>
    </p>
  );
}

export function TrainingPanel() {
  useFrameTick();
  const rem = useRem();
  const task = usePlayground((s) => s.task);
  const clip = usePlayground((s) => s.config.clip);
  const clipMax = usePlayground((s) => s.config.clipMax);
  const [boxRef, size] = useSize<HTMLDivElement>();
  const step = history.series('step');
  const loss = history.series('lossPerStep');
  const metric = history.series('metric');
  const before = history.series('gradBefore');
  const after = history.series('gradAfter');
  const metricRefs: RefLine[] = [];
  if (task) metricRefs.push({ key: 'baseline', label: 'no-memory baseline', value: task.baseline.value, color: ROLE.baseline, dash: '7 4' });
  if (task?.floor) metricRefs.push({ key: 'floor', label: task.metric.higherIsBetter ? 'best possible' : 'floor', value: task.floor.value, color: ROLE.baseline, dash: '2 3' });
  const gradRefs: RefLine[] = clip === 'norm' ? [{ key: 'threshold', label: 'clip threshold', value: clipMax, color: ROLE.threshold, dash: '9 3 2 3' }] : [];
  const note = (
    <>
      <p>
        Top: the loss the optimizer minimizes, and the task's own score. The dashed grey line is what the best guess <em>without memory</em> scores
        {task ? ` (${task.baseline.explanation})` : ''}; the dotted one, where shown, is the best any model can do. A log axis is used when the loss spans more than two
        powers of ten.
      </p>
      <p>
        Bottom: the length of the whole gradient ‖∇L‖ before (solid) and after (dashed) clipping, on a log axis. Ticks along the bottom mark the steps where
        clipping shrank it. Spikes mean exploding gradients; a curve sinking towards zero while the loss is flat means vanishing ones.
      </p>
    </>
  );
  const minLeft = textWidth('0.0001', 0.75 * rem) + 0.9 * rem; // the same for all three: one x axis
  // Three plots over one x axis on one <canvas> (a redraw per frame, not thousands of SVG
  // attributes; the exports carry all three): the gradient plot is taller, it also holds the x
  // axis and a legend.
  const { width } = size;
  const hLoss = size.height / 3.5;
  const hGrad = size.height - 2 * hLoss;
  const common = { width, rem, minLeft, xLabel: 'training step' };
  const lossAria = `Loss against training step: ${latestText(step, loss)}.`;
  const metricAria = `${metricLabel(task)}${task ? `, no-memory baseline ${fmtValue(task.baseline.value)}` : ''}: ${latestText(step, metric)}.`;
  const gradAria = `Gradient norm before clipping, log scale${clip === 'norm' ? `, clip threshold ${clipMax}` : ''}: ${latestText(step, before)}; ${history.clipSteps.length} clipped steps.`;
  return (
    <Panel id="training" title="Training" note={note} csv={trainingCsv}>
      <div className="tr-root" tabIndex={0} role="region" aria-label="Training curves">
        <TrainingReadout />
        <div className="tr-charts" ref={boxRef}>
          {width > 40 && size.height > 60 && (
            <LineCanvas
              width={width}
              height={size.height}
              ariaLabel={`Training curves against training step. ${lossAria} ${metricAria} ${gradAria}`}
              testId="training-curves"
              plots={[
                {
                  top: 0,
                  props: { ...common, height: hLoss, showX: false, series: [{ key: 'loss', label: 'loss', x: step, y: loss, color: ROLE.loss, dash: '', width: 1.75 }], yLabel: lossLabel(task), yMode: 'auto', ariaLabel: lossAria },
                },
                {
                  top: hLoss,
                  props: {
                    ...common,
                    height: hLoss,
                    showX: false,
                    series: [{ key: 'metric', label: task?.metric.name ?? 'metric', x: step, y: metric, color: ROLE.metric, dash: '', width: 1.75 }],
                    refLines: metricRefs,
                    yLabel: metricLabel(task),
                    yMode: 'auto',
                    yFixed: isFraction(task) ? [0, 1] : undefined,
                    ariaLabel: metricAria,
                  },
                },
                {
                  top: 2 * hLoss,
                  props: {
                    ...common,
                    height: hGrad,
                    series: [
                      { key: 'before', label: 'before clip', x: step, y: before, color: ROLE.beforeClip, dash: '', width: 1.5 },
                      { key: 'after', label: 'after clip', x: step, y: after, color: ROLE.afterClip, dash: '5 3', width: 1.75 },
                    ],
                    refLines: gradRefs,
                    events: clip === 'off' ? undefined : { label: 'clipped', x: history.clipSteps, color: ROLE.clipEvent },
                    yLabel: 'gradient norm ‖∇L‖',
                    yMode: 'log',
                    ariaLabel: gradAria,
                  },
                },
              ]}
            />
          )}
        </div>
      </div>
    </Panel>
  );
}
