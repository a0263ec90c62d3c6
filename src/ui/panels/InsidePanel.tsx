/**
 * "Inside the network": what example 0 did, step by step. The hidden state of every unit over time
 * (a canvas heatmap), the gate values for LSTM/GRU, and the task's own view: the inputs, the
 * target and the prediction. This is where a student sees saturation (all ±1), a forgotten input
 * or a forget gate that stays open.
 */
import { isSuccessorKind } from '../../engine/successors/spec';
import { NotForSuccessors } from './NotForSuccessors';
import { usePlayground } from '../../store/store';
import { useCallback, useState } from 'react';
import { DIVERGING_LUT } from '../charts/inside/colors';
import { ColorLegend } from '../charts/inside/ColorLegend';
import { GateHeatmaps, gateNames } from '../charts/inside/GateHeatmaps';
import { Heatmap } from '../charts/inside/Heatmap';
import { fmt } from '../format';
import { TaskView } from '../charts/inside/TaskView';
import { useFrameState, useRem } from '../charts/hooks';
import { ViewSwitch } from '../charts/ViewSwitch';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { Generated } from '../charts/inside/Generated';
import { useSize } from '../useSize';
import type { ModelSpec } from '../../engine/model';
import type { TaskInfo } from '../../engine/tasks';
import type { Snapshot } from '../../worker/protocol';
import './InsidePanel.css';

const NOTE = (
  <>
    <p>
      Everything here is the first example of the latest batch. Top: the hidden state h_t, one row per unit, one column per time step (orange negative,
      purple positive). Rows stuck at the darkest colours are saturated units, whose tanh passes almost no gradient.
    </p>
    <p>For LSTM and GRU: each gate over time. A forget gate f (LSTM) or update gate z (GRU) near 1 keeps the memory; near 0 it wipes it.</p>
    <p>Bottom: the task itself: the inputs, the target and what the network predicted.</p>
  </>
);

/** Every plotted number of example 0, one row per time step. */
export function insideCsv(s: Snapshot | null, model: ModelSpec | null, task: TaskInfo | null): CsvRows {
  if (!s || !model || !task) return [['t']];
  const D = Math.max(1, task.inputSize);
  const Y = Math.max(1, task.outputSize);
  const Hd = model.hiddenSize * (model.bidirectional ? 2 : 1);
  const T = Math.floor(s.inputs.length / D);
  const N = Math.floor(s.outputs.length / Y);
  const names = model.cell === 'rnn' ? [] : gateNames(model.cell);
  const GH = names.length * model.hiddenSize;
  const perTarget = task.loss === 'mse' ? Y : 1;
  const head = ['t', ...Array.from({ length: D }, (_, k) => `x_${k}`), ...Array.from({ length: Hd }, (_, j) => `h_${j}`)];
  names.forEach((g) => head.push(...Array.from({ length: model.hiddenSize }, (_, j) => `${g}_${j}`)));
  head.push(...Array.from({ length: Y }, (_, k) => `output_${k}`), ...Array.from({ length: perTarget }, (_, k) => `target_${k}`), 'scored');
  const rows: CsvRows = [head];
  for (let t = 0; t < T; t++) {
    const r = N === T || t === T - 1 ? (N === T ? t : 0) : -1; // the readout row of this step, if any
    const row: (string | number)[] = [t, ...Array.from(s.inputs.subarray(t * D, (t + 1) * D)), ...Array.from(s.hiddenStates.subarray(t * Hd, (t + 1) * Hd))];
    if (s.gates && GH) row.push(...Array.from(s.gates.subarray(t * GH, (t + 1) * GH)));
    if (r >= 0) row.push(...Array.from(s.outputs.subarray(r * Y, (r + 1) * Y)), ...Array.from(s.targets.subarray(r * perTarget, (r + 1) * perTarget)));
    else row.push(...new Array<string>(Y + perTarget).fill(''));
    row.push(r < 0 ? 0 : s.mask ? s.mask[t] : 1);
    rows.push(row);
  }
  return rows;
}

type View = 'state' | 'gates' | 'task' | 'all';

export function InsidePanel() {
  const kind = usePlayground((s) => s.model?.cell ?? s.config.cell);
  if (isSuccessorKind(kind)) return <NotForSuccessors id="inside" title="Inside the network" draws="an RNN's hidden state h_t and its gates over time (not drawn yet for the successor blocks)" kind={kind} />;
  return <RnnInsidePanel />;
}

function RnnInsidePanel() {
  const { snapshot, model: anyModel, task, config } = useFrameState();
  const model = anyModel as ModelSpec | null; // InsidePanel sends the successor kinds elsewhere
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
  const [chosen, setChosen] = useState<View>('state');
  const csv = useCallback(() => insideCsv(snapshot, model, task), [snapshot, model, task]);
  const width = size.width;
  const H = model?.hiddenSize ?? 0;
  const dirs = model?.bidirectional ? 2 : 1;
  const Hd = H * dirs;
  const T = snapshot && Hd > 0 ? Math.floor(snapshot.hiddenStates.length / Hd) : 0;
  const hasGates = !!snapshot?.gates && !!model && model.cell !== 'rnn';
  const view = chosen === 'gates' && !hasGates ? 'state' : chosen;
  const options: { value: View; label: string; title: string }[] = [
    { value: 'state', label: 'Hidden state', title: 'The hidden state h_t of every unit over time' },
    ...(hasGates ? [{ value: 'gates' as View, label: 'Gates', title: 'The gate values over time' }] : []),
    { value: 'task', label: 'Task', title: 'Inputs, target and prediction' },
    { value: 'all', label: 'All', title: 'Everything, one under the other (scrolls)' },
  ];
  const fill = view === 'all' ? undefined : size.height; // "all" takes natural sizes and scrolls
  const hidden = snapshot?.hiddenStates;
  const ready = !!(snapshot && model && task && hidden && T > 0 && width > 0);
  const stateH = fill ? fill - 4.6 * rem : Math.max(6 * rem, Math.min(Hd * 0.4 * rem, 15 * rem)) + 2.4 * rem;
  return (
    <Panel id="inside" title="Inside the network" note={NOTE} csv={csv}>
      <div className="in-root">
        <ViewSwitch label="What to show" options={options} value={view} onChange={setChosen} />
        <div className={`in-body in-view-${view}`} ref={box}>
          {!ready && <p className="in-empty">Waiting for the first training step: press Play or Step.</p>}
          {ready && (view === 'state' || view === 'all') && (
            <section aria-label="Hidden state">
              <h3 className="in-subtitle">
                Hidden state h_t, example 0{dirs > 1 ? ' (forward units, then reverse)' : ''}
                {model.numLayers > 1 ? `, top layer of ${model.numLayers}` : ''}
              </h3>
              <Heatmap
                rows={Hd}
                cols={T}
                value={(r, c) => hidden[c * Hd + r]}
                lut={DIVERGING_LUT}
                domain={[-1, 1]}
                width={width}
                height={Math.max(5 * rem, stateH - 2.7 * rem)}
                left={3 * rem}
                bottom={2.4 * rem}
                xLabel="time t"
                yLabel="unit"
                separators={dirs > 1 ? [H] : []}
                ariaLabel={`Hidden state of ${Hd} units over ${T} time steps, colour from −1 (orange) to +1 (purple).`}
                describe={(r, c) => `unit ${r}${dirs > 1 ? (r < H ? ' (fwd)' : ' (rev)') : ''}, t = ${c}: h = ${fmt(hidden[c * Hd + r])}`}
              />
              <ColorLegend lut={DIVERGING_LUT} labels={['−1', '0', '+1']} title="hidden value h" width={Math.min(12 * rem, width)} rem={rem} />
            </section>
          )}
          {ready && hasGates && snapshot.gates && (view === 'gates' || view === 'all') && (
            <section aria-label="Gates">
              <h3 className="in-subtitle">Gates over time t, example 0{dirs > 1 ? ', forward direction' : ''}</h3>
              <GateHeatmaps cell={model.cell} gates={snapshot.gates} H={H} width={width} height={fill ? fill - 1.6 * rem : undefined} rem={rem} />
            </section>
          )}
          {ready && (view === 'task' || view === 'all') && (
            <TaskView task={task} snapshot={snapshot} width={width} height={fill ? fill - (config.task === 'char_lm' ? 5.5 * rem : 0) : undefined} rem={rem} />
          )}
          {config.task === 'char_lm' && (view === 'task' || view === 'all') && (
            <Generated />
          )}
        </div>
      </div>
    </Panel>
  );
}
