/**
 * The task's own view of example 0: what went in (inputs over time), what should come out (the
 * target) and what came out (the prediction), in the form that suits the task: class per step,
 * values per step, or the single final answer. A character model reads and writes text: its view
 * is the characters themselves (input, target, prediction), not class ids.
 */
import type { TaskInfo } from '../../../engine/tasks';
import type { Snapshot } from '../../../worker/protocol';
import { OKABE_ITO, ROLE } from '../../theme';
import { ClassStrip } from './ClassStrip';
import { DIVERGING_LUT, SEQUENTIAL_LUT } from './colors';
import { FinalClass, FinalValue } from './FinalPrediction';
import { Heatmap } from './Heatmap';
import { SequencePlot } from './SequencePlot';
import { fmt } from '../../format';
import { argmax, maxAbs } from './readout';
import './inside.css';

export interface TaskViewProps {
  task: TaskInfo;
  snapshot: Snapshot;
  width: number;
  /** the height to fill; without it, natural sizes */
  height?: number;
  rem: number;
}

function Inputs({ snapshot, T, D, width, height, rem }: { snapshot: Snapshot; T: number; D: number; width: number; height: number; rem: number }) {
  const x = snapshot.inputs;
  if (D === 1)
    return <SequencePlot series={[{ name: 'input x_t', values: x.subarray(0, T), colour: OKABE_ITO.grey }]} width={width} height={height} rem={rem} ariaLabel={`The input over ${T} steps.`} />;
  let nonNegative = true;
  for (let i = 0; i < x.length; i++) if (x[i] < 0) nonNegative = false;
  const top = maxAbs(x);
  return (
    <Heatmap
      rows={D}
      cols={T}
      value={(r, c) => x[c * D + r]}
      lut={nonNegative ? SEQUENTIAL_LUT : DIVERGING_LUT}
      domain={nonNegative ? [0, top] : [-top, top]}
      width={width}
      height={height - 1.3 * rem}
      left={3 * rem}
      bottom={2.4 * rem}
      xLabel="time t"
      yLabel="input"
      ariaLabel={`The ${D} input channels over ${T} steps${nonNegative ? ' (bright = large)' : ''}.`}
      describe={(r, c) => `input ${r}, t = ${c}: ${fmt(x[c * D + r])}`}
    />
  );
}

export function TaskView({ task, snapshot, width, height, rem }: TaskViewProps) {
  const D = Math.max(1, task.inputSize);
  const Y = Math.max(1, task.outputSize);
  const T = Math.floor(snapshot.inputs.length / D);
  const N = Math.floor(snapshot.outputs.length / Y);
  const isClass = task.loss === 'cross_entropy';
  const finalStep = task.readout === 'final_step' || N === 1;
  const mask = snapshot.mask;
  const scored = Array.from({ length: N }, (_, t) => (mask && !finalStep ? mask[t] > 0 : true));
  // Room: the class strip and the final answers have fixed sizes; value curves and inputs share the rest.
  const avail = (height ?? 26 * rem) - 3 * rem; // less the two subtitles
  const fixedOut = isClass ? (finalStep ? 9.5 * rem : 6.8 * rem) : finalStep ? 6.5 * rem : 0;
  const outH = fixedOut || Math.max(8 * rem, avail * 0.55);
  const inH = Math.max(D === 1 ? 6 * rem : 5.5 * rem, Math.min(avail - outH, D === 1 ? 10 * rem : Math.max(5.5 * rem, D * 0.5 * rem + 3.7 * rem)));
  if (task.vocab && isClass && !finalStep && N > 0) {
    const inputs = Array.from({ length: T }, (_, t) => argmax(snapshot.inputs, t * D, D)); // one-hot x_t → its character id
    const predicted = Array.from({ length: N }, (_, t) => argmax(snapshot.outputs, t * Y, Y));
    return (
      <div className="in-task">
        <h3 className="in-subtitle">Input, target and predicted character per step</h3>
        <ClassStrip targets={snapshot.targets} predicted={predicted} scored={scored} width={width} rem={rem} labels={task.vocab} inputs={inputs} />
      </div>
    );
  }
  let out;
  if (N < 1) out = <p className="in-empty">No prediction yet.</p>;
  else if (isClass && finalStep) out = <FinalClass logits={snapshot.outputs.subarray(0, Y)} target={snapshot.targets[0]} width={width} height={outH} rem={rem} />;
  else if (isClass) {
    const predicted = Array.from({ length: N }, (_, t) => argmax(snapshot.outputs, t * Y, Y));
    out = <ClassStrip targets={snapshot.targets} predicted={predicted} scored={scored} width={width} rem={rem} />;
  } else if (finalStep)
    out = <FinalValue predicted={Array.from(snapshot.outputs.subarray(0, Y))} target={Array.from(snapshot.targets.subarray(0, Y))} width={width} rem={rem} />;
  else {
    const first = (a: Float32Array) => Array.from({ length: N }, (_, t) => a[t * Y]);
    out = (
      <SequencePlot
        series={[
          { name: 'target', values: first(snapshot.targets), colour: OKABE_ITO.orange, dash: '6 3' },
          { name: 'prediction', values: first(snapshot.outputs), colour: ROLE.forward },
        ]}
        mask={mask}
        width={width}
        height={Math.max(8 * rem, avail - inH)}
        rem={rem}
        yLabel={Y > 1 ? 'output 0' : 'value'}
        ariaLabel={`Target and prediction over ${N} steps${Y > 1 ? ' (first output)' : ''}.`}
      />
    );
  }
  return (
    <div className="in-task">
      <h3 className="in-subtitle">Inputs</h3>
      <Inputs snapshot={snapshot} T={T} D={D} width={width} height={inH} rem={rem} />
      <h3 className="in-subtitle">{finalStep ? 'Prediction at the last step' : isClass ? 'Target and predicted class per step' : 'Target and prediction over time'}</h3>
      {out}
    </div>
  );
}
