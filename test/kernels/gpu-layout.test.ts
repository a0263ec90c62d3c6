/**
 * The GPU backends' pure helpers: θ layout, batch and state packing, the clipping outcome, the
 * optimizer uniform, workgroup grids, and the WGSL sources' bindings (no GPU in Node: the browser
 * test compiles and runs them).
 */
import { describe, expect, it } from 'vitest';
import { paramShapes, sizeOf, zeroParams, type ModelSpec } from '../../src/engine/model';
import { clipOutcome, dimsOf, flattenParams, packInitialState, paramLayout, unflattenParams, unpackFinalState } from '../../src/kernels/webgpu/layout';
import { workgroupGrid } from '../../src/kernels/webgpu/device';
import { updateValues } from '../../src/kernels/webgpu';
import { DIMS_FIELDS, packDims } from '../../src/kernels/webgpu/wgsl/common';
import { backwardKernel, finalStateKernel, forwardKernel, inputGradKernel, paramGradKernel, startStateKernel } from '../../src/kernels/webgpu/wgsl/recurrent';
import { packRun, readoutBackwardKernel, readoutForwardKernel, statsKernel, updateKernel, type RunValues } from '../../src/kernels/webgpu/wgsl/readout';

const spec = (p: Partial<ModelSpec>): ModelSpec => ({ cell: 'lstm', nonlinearity: 'tanh', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2, initialState: 'learned', ...p });

describe('θ layout', () => {
  it('puts every state_dict entry in order, each layer and direction contiguous', () => {
    const s = spec({});
    const layout = paramLayout(s);
    expect(layout.total).toBe(paramShapes(s).reduce((n, [, sh]) => n + sizeOf(sh), 0));
    const G = 4;
    const H = 4;
    for (let i = 0; i < 4; i++) {
      const l = Math.floor(i / 2);
      const D = l === 0 ? 3 : 8;
      const sfx = `_l${l}${i % 2 ? '_reverse' : ''}`;
      const at = (n: string) => layout.entries.find((e) => e.name === n)!.offset;
      expect(at(`weight_hh${sfx}`)).toBe(layout.layerBase[i] + G * H * D);
      expect(at(`bias_ih${sfx}`)).toBe(at(`weight_hh${sfx}`) + G * H * H);
      expect(at(`bias_hh${sfx}`)).toBe(at(`bias_ih${sfx}`) + G * H);
      // the learned start states follow each other: h0 then c0, at a stride of 2H
      expect(layout.initOffset[i]).toBe(layout.initOffset[0] + i * 2 * H);
      expect(at(`c0${sfx}`)).toBe(layout.initOffset[i] + H);
    }
    expect(layout.readoutBias).toBe(layout.readoutWeight + 2 * 8);
  });

  it('round-trips parameters through float32', () => {
    const s = spec({ cell: 'gru', initialState: 'zero' });
    const params = zeroParams(s);
    let k = 0;
    for (const t of Object.values(params)) for (let i = 0; i < t.data.length; i++) t.data[i] = ++k / 7;
    const back = unflattenParams(flattenParams(params, paramLayout(s)), paramLayout(s));
    for (const [n, t] of Object.entries(params)) {
      expect(back[n].shape).toEqual(t.shape);
      back[n].data.forEach((v, i) => expect(v).toBeCloseTo(t.data[i], 5));
    }
  });

  it('packs a start state and unpacks a final state in the same (L·dirs, 2, B, H) layout', () => {
    const d = dimsOf(spec({}), 2, 5, false);
    const h = Array.from({ length: 4 }, (_, i) => Float64Array.from({ length: 8 }, (_, k) => i * 10 + k));
    const c = h.map((a) => a.map((v) => -v));
    const back = unpackFinalState(packInitialState({ h, c }, d), d, true);
    expect(back.h).toEqual(h);
    expect(back.c).toEqual(c);
    expect(d.N).toBe(10);
    expect(dimsOf(spec({}), 2, 5, true).N).toBe(2);
  });
});

describe('clipping outcome and optimizer uniform', () => {
  it('follows PyTorch: norm scale max/(‖g‖+1e-6), value clamps', () => {
    const stats = [1.5, 4, 1, 1.2]; // loss, Σg², Σclamp(g)², max|g|
    expect(clipOutcome(stats, null)).toMatchObject({ loss: 1.5, normBefore: 2, normAfter: 2, clipped: false, finite: true });
    const n = clipOutcome(stats, { kind: 'norm', max: 0.5 });
    expect(n.clipped).toBe(true);
    expect(n.normAfter).toBeCloseTo((2 * 0.5) / (2 + 1e-6), 12);
    expect(clipOutcome(stats, { kind: 'norm', max: 5 }).clipped).toBe(false);
    expect(clipOutcome(stats, { kind: 'value', max: 1 })).toMatchObject({ clipped: true, normAfter: 1 });
    expect(clipOutcome([NaN, 4, 1, 1], { kind: 'norm', max: 1 })).toMatchObject({ finite: false, clipped: false });
  });

  it('fills Adam bias corrections for update t and SGD momentum', () => {
    const a = updateValues({ name: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 }, null, 2);
    expect(a.optKind).toBe(1);
    expect(a.stepSize).toBeCloseTo(0.01 / (1 - 0.81), 12);
    expect(a.sqrtBc2).toBeCloseTo(Math.sqrt(1 - 0.999 ** 2), 12);
    expect(updateValues({ name: 'sgd', lr: 0.1, momentum: 0.9 }, { kind: 'value', max: 2 }, 1)).toMatchObject({ optKind: 0, c1: 0.9, clipKind: 2, clipMax: 2 });
    expect(updateValues({ name: 'rmsprop', lr: 0.1 }, { kind: 'norm', max: 1 }, 1)).toMatchObject({ optKind: 2, c1: 0.99, eps: 1e-8, clipKind: 1 });
  });

  it('packs the uniforms at the WGSL structs\' sizes', () => {
    expect(packDims(Object.fromEntries(DIMS_FIELDS.map((f, i) => [f, i])) as never)).toHaveLength(16);
    const run = packRun({ B: 3, lr: 0.5 } as RunValues);
    expect(run.byteLength).toBe(80);
    expect(new Uint32Array(run)[0]).toBe(3);
    expect(new Float32Array(run)[12]).toBe(0.5);
  });
});

describe('WGSL kernels', () => {
  it('spread large dispatches over two grid dimensions', () => {
    expect(workgroupGrid(1)).toEqual([1, 1]);
    expect(workgroupGrid(64 * 65535)).toEqual([65535, 1]);
    const [x, y] = workgroupGrid(64 * 65536);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y * 64).toBeGreaterThanOrEqual(64 * 65536);
  });

  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    it(`${cell}: bind at most 8 storage buffers, declared in order`, () => {
      const sources = [
        forwardKernel(cell, 'relu'),
        backwardKernel(cell, 'linear'),
        paramGradKernel(cell),
        inputGradKernel(cell),
        startStateKernel(cell),
        finalStateKernel(cell),
        readoutForwardKernel(),
        readoutBackwardKernel(),
        statsKernel(),
        updateKernel(),
      ];
      for (const src of sources) {
        expect(src.bindings.filter((b) => b === 'r' || b === 'w').length).toBeLessThanOrEqual(8);
        const slots = [...src.code.matchAll(/@binding\((\d+)\) var<[^>]+> (\w+)/g)].map((m) => Number(m[1]));
        expect(slots).toEqual(src.bindings.map((_, i) => i));
        // WGSL reserves these words; none may name a variable
        expect(src.code).not.toMatch(/\b(?:let|var) (?:final|target|common|filter|shared|module|set|get|do|in|out)\b/);
      }
    });
  }
});
