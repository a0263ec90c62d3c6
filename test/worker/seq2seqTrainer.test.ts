/**
 * The worker's encoder–decoder loop, driven through the router as the page and the lesson runner
 * drive it: every number a frame carries is the engine's own on a replay from the same seed.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { initSeq2Seq } from '../../src/engine/seq2seq';
import { freeRunning, Seq2SeqLearner } from '../../src/engine/seq2seqTrain';
import { makeSeq2Seq } from '../../src/engine/tasks';
import { checkConfig } from '../../src/settings/check';
import { clipSpecOf, DEFAULT_CONFIG, initSpecOf, optimizerSpecOf, type PlaygroundConfig } from '../../src/worker/config';
import type { FromWorker, MetricFrame } from '../../src/worker/protocol';
import { normsPerStep } from '../../src/engine/stepNorms';
import { TrainerRouter } from '../../src/worker/router';
import { referenceOnly } from './harness';

const CONFIG: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'seq2seq', length: 5, symbols: 6, cell: 'gru', hiddenSize: 8, batchSize: 4, attention: true, seed: 17 };

function rig() {
  const posted: FromWorker[] = [];
  const router = new TrainerRouter({ post: (m) => posted.push(m), createBackend: referenceOnly, loadDefaultText: async () => '', now: () => 0, yieldToEvents: async () => {} });
  const frames = () => posted.filter((m): m is MetricFrame => m.type === 'frame');
  return { posted, router, frames };
}

/** The same run in the engine alone: seeds forked as the worker forks them. */
function replay(c: PlaygroundConfig, steps: number) {
  const task = makeSeq2Seq({ kind: 'seq2seq', mode: c.seq2seqMode, n: c.length, K: c.symbols });
  const root = new Rng(c.seed);
  const m = initSeq2Seq({ cell: 'gru', nonlinearity: 'tanh', hiddenSize: c.hiddenSize, numLayers: c.numLayers, sourceSize: c.symbols, decoderInputSize: c.symbols + 1, attention: c.attention }, initSpecOf(c), root.fork(1));
  const data = root.fork(2);
  const learner = new Seq2SeqLearner(m, optimizerSpecOf(c), clipSpecOf(c));
  const out = { loss: [] as number[], teacher: [] as number[], free: [] as number[], encoderGradNorms: new Float64Array(0) as Float64Array };
  for (let s = 0; s < steps; s++) {
    const batch = task.batch(data, c.batchSize);
    out.free.push(freeRunning(m, batch).accuracy);
    const st = learner.step(batch);
    out.loss.push(st.loss);
    out.teacher.push(task.metric(st.result.outputs, batch));
    out.encoderGradNorms = normsPerStep(st.result.encoderHiddenGrads, c.length);
  }
  return { ...out, model: m, task };
}

describe('seq2seq in the worker', () => {
  it('the settings that make it run pass the checks; a successor cell, two directions, a learned start or truncation are refused in words', () => {
    expect(checkConfig(CONFIG)).toBeNull();
    expect(checkConfig({ ...CONFIG, cell: 'mamba' })).toMatch(/not an encoder–decoder cell/);
    expect(checkConfig({ ...CONFIG, bidirectional: true })).toMatch(/turn bidirectional off/);
    expect(checkConfig({ ...CONFIG, initialState: 'learned' })).toMatch(/no start state to learn/);
    expect(checkConfig({ ...CONFIG, truncation: 3 })).toMatch(/full BPTT/);
    expect(checkConfig({ ...CONFIG, length: 41 })).toMatch(/at most 40 symbols/);
    // the float64 engine's speed bounds a step (~2 s), not WebAssembly's: a big encoder–decoder is refused up front
    expect(checkConfig({ ...CONFIG, length: 40, hiddenSize: 256, batchSize: 64 })).toMatch(/s per step on the float64 engine/);
  });

  it('each step’s loss, teacher-forced and free-running accuracy equal the engine’s on a replay', async () => {
    const { router, posted, frames } = rig();
    await router.handle({ type: 'configure', runId: 1, config: CONFIG });
    const ready = posted.find((m) => m.type === 'ready');
    expect(ready?.type === 'ready' && ready.task.id).toBe('seq2seq');
    for (let i = 0; i < 6; i++) await router.handle({ type: 'step' });
    const fs = frames();
    const ref = replay(CONFIG, 6);
    expect(fs.flatMap((f) => Array.from(f.losses))).toEqual(ref.loss);
    expect(fs.flatMap((f) => Array.from(f.lossesPerStep))).toEqual(ref.loss.map((l) => l / CONFIG.length));
    expect(fs.flatMap((f) => Array.from(f.metrics))).toEqual(ref.teacher);
    expect(fs.flatMap((f) => Array.from(f.seq2seq?.freeRunning ?? []))).toEqual(ref.free);
    const last = fs[fs.length - 1];
    expect(Array.from(last.hiddenGradNorms)).toEqual(Array.from(ref.encoderGradNorms)); // ‖∂L/∂h_s‖ per source step
    const ex = last.seq2seq?.example;
    expect(ex?.step).toBe(6);
    // α rows sum to 1; the handed-over state is the encoder's (L, H) final state
    expect(ex?.alpha?.length).toBe(CONFIG.length * CONFIG.length);
    for (let t = 0; t < CONFIG.length; t++) expect(Array.from(ex!.alpha!.subarray(t * 5, t * 5 + 5)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(ex?.handedOver.length).toBe(CONFIG.hiddenSize);
    expect(Array.from(ex!.target)).toEqual(Array.from(ex!.source).reverse());
  });

  it('without attention the example has no α; a task switch hands the run to the plain trainer and back', async () => {
    const { router, posted, frames } = rig();
    await router.handle({ type: 'configure', runId: 1, config: { ...CONFIG, attention: false } });
    await router.handle({ type: 'step' });
    expect(frames().at(-1)?.seq2seq?.example?.alpha).toBeNull();
    await router.handle({ type: 'configure', runId: 2, config: { ...DEFAULT_CONFIG, batchSize: 4 } });
    await router.handle({ type: 'step' });
    const plain = frames().filter((f) => f.runId === 2);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((f) => f.seq2seq === undefined)).toBe(true);
    await router.handle({ type: 'configure', runId: 3, config: CONFIG });
    expect(posted.filter((m) => m.type === 'ready' && m.runId === 3).map((m) => m.type === 'ready' && m.task.id)).toEqual(['seq2seq']);
  });

  it('weights read back and set again (a restart after a crash) go on from the same step and weights', async () => {
    const a = rig();
    await a.router.handle({ type: 'configure', runId: 1, config: CONFIG });
    for (let i = 0; i < 3; i++) await a.router.handle({ type: 'step' });
    await a.router.handle({ type: 'readWeights', requestId: 9 });
    const w = a.posted.find((m) => m.type === 'weights');
    if (w?.type !== 'weights') throw new Error('no weights');
    const b = rig();
    await b.router.handle({ type: 'configure', runId: 5, config: CONFIG });
    await b.router.handle({ type: 'setWeights', runId: 6, weights: w.weights, atStep: 3 });
    await b.router.handle({ type: 'readWeights', requestId: 10 });
    const back = b.posted.find((m) => m.type === 'weights');
    expect(back?.type === 'weights' && Array.from(back.weights.params.data)).toEqual(Array.from(w.weights.params.data));
    expect(back?.type === 'weights' && back.step).toBe(3);
  });

  it('a NaN learning rate: the step is refused with a notice, training pauses, the step count stays', async () => {
    const { router, posted } = rig();
    await router.handle({ type: 'configure', runId: 1, config: { ...CONFIG, learningRate: 0.01 } });
    await router.handle({ type: 'configure', runId: 1, config: { ...CONFIG, learningRate: NaN } });
    await router.handle({ type: 'step' });
    expect(posted.some((m) => m.type === 'notice' && m.code === 'diverged')).toBe(true);
    const status = posted.filter((m) => m.type === 'status').at(-1);
    expect(status?.type === 'status' && status.step).toBe(0);
  });
});
