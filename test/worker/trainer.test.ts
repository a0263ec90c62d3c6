import { readFileSync } from 'node:fs';
/** The worker's training loop, driven in Node with the reference backend. */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../../src/kernels/reference';
import type { TrainingBackend } from '../../src/kernels/types';
import { jsKernels } from '../../src/kernels/reference/arena';
import { pathBackend } from '../../src/train/backend';
import { normsPerStep } from '../../src/engine/stepNorms';
import type { MetricFrame } from '../../src/worker/protocol';
import { Page, type Factory } from './harness';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const easy = { task: 'echo', length: 8, lag: 1, symbols: 3, hiddenSize: 16, learningRate: 0.02, batchSize: 16 } as const;

describe('trainer', () => {
  it('trains: the loss drops on an easy task, every step reported, one frame at a time', async () => {
    const page = new Page();
    await page.configure(easy);
    const ready = page.messages.find((m) => m.type === 'ready');
    expect(ready && ready.type === 'ready' && ready.backend.name).toBe('reference');
    await page.trainUntil(120);
    const losses = page.losses();
    expect(losses.length).toBe(page.lastStep()); // no step missing from the frames
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    expect(page.overlaps).toBe(0);
    const steps = page.frames().flatMap((f) => Array.from(f.stepIndices));
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    // The first frame shows the untrained model: its view and its analysis.
    const first = page.frames()[0];
    expect(first.snapshot?.hiddenStates.length).toBe(8 * 16);
    expect(first.analysis?.weights[0].eigenvalues.length).toBe(16);
  });

  it('each frame carries ‖∂L/∂x_t‖ of one of its own steps (the last, or the first), as the backend computed it', async () => {
    const steps: { wanted: boolean; inputGrads?: Float64Array }[] = []; // per trainStep call
    const recording: Factory = async () => {
      const inner = await createReferenceBackend();
      return {
        ...inner,
        trainStep: async (batch, opts) => {
          const stats = await inner.trainStep(batch, opts);
          steps.push({ wanted: opts.inputGrads === true, inputGrads: stats.inputGrads });
          return stats;
        },
      };
    };
    const page = new Page(recording);
    await page.configure(easy);
    await page.trainUntil(60);
    expect(steps.length).toBe(page.lastStep()); // no backend change, no replay: call s is step s + 1
    for (const s of steps) expect(s.inputGrads !== undefined).toBe(s.wanted);
    const frames = page.frames().filter((f) => f.losses.length);
    expect(frames.length).toBeGreaterThan(2);
    for (const f of frames) {
      expect([f.stepIndices[0], f.step]).toContain(f.inputGradStep);
      const grads = steps[f.inputGradStep - 1].inputGrads as Float64Array; // (T, B, D)
      expect(Array.from(f.inputGradNorms)).toEqual(Array.from(normsPerStep(grads, easy.length)));
      expect(f.inputGradNorms.every((v) => v > 0)).toBe(true); // every input reaches the loss
    }
    expect(frames.filter((f) => f.inputGradStep === f.step).length).toBeGreaterThan(frames.length / 2); // mostly the frame's own latest step
    // at most two steps per frame pay for the extra product
    expect(steps.filter((s) => s.wanted).length).toBeLessThanOrEqual(2 * frames.length + 1);
    expect(steps.filter((s) => s.wanted).length).toBeLessThan(steps.length / 2);
  });

  it('one seed gives the same run; a reset starts over under a new run id', async () => {
    const a = new Page();
    await a.configure({ ...easy, seed: 7 });
    await a.trainUntil(20);
    const b = new Page();
    await b.configure({ ...easy, seed: 7 });
    await b.trainUntil(20);
    expect(b.losses().slice(0, 20)).toEqual(a.losses().slice(0, 20));
    const oldRun = a.runId;
    await a.configure({ ...easy, seed: 7 }); // a new run id: a reset
    expect(a.lastStep()).toBe(0);
    await a.trainUntil(5);
    expect(a.losses().slice(0, 5)).toEqual(b.losses().slice(0, 5));
    expect(a.frames(oldRun).length).toBeGreaterThan(0);
  });

  it('applies live settings at the next step without a reset: a zero learning rate freezes the weights', async () => {
    const page = new Page();
    await page.configure({ ...easy, optimizer: 'sgd', momentum: 0 });
    await page.trainUntil(10);
    await page.configure({ ...easy, optimizer: 'sgd', momentum: 0, learningRate: 0 }, false);
    const before = await page.save();
    await page.trainUntil(15);
    expect(page.lastStep()).toBeGreaterThanOrEqual(15);
    expect(await page.save()).toBe(before);
  });

  it('stops on divergence with the last finite weights and says what to try', async () => {
    const page = new Page();
    await page.configure({ task: 'adding', length: 10, cell: 'rnn', nonlinearity: 'relu', init: 'identity', gain: 1.5, clip: 'off', optimizer: 'sgd', momentum: 0, learningRate: 50, hiddenSize: 8 });
    await page.trainUntil(200);
    const [n] = page.notices('diverged');
    expect(n.message).toMatch(/turn on norm clipping/);
    const d = page.messages.find((m) => m.type === 'diverged');
    if (d?.type !== 'diverged') throw new Error('no divergence message');
    expect(d.advice.map((a) => a.label)).toEqual(['turn on norm clipping (c = 1)', 'lower the learning rate to 5 (now 50)', 'use tanh, which cannot grow without bound']);
    expect(d.advice.map((a) => a.live)).toEqual([true, true, false]);
    const saved = JSON.parse(await page.save());
    const flat = JSON.stringify(saved.stateDict);
    expect(flat).not.toMatch(/null|NaN|Infinity/);
  });

  it('hands over to the next backend when one fails mid-run, losing no step and no weight', async () => {
    // A "wasm" backend that is the reference in disguise and dies at its 7th step.
    let calls = 0;
    const flaky: Factory = async (name) => {
      const inner = createReferenceBackend();
      if (name === 'reference') return inner;
      if (name !== 'wasm') throw new Error('absent');
      const b: TrainingBackend = { ...inner, name: 'wasm', description: 'flaky', trainStep: async (batch, o) => {
        if (++calls === 7) throw new Error('device lost');
        return inner.trainStep(batch, o);
      } };
      return b;
    };
    const sgd = { ...easy, optimizer: 'sgd', momentum: 0, backend: 'wasm' } as const;
    const page = new Page(flaky);
    await page.configure(sgd);
    await page.trainUntil(20);
    expect(page.notices('fallback').some((n) => /wasm stopped \(device lost\)/.test(n.message))).toBe(true);
    const plain = new Page();
    await plain.configure({ ...sgd, backend: 'reference' });
    await plain.trainUntil(20);
    expect(page.losses().slice(0, 20)).toEqual(plain.losses().slice(0, 20));
  });

  it('refuses a bad model file and keeps the current model; loads a good one', async () => {
    const page = new Page();
    await page.configure(easy);
    const before = await page.save();
    await page.trainer.handle({ type: 'loadModel', runId: 99, text: '{"format": "rnn-playground/model@1", "cell": "gru"' });
    expect(page.notices('bad-model-file')[0].message).toMatch(/not valid JSON.*unchanged/);
    expect(await page.save()).toBe(before);
    const other = JSON.parse(before);
    other.stateDict['readout.bias'] = other.stateDict['readout.bias'].map(() => 0.5);
    page.runId = 100;
    await page.trainer.handle({ type: 'loadModel', runId: 100, text: JSON.stringify(other) });
    expect(JSON.parse(await page.save()).stateDict['readout.bias']).toEqual([0.5, 0.5, 0.5]);
  });

  it('samples text from the character model in the worker, reproducibly per request order', async () => {
    const page = new Page();
    await page.configure({ task: 'char_lm', length: 32, cell: 'lstm', hiddenSize: 16, batchSize: 4 });
    await page.trainUntil(3);
    await page.trainer.handle({ type: 'sample', requestId: 7, prompt: 'In the beginning', length: 50, temperature: 0.8 });
    const reply = page.messages.find((m) => m.type === 'sample' && m.requestId === 7);
    if (!reply || reply.type !== 'sample') throw new Error('no sample came back');
    expect([...reply.text]).toHaveLength(50);
    const genesis = new Set(readFileSync('public/text/kjv-genesis.txt', 'utf8'));
    for (const ch of reply.text) expect(genesis.has(ch)).toBe(true);
  });
});

describe('loss per scored step', () => {
  it('is the sequence loss over the steps the task scores: T − L for an echo at lag L', async () => {
    const page = new Page();
    await page.configure({ task: 'echo', length: 12, lag: 3, symbols: 4, hiddenSize: 8, batchSize: 4 });
    await page.trainUntil(5);
    const frames = page.frames().filter((f) => f.losses.length);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames)
      for (let i = 0; i < f.losses.length; i++) expect(f.lossesPerStep[i]).toBeCloseTo(f.losses[i] / (12 - 3), 12);
  });

  it('at the start of an echo over K = 4 symbols it is near ln 4 nats, the memoryless baseline', async () => {
    const page = new Page();
    await page.configure({ task: 'echo', length: 20, lag: 5, symbols: 4, hiddenSize: 8, batchSize: 32, learningRate: 1e-5 });
    await page.trainUntil(3);
    const first = page.frames().find((f) => f.losses.length) as MetricFrame;
    expect(Math.abs(first.lossesPerStep[0] - Math.log(4))).toBeLessThan(0.25);
  });
});

describe('successor blocks in the worker', () => {
  for (const cell of ['lru', 'mamba', 'rwkv', 'mingru', 'attention'] as const) {
    it(`${cell}: trains an easy echo, reports ∂L/∂x and its memory, and has no RNN view or analysis`, async () => {
      const page = new Page();
      await page.configure({ ...easy, cell, stateSize: 8, numHeads: 2, backend: 'reference' });
      const ready = page.messages.find((m) => m.type === 'ready');
      expect(ready?.type === 'ready' && ready.model.cell).toBe(cell);
      await page.trainUntil(150);
      const losses = page.losses();
      expect(losses.length).toBe(page.lastStep());
      expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
      const frames = page.frames();
      expect(frames.every((f) => f.snapshot === null && f.analysis === null)).toBe(true);
      expect(frames[0].memory?.kind).toBe(cell); // the first frame shows the untrained block's memory
      const last = frames.filter((f) => f.losses.length).at(-1) as MetricFrame;
      expect(last.inputGradNorms).toHaveLength(easy.length);
      expect(last.inputGradNorms.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    });
  }

  it('auto and a forced choice pick a backend that trains the kind, saying why the others do not; a saved model loads back', async () => {
    // a "wasm" whose kernels have no mixers (the real one's list grows kind by kind)
    const withoutMixers = () => pathBackend({ ...jsKernels((n) => new Float64Array(n)), mixers: undefined }, { name: 'wasm', description: 'no mixers', isSoftware: false });
    const factory: Factory = async (name) => {
      if (name === 'wasm') return withoutMixers();
      if (name === 'reference') return createReferenceBackend();
      throw new Error(`${name} is not available in Node`);
    };
    const forced = new Page(factory);
    await forced.configure({ ...easy, cell: 'mamba', stateSize: 4, backend: 'wasm' });
    expect(forced.messages.find((m) => m.type === 'ready' && m.backend.name === 'reference')).toBeDefined();
    expect(forced.notices('fallback').map((n) => n.message).join(' ')).toMatch(/wasm cannot train this model: the wasm backend does not train mamba yet/);
    const page = new Page(factory);
    await page.configure({ ...easy, cell: 'mamba', stateSize: 4, backend: 'auto' });
    const ready = page.messages.find((m) => m.type === 'ready');
    expect(ready?.type === 'ready' && ready.backend.name).toBe('reference');
    const fallback = page.notices('fallback').map((n) => n.message).join(' ');
    expect(fallback).toMatch(/wasm failed its trial: the wasm backend does not train mamba yet/);
    await page.trainUntil(5);
    const saved = await page.save();
    expect(JSON.parse(saved)).toMatchObject({ cell: 'mamba', stateSize: 4, hiddenSize: easy.hiddenSize });
    await page.trainer.handle({ type: 'loadModel', runId: ++page.runId, text: saved });
    expect(page.notices('bad-model-file')).toEqual([]);
    expect(JSON.parse(await page.save()).stateDict).toEqual(JSON.parse(saved).stateDict);
  });
});
