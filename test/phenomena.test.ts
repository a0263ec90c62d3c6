/**
 * The phenomena the lessons rely on, as tests that train a little (seconds, in Node). Seeds are
 * fixed, so each run gives the same numbers; the margins are wide enough that a slightly
 * different libm (Math.tanh, Math.exp) cannot flip an outcome.
 */
import { describe, expect, it } from 'vitest';
import { forward, lossAndGradients } from '../src/engine/bptt';
import { clipGradients } from '../src/engine/clip';
import { initModel, type InitSpec } from '../src/engine/init';
import type { Model, ModelSpec } from '../src/engine/model';
import { makeOptimizer } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import { makeTask } from '../src/engine/tasks';
import { trainStep } from '../src/engine/train';

function hiddenGradNormsByStep(model: Model, T: number): number[] {
  const task = makeTask({ kind: 'adding', T });
  const batch = task.batch(new Rng(3), 32);
  const r = lossAndGradients(model, batch, { loss: 'mse', readout: 'final_step', truncation: null });
  const H = model.spec.hiddenSize;
  return Array.from({ length: T }, (_, t) => {
    let s = 0;
    for (let i = t * 32 * H; i < (t + 1) * 32 * H; i++) s += r.hiddenGrads[i] ** 2;
    return Math.sqrt(s);
  });
}

const tanhRnn = (H: number): ModelSpec => ({ cell: 'rnn', nonlinearity: 'tanh', inputSize: 2, hiddenSize: H, numLayers: 1, bidirectional: false, outputSize: 1, initialState: 'zero' });

describe('vanishing and exploding gradients', () => {
  it('a tanh RNN with ρ = 0.5 sees ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ fall by orders of magnitude', () => {
    const model = initModel(tanhRnn(64), { scheme: 'gaussian', gain: 0.5 }, new Rng(3));
    const norms = hiddenGradNormsByStep(model, 30);
    expect(norms[0] / norms[29]).toBeLessThan(1e-6);
    // ... and the decay is steady: every 10 steps back lose at least a factor 10.
    expect(norms[9] / norms[19]).toBeLessThan(0.1);
  });

  it('a tanh RNN with ρ = 3 sees it grow by orders of magnitude', () => {
    const model = initModel(tanhRnn(64), { scheme: 'gaussian', gain: 3 }, new Rng(3));
    const norms = hiddenGradNormsByStep(model, 30);
    expect(norms[0] / norms[29]).toBeGreaterThan(1e3);
  });

  it('norm clipping caps the update of an exploding step at lr · c', () => {
    const model = initModel(tanhRnn(64), { scheme: 'gaussian', gain: 3 }, new Rng(3));
    const task = makeTask({ kind: 'adding', T: 30 });
    const batch = task.batch(new Rng(4), 32);
    const before = Object.values(model.params).map((p) => new Float64Array(p.data));
    const lr = 0.1;
    const step = trainStep(model, makeOptimizer({ name: 'sgd', lr }), batch, { loss: 'mse', readout: 'final_step', truncation: null, clip: { kind: 'norm', max: 1 } });
    expect(step.clip.normBefore).toBeGreaterThan(100);
    expect(step.clip.clipped).toBe(true);
    expect(step.clip.normAfter).toBeCloseTo(1, 5);
    let moved = 0;
    Object.values(model.params).forEach((p, k) => p.data.forEach((v, i) => (moved += (v - before[k][i]) ** 2)));
    expect(Math.sqrt(moved)).toBeCloseTo(lr * step.clip.normAfter, 10);
    expect(Math.sqrt(moved)).toBeLessThanOrEqual(lr * 1);
  });

  it('value clipping bounds every entry', () => {
    const model = initModel(tanhRnn(16), { scheme: 'gaussian', gain: 3 }, new Rng(5));
    const r = lossAndGradients(model, makeTask({ kind: 'adding', T: 20 }).batch(new Rng(6), 8), { loss: 'mse', readout: 'final_step', truncation: null });
    const c = clipGradients(r.grads, { kind: 'value', max: 0.01 });
    expect(c.clipped).toBe(true);
    for (const g of Object.values(r.grads)) for (const v of g.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.01);
  });
});

describe('memory over a long lag', () => {
  // Delayed echo at lag 20: a tanh RNN at ρ = 0.9 stays near chance; an IRNN (ReLU, W_hh = I)
  // keeps the signal and learns. Same seed, data, size, optimizer and number of steps.
  const lag = 20;
  const task = makeTask({ kind: 'echo', T: lag + 10, lag, K: 4 });
  const spec = (nonlinearity: 'tanh' | 'relu'): ModelSpec => ({ ...tanhRnn(16), nonlinearity, inputSize: task.info.inputSize, outputSize: task.info.outputSize });
  function trainAndScore(s: ModelSpec, init: InitSpec, lr: number): number {
    const rng = new Rng(1);
    const model = initModel(s, init, rng);
    const opt = makeOptimizer({ name: 'adam', lr });
    const opts = { loss: task.info.loss, readout: task.info.readout, truncation: null } as const;
    for (let step = 0; step < 500; step++) trainStep(model, opt, task.batch(rng, 32), { ...opts, clip: { kind: 'norm', max: 1 } });
    const evalRng = new Rng(99);
    let acc = 0;
    for (let e = 0; e < 4; e++) {
      const b = task.batch(evalRng, 64);
      acc += task.metric(forward(model, b, opts).outputs, b) / 4;
    }
    return acc;
  }

  it('an IRNN learns delayed echo at lag 20 where a tanh RNN with ρ = 0.9 does not', () => {
    const tanh = trainAndScore(spec('tanh'), { scheme: 'gaussian', gain: 0.9 }, 0.01);
    const irnn = trainAndScore(spec('relu'), { scheme: 'identity', gain: 1 }, 0.003);
    expect(task.info.baseline.value).toBe(0.25);
    expect(tanh).toBeLessThan(0.33);
    expect(irnn).toBeGreaterThan(0.38);
    expect(irnn - tanh).toBeGreaterThan(0.08);
  });
});
