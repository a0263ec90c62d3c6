/**
 * What is running and how fast: the backend (and whether it is a software emulator), steps per
 * second, the step count, the model in words and its parameter count; and the notices from the
 * worker and the URL, where a divergence or a backend fallback stands out — a student must see at
 * once why the curves stopped or why training got slow.
 */
import { useId } from 'react';
import { format } from 'd3';
import { describeSpec } from '../../engine/modelFile';
import { dismissNotice, usePlayground, type Notice } from '../../store/store';
import type { CsvRows } from '../exportChart';
import { Panel } from '../Panel';
import { useThrottledStore } from '../charts/a-hooks';
import './panels-a.css';

const fmtCount = format(',');
const fmtRate = format('.3~r');

/** Notices that change how the run must be read: shown large, announced at once. */
const PROMINENT = new Set<Notice['code']>(['diverged', 'fallback', 'crash', 'worker-error']);
const LEVEL_WORD: Record<Notice['level'], string> = { info: 'Note', warning: 'Warning', error: 'Error' };
const LEVEL_ICON: Record<Notice['level'], string> = { info: 'ℹ', warning: '⚠', error: '✖' };
const CODE_WORD: Partial<Record<Notice['code'], string>> = { diverged: 'Training diverged', fallback: 'Backend changed', crash: 'Worker restarted' };

function NoticeItem({ n }: { n: Notice }) {
  const textId = useId();
  const prominent = PROMINENT.has(n.code);
  return (
    <li className={`st-notice st-${n.level}${prominent ? ' st-prominent' : ''}`} role={prominent ? 'alert' : undefined} data-code={n.code}>
      <span className="st-icon" aria-hidden="true">
        {LEVEL_ICON[n.level]}
      </span>
      <span id={textId} className="st-text">
        <strong>{CODE_WORD[n.code] ?? LEVEL_WORD[n.level]}:</strong> {n.message}
      </span>
      <button type="button" className="st-dismiss" aria-label="Dismiss notice" aria-describedby={textId} onClick={() => dismissNotice(n.id)}>
        ×
      </button>
    </li>
  );
}

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
    ['model', s.model ? describeSpec(s.model) : ''],
    ['task', s.task?.name ?? ''],
  ];
}

export function StatusPanel() {
  const backend = usePlayground((s) => s.backend);
  const model = usePlayground((s) => s.model);
  const task = usePlayground((s) => s.task);
  const parameterCount = usePlayground((s) => s.parameterCount);
  const playing = usePlayground((s) => s.playing);
  const notices = usePlayground((s) => s.notices);
  // The counters change every frame: a few updates a second are easier to read.
  const { step, stepsPerSecond } = useThrottledStore((s) => ({ step: s.step, stepsPerSecond: s.stepsPerSecond }), 250);
  const note = (
    <p>
      Which backend trains the network (WebAssembly on the CPU, WebGPU or WebGL on the graphics card, or the plain JavaScript reference), how fast, and the model being
      trained. A backend marked as software emulation runs "GPU" code on the CPU and is slow. Messages about the run — a divergence, a change of backend, a setting that
      could not be used — appear below; close them with ×.
    </p>
  );
  return (
    <Panel id="status" title="Status" note={note} csv={statusCsv}>
      <div className="st-root" tabIndex={0} role="region" aria-label="Status">
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
              <span data-testid="model-description">{model ? describeSpec(model) : '—'}</span>
              {task && (
                <span className="st-desc">
                  {' '}
                  on the task <em>{task.name}</em>
                </span>
              )}
            </dd>
          </div>
        </dl>
        <ul className="st-notices" aria-label="Notices" aria-live="polite">
          {notices.length ? notices.map((n) => <NoticeItem key={n.id} n={n} />) : <li className="st-empty">No messages.</li>}
        </ul>
      </div>
    </Panel>
  );
}
