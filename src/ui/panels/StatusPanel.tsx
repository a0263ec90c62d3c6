/**
 * What is running and how fast: the backend (and whether it is a software emulator), steps per
 * second, the step count, the model in words and its parameter count: a student must see at once
 * why training got slow. Its export is this card as an image (for a lab report or a bug report).
 * The notices of the run live above the panels (Notices.tsx), always in view.
 */
import { describeAnySpec } from '../../engine/anyModel';
import { CostView } from './CostView';
import { usePlayground } from '../../store/store';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { useThrottledStore } from '../charts/hooks';
import { fmtCount, fmtRate } from '../format';
import './StatusPanel.css';

function statusCsv(): CsvRows {
  const s = usePlayground.getState();
  return [
    ['key', 'value'],
    ['backend', s.backend?.name ?? ''],
    ['backend_description', s.backend?.description ?? ''],
    ['software_emulation', s.backend ? String(s.backend.isSoftware) : ''],
    ['steps_per_second', s.stepsPerSecond],
    ['step', s.step],
    ['parameters', s.parameterCount],
    ['model', s.model ? describeAnySpec(s.model) : ''],
    ['task', s.task?.name ?? ''],
  ];
}

export function StatusPanel() {
  const backend = usePlayground((s) => s.backend);
  const model = usePlayground((s) => s.model);
  const task = usePlayground((s) => s.task);
  const parameterCount = usePlayground((s) => s.parameterCount);
  const playing = usePlayground((s) => s.playing);
  // The counters change every frame: a few updates a second are easier to read.
  const { step, stepsPerSecond } = useThrottledStore((s) => ({ step: s.step, stepsPerSecond: s.stepsPerSecond }), 250);
  const note = (
    <p>
      Which backend trains the network (WebAssembly on the CPU, WebGPU or WebGL on the graphics card, or the plain JavaScript reference), how fast, and the model being
      trained. A backend marked as software emulation runs "GPU" code on the CPU and is slow. Messages about the run — a divergence, a change of backend, a setting that
      could not be used — appear above the panels, newest first; close them with ×.
    </p>
  );
  return (
    <Panel id="status" title="Status" note={note} csv={statusCsv}>
      <div className="st-root" tabIndex={0} role="region" aria-label="Backend, speed and model">
        <dl className="st-facts">
          <div className="st-fact st-wide">
            <dt>Backend</dt>
            <dd>
              <strong data-testid="backend-name">{backend?.name ?? '—'}</strong>
              {backend && <span className="st-desc"> — {backend.description}</span>}
              {backend?.isSoftware && (
                <span className="st-software" role="note">
                  ⚠ Software emulation: this “GPU” is simulated on the CPU, so it is slow.
                </span>
              )}
            </dd>
          </div>
          <div className="st-fact">
            <dt>Speed</dt>
            <dd>
              <strong data-testid="steps-per-second">{Number.isFinite(stepsPerSecond) ? fmtRate(stepsPerSecond) : '—'}</strong> steps/s
            </dd>
          </div>
          <div className="st-fact">
            <dt>Step</dt>
            <dd>
              <strong data-testid="step-count">{step}</strong>
              {!playing && <span className="st-desc"> (paused)</span>}
            </dd>
          </div>
          <div className="st-fact">
            <dt>Parameters</dt>
            <dd>
              <strong data-testid="parameter-count">{fmtCount(parameterCount)}</strong>
            </dd>
          </div>
          <div className="st-fact st-wide">
            <dt>Model</dt>
            <dd>
              <span data-testid="model-description">{model ? describeAnySpec(model) : '—'}</span>
              {task && (
                <span className="st-desc">
                  {' '}
                  on the task <em>{task.name}</em>
                </span>
              )}
            </dd>
          </div>
        </dl>
        <CostView />
      </div>
    </Panel>
  );
}
