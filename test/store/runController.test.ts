/**
 * The page's run controller in Node, on fake workers and a fake clock: requests never hang (they
 * reject when the worker dies, is replaced or the run changes), two controllers share nothing,
 * frames land in their own run's history at the display's pace, and weight backups cross the
 * boundary as moved buffers and bring a crashed run back to exactly their weights.
 */
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/engine/tasks';
import { RequestCancelled, RequestRefused, RunController } from '../../src/store/runController';
import type { FromWorker, WeightsMessage } from '../../src/worker/protocol';
import { config, frame, rig, ScriptedWorker, TrainerWorker, turn } from '../worker/fakeWorker';

type Ready = Extract<FromWorker, { type: 'ready' }>;

/** A "ready" as the worker announces a run (only the fields the page reads are real). */
function ready(runId: number): Ready {
  const task = { inputSize: 3, outputSize: 3, metric: { name: 'accuracy', higherIsBetter: true }, baseline: { value: 1 / 3 } } as unknown as TaskInfo;
  const model = { cell: 'rnn', nonlinearity: 'tanh', inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: false, outputSize: 3, initialState: 'zero' } as const;
  return { type: 'ready', runId, task, model, parameterCount: 51, backend: { name: 'reference', description: 'float64', isSoftware: true }, config: config({ hiddenSize: 4 }) };
}

const someWeights = (): WeightsMessage => ({ spec: ready(1).model, params: { names: [], shapes: [], data: new Float64Array(0) } });

function scripted() {
  const r = rig(() => new ScriptedWorker());
  const notices: string[] = [];
  const run = new RunController(config(), { env: r.env, onNotice: (_level, code, message) => notices.push(`${code}: ${message}`) });
  run.start();
  return { ...r, run, notices };
}

describe('RunController requests', () => {
  it('an answered request resolves with its answer', async () => {
    const { run, workers } = scripted();
    const asked = run.readWeights();
    const [req] = workers[0].of('readWeights');
    workers[0].emit({ type: 'weights', requestId: req.requestId, runId: 1, step: 7, weights: someWeights() });
    expect((await asked).step).toBe(7);
  });

  it('a request the worker cannot serve rejects with its reason', async () => {
    const r = rig(() => new TrainerWorker());
    const run = new RunController(config({ task: 'echo', length: 6, lag: 1, symbols: 3, hiddenSize: 4, batchSize: 2, backend: 'reference' }), { env: r.env });
    run.start();
    await expect(run.sample('In the beginning', 20, 0.7)).rejects.toThrow(new RequestRefused('only the character model generates text'));
    run.dispose();
  });

  it('rejects every request still owed when the worker crashes, and restarts the run in a fresh worker', async () => {
    const { run, workers, notices } = scripted();
    const weights = run.readWeights();
    const text = run.sample('In the beginning', 20, 0.7);
    workers[0].crash('out of memory');
    await expect(weights).rejects.toThrow(RequestCancelled);
    await expect(text).rejects.toThrow(/the training worker stopped before it answered/);
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1].of('configure').map((m) => m.runId)).toEqual([2]);
    expect(run.state.runId).toBe(2);
    expect(notices).toEqual(['crash: The training worker stopped (out of memory). It was restarted with your settings, from the seed. Press Play to go on.']);
  });

  it('rejects them when the watchdog replaces a stalled worker, which restarts and plays on', async () => {
    const { run, workers, advance } = scripted();
    run.play();
    workers[0].emit({ type: 'status', runId: 1, playing: true, step: 0 });
    const weights = run.readWeights();
    advance(29_000); // the first steps may take this long
    expect(workers).toHaveLength(1);
    advance(3_000);
    await expect(weights).rejects.toThrow(RequestCancelled);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].sent.map((m) => m.type)).toEqual(['configure', 'play']);
    expect(run.state.stopped).toMatch(/^Training stopped responding at step 0 \(no answer for 3\d s\)\. The worker was restarted from the seed and goes on training\.$/);
  });

  it('rejects them when the run changes: a new run, or a run the worker started (a model file)', async () => {
    const { run, workers, notices } = scripted();
    const before = run.readWeights();
    run.start();
    await expect(before).rejects.toThrow(/a new run started/);
    // Its late answer is dropped: nobody gets the weights of a run that ended.
    const [old] = workers[0].of('readWeights');
    workers[0].emit({ type: 'weights', requestId: old.requestId, runId: 1, step: 3, weights: someWeights() });

    run.loadModelText('{"format": "..."}');
    const [load] = workers[0].of('loadModel');
    const during = run.readWeights();
    workers[0].emit(ready(load.runId));
    await expect(during).rejects.toThrow(RequestCancelled);
    expect(run.state.runId).toBe(load.runId);
    expect(run.state.config.hiddenSize).toBe(4); // a loaded model brings its architecture
    expect(notices.at(-1)).toMatch(/^live-change: Model loaded: 1-layer tanh RNN, hidden size 4, 51 parameters\./);
  });

  it('rejects them when the run is closed, and sends nothing after', async () => {
    const { run, workers } = scripted();
    const owed = run.readWeights();
    run.dispose();
    await expect(owed).rejects.toThrow(/this run was closed/);
    await expect(run.readWeights()).rejects.toThrow(/this run was closed/);
    run.play();
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(1); // no fresh worker for a closed run
  });
});

describe('RunController state', () => {
  it('two controllers share nothing: run ids, workers, curves, requests', async () => {
    const r = rig(() => new ScriptedWorker());
    const a = new RunController(config({ seed: 1 }), { env: r.env });
    const b = new RunController(config({ seed: 2 }), { env: r.env });
    a.start();
    b.start();
    const [wa, wb] = r.workers;
    expect(wa.of('configure')[0]).toMatchObject({ runId: 1, config: { seed: 1 } });
    expect(wb.of('configure')[0]).toMatchObject({ runId: 1, config: { seed: 2 } });
    wa.emit(frame(1, [1, 2, 3]));
    expect(Array.from(a.history.series('step'))).toEqual([1, 2, 3]);
    expect(b.history.length).toBe(0);
    expect(b.state.step).toBe(0);
    const owedByB = b.readWeights();
    a.start();
    wa.crash('gone');
    expect(a.state.runId).toBe(3);
    expect(b.state.runId).toBe(1);
    expect(wb.terminated).toBe(false);
    const [req] = wb.of('readWeights');
    wb.emit({ type: 'weights', requestId: req.requestId, runId: 1, step: 0, weights: someWeights() });
    expect((await owedByB).runId).toBe(1);
  });

  it("frames land in their own run's history, acknowledged after paint and at most every 50 ms", () => {
    const { run, workers, paint, advance } = scripted();
    const w = workers[0];
    w.emit(frame(1, [1, 2]));
    expect(Array.from(run.history.series('step'))).toEqual([1, 2]);
    expect(run.state.latest?.loss).toBe(2);
    expect(run.waterfall.curves.map((c) => c.step)).toEqual([2]);
    expect(run.state.inputGradNorms).toEqual({ step: 1, norms: new Float64Array([0.5, 1, 2]) }); // the step that computed them
    expect(w.of('frameAck')).toHaveLength(0); // not before the browser painted it
    paint();
    advance(0);
    expect(w.of('frameAck')).toHaveLength(1);
    advance(10);
    w.emit(frame(1, [3]));
    paint();
    advance(39);
    expect(w.of('frameAck')).toHaveLength(1); // 49 ms after the previous frame
    advance(1);
    expect(w.of('frameAck')).toHaveLength(2);
    // After a reset a late frame of the old run is dropped, but acknowledged at once.
    run.start();
    expect(run.history.length).toBe(0);
    w.emit(frame(1, [4]));
    expect(run.history.length).toBe(0);
    expect(w.of('frameAck')).toHaveLength(3);
    w.emit(frame(2, [1]));
    expect(Array.from(run.history.series('loss'))).toEqual([1]);
  });
});

describe('RunController settings', () => {
  it('decides once what restarts: a live change keeps the run id, any other starts a new run', () => {
    const { run, workers } = scripted();
    expect(run.apply({ ...run.state.config, learningRate: 0.5, clip: 'norm' })).toEqual([]);
    const sent = workers[0].of('configure');
    expect(sent.map((m) => m.runId)).toEqual([1, 1]);
    expect(sent[1].config).toMatchObject({ learningRate: 0.5, clip: 'norm' });
    expect(run.apply({ ...run.state.config, hiddenSize: 9, seed: 4 })).toEqual(expect.arrayContaining(['hiddenSize', 'seed']));
    expect(workers[0].of('configure').map((m) => m.runId)).toEqual([1, 1, 2]);
    expect(run.state.runId).toBe(2);
    expect(run.state.config.hiddenSize).toBe(9);
  });

  it('restored weights go on only with live changes', () => {
    const { run, workers } = scripted();
    expect(() => run.restoreFrom(3, { ...run.state.config, hiddenSize: 9 })).toThrow(/live changes only/);
    run.restoreFrom(3, { ...run.state.config, clip: 'norm', clipMax: 1 });
    expect(workers[0].of('restore')).toMatchObject([{ runId: 1, fromStep: 3, config: { clip: 'norm', clipMax: 1 } }]);
  });
});

describe('RunController weight backups', () => {
  it('arrive as a moved buffer, and a crashed run restarts from exactly those weights', async () => {
    const r = rig(() => new TrainerWorker());
    const run = new RunController(config({ task: 'echo', length: 6, lag: 1, symbols: 3, hiddenSize: 4, batchSize: 2, backend: 'reference' }), { env: r.env, backupEveryMs: 3000 });
    const until = async (what: string, cond: () => boolean) => {
      for (let i = 0; i < 5000 && !cond(); i++) {
        r.paint();
        r.advance(50);
        await turn();
      }
      if (!cond()) throw new Error(`never: ${what}`);
    };
    run.start();
    await until('ready', () => run.state.task !== null);
    run.play();
    await until('a backup', () => run.savedWeightsStep() !== null && run.state.step > (run.savedWeightsStep() as number) + 2);
    run.pause();
    await until('paused', () => !run.state.playing);
    const saved = run.savedWeightsStep() as number;
    expect(saved).toBeGreaterThan(0);

    // The worker posted the weights with their buffer in the transfer list: moved, not copied.
    const posts = r.workers[0].posted.filter((p) => p.msg.type === 'weights');
    const last = posts.at(-1);
    if (last?.msg.type !== 'weights' || last.delivered.type !== 'weights') throw new Error('no weights were posted');
    expect(last.msg.step).toBe(saved);
    expect(last.transfer).toContain(last.msg.weights.params.data.buffer);
    expect(last.msg.weights.params.data.length).toBe(0); // the worker's copy left with the message
    const backup = last.delivered.weights.params.data; // (P) what the page kept
    expect(backup.length).toBe(run.state.parameterCount);

    r.workers[0].crash('simulated');
    await until('the restarted run', () => run.state.step === saved && r.workers.length === 2 && r.workers[1].posted.filter((p) => p.msg.type === 'ready').length === 2);
    // The page sent a moved copy: its own backup is still whole, for a second restart.
    const sent = r.workers[1].received.find((m) => m.msg.type === 'setWeights');
    if (sent?.msg.type !== 'setWeights') throw new Error('no weights were sent to the new worker');
    expect(sent.msg.atStep).toBe(saved);
    expect(sent.transfer).toContain(sent.msg.weights.params.data.buffer);
    expect(backup.length).toBe(run.state.parameterCount);
    expect(run.savedWeightsStep()).toBe(saved);
    expect(Math.max(...run.history.series('step'))).toBe(saved); // the curves after it were dropped

    const now = await run.readWeights();
    expect(Array.from(now.weights.params.data)).toEqual(Array.from(backup));
    expect(now.step).toBe(saved);
    run.dispose();
  });
});
