/**
 * A stand-in for the gpu.js context that runs the gpu.js backend's kernel sources on the CPU, one
 * call per thread: the whole backend (its kernels, the pass that chains them, the readout and the
 * optimizer) then runs in Node, so the backend test table checks the sources there too
 * (test/backends/backends.test.ts); the browser runs the same sources as WebGL2 shaders.
 */
import type { GjContext, GjKernel, GjTexture } from '../../src/kernels/gpujs';

type Value = Float32Array | Float32Array[];

/** A texture stand-in: rows of float32, as gpu.js's toArray gives them. */
function texture(value: Value): GjTexture & { value: Value } {
  return { value, toArray: () => value, delete: () => {} };
}

function unwrap(arg: unknown): unknown {
  return arg && typeof arg === 'object' && 'value' in arg ? (arg as { value: Value }).value : arg;
}

/** Runs kernel sources on the CPU: every thread of the output is one call of the function. */
export function cpuContext(): GjContext & { compiled: number } {
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
