/**
 * The gpu.js backend's kernel sources are plain JavaScript: here they run on the CPU, one call per
 * thread, through a stand-in for the gpu.js context, so the whole backend (its kernels, the pass
 * that chains them, the CPU readout and optimizer) is checked in Node against every reference
 * case. The browser test (e2e/backends.spec.ts) runs the same sources as WebGL2 shaders.
 */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../../src/kernels/reference';
import { gpuJsBackendOn, type GjContext, type GjKernel, type GjTexture } from '../../src/kernels/gpujs';
import { parseCase } from '../../src/engine/referenceCase';
import { directionsOf } from '../../src/engine/model';
import { stateDictOf } from '../../src/engine/modelFile';
import { batchFirst3, nested2 } from '../../src/engine/batch';
import { caseFiles, readJson, relativeError } from '../helpers';

type Value = Float32Array | Float32Array[];

/** A texture stand-in: rows of float32, as gpu.js's toArray gives them. */
function texture(value: Value): GjTexture & { value: Value } {
  return { value, toArray: () => value, delete: () => {} };
}

function unwrap(arg: unknown): unknown {
  return arg && typeof arg === 'object' && 'value' in arg ? (arg as { value: Value }).value : arg;
}

/** Runs kernel sources on the CPU: every thread of the output is one call of the function. */
function cpuContext(): GjContext & { compiled: number } {
  const cache = new Map<string, GjKernel>();
  const ctx = {
    compiled: 0,
    renderer: 'CPU stand-in',
    isSoftware: true,
    kernel(source: string, output: number[], args = '') {
      const key = `${output.join('x')}|${args}|${source}`;
      let k = cache.get(key);
      if (!k) {
        ctx.compiled++;
        const fn = new Function(`return (${source});`)() as (...a: unknown[]) => number;
        k = ((...raw: unknown[]) => {
          const a = raw.map(unwrap);
          if (output.length === 1) return texture(Float32Array.from({ length: output[0] }, (_, x) => fn.call({ thread: { x, y: 0, z: 0 } }, ...a)));
          const [w, h] = output;
          return texture(Array.from({ length: h }, (_, y) => Float32Array.from({ length: w }, (_, x) => fn.call({ thread: { x, y, z: 0 } }, ...a))));
        }) as GjKernel;
        cache.set(key, k);
      }
      return k;
    },
    input(value: Float32Array, size: number[]) {
      if (size.length === 1) return texture(value);
      const [w, h] = size;
      return texture(Array.from({ length: h }, (_, y) => value.slice(y * w, (y + 1) * w)));
    },
    kernelClass: () => 'CPU',
    onLost: () => {},
    lostReason: () => null,
    destroy: () => {},
  };
  return ctx;
}

const BIDIRECTIONAL = 'gru_bidirectional_two_layers_cross_entropy';

describe('gpu.js kernel sources, run on the CPU', () => {
  for (const file of caseFiles()) {
    const raw = readJson(file);
    it(`match ${raw.name}`, async () => {
      const c = parseCase(raw);
      const { B, T } = c.batch;
      const Y = c.model.spec.outputSize;
      const Hd = c.model.spec.hiddenSize * directionsOf(c.model.spec);
      const backend = gpuJsBackendOn(cpuContext(), 0);
      await backend.setModel(c.model);
      const r = await backend.forwardBackward(c.batch, c.opts);
      const e = raw.expected;
      expect(relativeError(c.opts.readout === 'every_step' ? batchFirst3(r.outputs, T, B, Y) : nested2(r.outputs, B, Y), e.outputs)).toBeLessThan(1e-3);
      expect(relativeError(r.loss, e.loss)).toBeLessThan(1e-3);
      expect(relativeError(stateDictOf(r.grads), e.grads)).toBeLessThan(1e-3);
      expect(relativeError(r.gradNorm, e.gradNorm)).toBeLessThan(1e-3);
      let hiddenRef: ArrayLike<number> | null = null;
      if (raw.name === BIDIRECTIONAL) {
        const ref = createReferenceBackend();
        await ref.setModel(c.model);
        hiddenRef = (await ref.forwardBackward(c.batch, c.opts)).hiddenGrads;
      }
      for (let t = 0; t < T; t++) {
        const ours = nested2(r.hiddenGrads.subarray(t * B * Hd, (t + 1) * B * Hd), B, Hd);
        const ref = hiddenRef ? nested2(Array.from(hiddenRef).slice(t * B * Hd, (t + 1) * B * Hd), B, Hd) : e.hiddenGrads[t];
        expect(relativeError(ours, ref), `hiddenGrads[${t}]`).toBeLessThan(1e-3);
      }
      if (c.training) {
        await backend.setModel(c.model);
        for (let s = 0; s < c.training.steps; s++) {
          const step = await backend.trainStep(c.batch, { ...c.opts, clip: c.training.clip, optimizer: c.training.optimizer });
          expect(relativeError(step.loss, e.lossesDuringTraining[s])).toBeLessThan(1e-3);
          expect(relativeError(step.gradNormBefore, e.gradNormsDuringTraining[s])).toBeLessThan(1e-3);
          expect(relativeError(stateDictOf(await backend.readParams()), e.paramsAfter[s])).toBeLessThan(1e-3);
        }
      }
    });
  }

  it('compiles each kernel once per source and argument kinds', async () => {
    const c = parseCase(readJson(caseFiles()[0]));
    const ctx = cpuContext();
    const backend = gpuJsBackendOn(ctx);
    await backend.setModel(c.model);
    await backend.forwardBackward(c.batch, c.opts);
    const first = ctx.compiled;
    await backend.forwardBackward(c.batch, c.opts);
    expect(ctx.compiled).toBe(first);
  });
});
