/**
 * The settings table and everything read from it stay in step: the link codec, the controls,
 * the live/restart rule the worker applies, the model-file reader's limits, the lessons.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MODEL_LIMITS, ModelFileError, loadModel, saveModel } from '../src/engine/modelFile';
import { initModel } from '../src/engine/init';
import { Rng } from '../src/engine/rng';
import { makeSeq2Seq, makeTask } from '../src/engine/tasks';
import { LESSONS, lessonConfig } from '../src/lessons/lessons';
import { checkConfig } from '../src/settings/check';
import { seq2seqTaskSpecOf, taskSpecOf } from '../src/settings/specs';
import { DEFAULT_CONFIG, describeKeys, HIDEABLE_KEYS, LENGTH_VARIANT, LIVE_KEYS, readTyped, ROWS, SETTINGS, whyNot, type AnyRow, type PlaygroundConfig, type TaskKind } from '../src/settings/table';
import { decodeUrl, encodeUrl, URL_TABLE } from '../src/store/urlState';
import { usePlayground } from '../src/store/store';
import { Controls } from '../src/ui/controls/Controls';
import * as workerConfig from '../src/worker/config';
import { RunController } from '../src/store/runController';
import { config as fakeConfig, rig, TrainerWorker, turn } from './worker/fakeWorker';

/** Values worth trying for a row: both ends and a middle of a range, every option, both booleans. */
function samples(row: AnyRow): unknown[] {
  if (row.kind === 'bool') return [true, false];
  if (row.kind === 'choice') return row.options.map(([v]) => v);
  const mid = row.kind === 'int' ? Math.round((row.min + row.max) / 2) : row.kind === 'log' ? Number(Math.sqrt(row.min * row.max).toPrecision(3)) : (row.min + row.max) / 2;
  return [row.min, mid, row.max];
}

/** The length knob's range for one task: the row's, narrowed by the task's own bounds. */
function lengthRange(task: TaskKind): [number, number] {
  const row = SETTINGS.length;
  const v = LENGTH_VARIANT[task];
  return row.kind === 'int' ? [Math.max(row.min, v.min ?? row.min), Math.min(row.max, v.max ?? row.max)] : [NaN, NaN];
}

/** A config holding `value` that can run: echo's lag needs a long enough sequence, as long as the
 *  task takes (other rows keep the default length, which every cell and task can afford). */
function withValue(row: AnyRow, value: unknown): PlaygroundConfig {
  const room = row.key === 'length' ? { lag: 1 } : row.key === 'lag' || row.key === 'task' ? { length: lengthRange(row.key === 'task' ? (value as TaskKind) : DEFAULT_CONFIG.task)[1] } : {};
  return { ...DEFAULT_CONFIG, ...room, [row.key]: value } as PlaygroundConfig;
}

/** A value of the row other than its default. */
function otherThanDefault(row: AnyRow): unknown {
  return samples(row).find((v) => v !== row.default && checkConfig(withValue(row, v)) === null);
}

describe('settings table', () => {
  it('every row round-trips through a link, at both ends of its range and for every option', () => {
    let n = 0;
    for (const row of ROWS)
      for (const v of samples(row)) {
        const config = withValue(row, v);
        expect(checkConfig(config), `${row.key}=${String(v)}`).toBeNull();
        const back = decodeUrl(encodeUrl(config));
        expect(back.problems, `${row.key}=${String(v)}`).toEqual([]);
        expect(back.config).toEqual(config);
        n++;
      }
    expect(n).toBeGreaterThan(2 * ROWS.length);
  });

  it("the link's range is the row's, and so is a typed number's: both ends in, just past them out", () => {
    for (const row of ROWS) {
      if (row.kind === 'bool' || row.kind === 'choice') continue;
      const step = row.kind === 'int' ? 1 : Math.max(Math.abs(row.max), Math.abs(row.min), 1) * 1e-6;
      for (const [v, ok] of [[row.min, true], [row.max, true], [row.min - step, false], [row.max + step, false]] as const) {
        expect(URL_TABLE[row.key].read(String(v)).ok, `link ${row.link}=${v}`).toBe(ok);
        expect(readTyped(row, String(v)).ok, `typed ${row.key} ${v}`).toBe(ok);
      }
      if (row.kind === 'int') {
        expect(URL_TABLE[row.key].read(String(row.min + 0.5)).ok).toBe(false);
        expect(readTyped(row, String(row.min + 0.5)).ok).toBe(false);
      }
    }
  });

  it("the controls offer the row's range, with the test ids the browser tests use", () => {
    // Rendered on the "server", zustand reads the store's initial state: set the config there.
    const initial = usePlayground.getInitialState();
    const saved = initial.config;
    const html = (c: Partial<PlaygroundConfig>) => {
      initial.config = { ...DEFAULT_CONFIG, ...c };
      try {
        return renderToStaticMarkup(createElement(Controls));
      } finally {
        initial.config = saved;
      }
    };
    // Between these, every control is shown (the RNN's nonlinearity and the LSTM's forget bias exclude
    // each other; the state size is Mamba's and LRU's, the heads attention's, the mode and attention switch sequence to sequence's, the ring the LRU's).
    const pages = [html({ task: 'echo', cell: 'rnn', init: 'gaussian', optimizer: 'sgd' }), html({ cell: 'lstm', clip: 'value' }), html({ cell: 'mamba' }), html({ cell: 'attention' }), html({ task: 'seq2seq', cell: 'gru' }), html({ cell: 'lru' })];
    for (const row of ROWS) {
      const tag = pages.map((p) => new RegExp(`<(input|select)[^>]*data-testid="${row.testId}"[^>]*>`).exec(p)?.[0]).find(Boolean);
      expect(tag, row.testId).toBeDefined();
      if (row.kind === 'int' || row.kind === 'real') {
        expect(tag).toContain(`min="${row.min}"`);
        expect(tag).toContain(`max="${row.max}"`);
      }
    }
    // The ids the browser tests find controls by.
    for (const id of ['ctl-task', 'ctl-length', 'ctl-cell', 'ctl-hidden', 'ctl-layers', 'ctl-init', 'ctl-gain', 'ctl-optimizer', 'ctl-batch', 'ctl-clip', 'ctl-clip-max', 'ctl-truncation', 'ctl-seed', 'ctl-backend'])
      expect(ROWS.some((r) => r.testId === id), id).toBe(true);
    // When a control is shown follows the row: the lag only for echo.
    expect(html({ task: 'adding' })).not.toContain('data-testid="ctl-lag"');
    expect(html({ task: 'echo' })).toContain('data-testid="ctl-lag"');
    expect(html({ task: 'copy_memory' })).toContain('Delay T');
    expect(html({ task: 'selective_copy' })).toContain('Noise steps S');
    expect(html({ task: 'associative_recall', length: 8 })).toContain('Pairs n');
  });

  it("each task's length range runs at both ends, in the settings and in the engine, and is refused one past", () => {
    const text = 'In the beginning God created the heaven and the earth. '.repeat(10); // the character model's corpus
    for (const [task] of SETTINGS.task.options) {
      const [lo, hi] = lengthRange(task);
      expect(lo, task).toBeLessThanOrEqual(hi);
      for (const length of [lo, hi]) {
        const c: PlaygroundConfig = { ...DEFAULT_CONFIG, task, length, lag: 1 };
        expect(checkConfig(c), `${task} ${length}`).toBeNull();
        expect(() => (task === 'seq2seq' ? makeSeq2Seq(seq2seqTaskSpecOf(c)) : makeTask(taskSpecOf(c, text))), `${task} ${length}`).not.toThrow();
      }
      const v = LENGTH_VARIANT[task];
      if (v.min !== undefined) expect(checkConfig({ ...DEFAULT_CONFIG, task, length: lo - 1, lag: 1 }), task).toMatch(/needs at least/);
      if (v.max !== undefined) expect(checkConfig({ ...DEFAULT_CONFIG, task, length: hi + 1, lag: 1 }), task).toMatch(/takes at most/);
    }
  });

  it('every default is in its range, and the defaults run', () => {
    for (const row of ROWS) expect(whyNot(row, row.default), row.key).toBeNull();
    expect(checkConfig(DEFAULT_CONFIG)).toBeNull();
    expect(encodeUrl(DEFAULT_CONFIG)).toBe('?v=1');
  });

  it("every lesson's settings, and each variant's, are in range and run", () => {
    for (const lesson of LESSONS) {
      expect(checkConfig(lessonConfig(lesson.id)), lesson.id).toBeNull();
      for (const v of lesson.compare ?? []) expect(checkConfig({ ...DEFAULT_CONFIG, ...lesson.config, ...v.config }), `${lesson.id}: ${v.label}`).toBeNull();
    }
  });

  it('worker/config.ts passes on the same table', () => {
    expect(workerConfig.DEFAULT_CONFIG).toBe(DEFAULT_CONFIG);
    expect(workerConfig.LIVE_KEYS).toBe(LIVE_KEYS);
    expect([...LIVE_KEYS].sort()).toEqual(['backend', 'batchSize', 'clip', 'clipMax', 'learningRate', 'momentum', 'optimizer', 'truncation']);
  });

  it('the page starts a new run for exactly the settings that are not live, and the worker follows its run ids', async () => {
    const small: Partial<PlaygroundConfig> = { task: 'echo', length: 6, lag: 1, symbols: 3, hiddenSize: 4, batchSize: 4, backend: 'reference' };
    const restarted: string[] = [];
    const rebuilt: string[] = [];
    for (const row of ROWS) {
      const r = rig(() => new TrainerWorker());
      const run = new RunController(fakeConfig(small), { env: r.env });
      const readies = () => r.workers[0].posted.filter((p) => p.msg.type === 'ready').length;
      const settle = async () => {
        for (let i = 0; i < 200; i++) await turn();
      };
      run.start();
      await settle();
      const before = readies();
      const v = row.key === 'backend' ? 'auto' : otherThanDefault(row);
      const next = { ...run.state.config, [row.key]: v } as PlaygroundConfig;
      if (row.key === 'length') next.length = 7;
      if (row.key === 'lag') next.lag = 2;
      if (row.key === 'hiddenSize') next.hiddenSize = 5;
      if (row.key === 'batchSize') next.batchSize = 5;
      const id = run.state.runId;
      if (run.apply(next).length) restarted.push(row.key);
      expect(run.state.runId !== id, row.key).toBe(restarted.at(-1) === row.key);
      await settle();
      if (readies() > before) rebuilt.push(row.key);
      run.dispose();
    }
    const notLive = ROWS.filter((r) => !r.live).map((r) => r.key).sort();
    expect(restarted.sort()).toEqual(notLive);
    expect(rebuilt.sort()).toEqual(notLive);
  });

  it("the model-file reader's limits are the table's, and it refuses one past them", () => {
    const h = SETTINGS.hiddenSize;
    const layers = SETTINGS.numLayers;
    expect(MODEL_LIMITS.hiddenSize).toBe(h.kind === 'int' ? h.max : NaN);
    expect(MODEL_LIMITS.numLayers).toBe(layers.kind === 'int' ? layers.max : NaN);
    const spec = { cell: 'rnn', nonlinearity: 'tanh', inputSize: 1, hiddenSize: 2, numLayers: 1, bidirectional: false, outputSize: 1, initialState: 'zero' } as const;
    const file = saveModel(initModel(spec, { scheme: 'pytorch' }, new Rng(1)));
    expect(() => loadModel(JSON.stringify({ ...file, hiddenSize: MODEL_LIMITS.hiddenSize + 1 }))).toThrow(ModelFileError);
    expect(() => loadModel(JSON.stringify({ ...file, hiddenSize: MODEL_LIMITS.hiddenSize + 1 }))).toThrow(/from 1 to 512/);
  });

  it('the classroom menu offers the hideable rows, and a link hides exactly those', () => {
    expect(HIDEABLE_KEYS).toContain('learningRate');
    expect(HIDEABLE_KEYS).not.toContain('initialState');
    for (const row of ROWS) {
      const d = decodeUrl(`?hide=${row.link}`);
      expect(d.hidden, row.key).toEqual(row.hideable ? [row.key] : []);
      expect(d.problems.length, row.key).toBe(row.hideable ? 0 : 1);
    }
  });

  it('names settings in words', () => {
    expect(describeKeys(['hiddenSize', 'cell'])).toBe('hidden size, cell');
    expect(describeKeys(['numLayers', 'learningRate', 'bidirectional'])).toBe('layers, learning rate, bidirectional');
    for (const row of ROWS) expect(row.name, row.key).toMatch(/^[a-z][a-z -]*$/);
  });
});
