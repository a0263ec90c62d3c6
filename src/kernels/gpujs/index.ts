/**
 * The gpu.js backend (WebGL2 fragment shaders, float32), for browsers without WebGPU: the one
 * training path (src/train) with its larger matrix products on the GPU (./gemm.ts) and the elementwise
 * kernels (cell steps, loss, update) in JavaScript on a float32 arena, where gpu.js would need a
 * kernel and a readback each for little work. Runs in a dedicated worker, where gpu.js draws on an
 * OffscreenCanvas.
 */
import { pathBackend } from '../../train/backend';
import { jsKernels } from '../reference/arena';
import type { TrainingBackend } from '../types';
import { openGpuJs, type GjContext } from './context';
import { gpuJsProducts } from './gemm';

export type { GjContext, GjKernel, GjTexture } from './context';

export interface GpuJsBackend extends TrainingBackend {
  /** the class of the kernel that really ran ("WebGL2Kernel"), once one has run */
  readonly kernelClass: string | null;
  /** tests: loses the WebGL2 context on purpose, to exercise onDeviceLost */
  simulateContextLoss(): void;
}

export async function createGpuJsBackend(): Promise<GpuJsBackend> {
  return gpuJsBackendOn(await openGpuJs());
}

/**
 * The backend on a given gpu.js context (the unit tests pass one that runs the kernels on the CPU,
 * with `minMacs` 0 so that every product goes through the shader source).
 */
export function gpuJsBackendOn(ctx: GjContext, minMacs?: number): GpuJsBackend {
  const kernels = jsKernels((n) => new Float32Array(n), gpuJsProducts(ctx, minMacs));
  /** a call refused (rejected) once the context is lost: the worker then hands over to another backend */
  const alive =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const lost = ctx.lostReason();
      if (lost) throw new Error(lost);
      return f(...args);
    };
  const path = pathBackend(
    kernels,
    { name: 'gpujs', description: `gpu.js WebGL2 on ${ctx.isSoftware ? 'SwiftShader (software)' : ctx.renderer}`, isSoftware: ctx.isSoftware },
    () => ctx.destroy(),
  );
  return {
    ...path,
    setModel: alive(path.setModel),
    forwardBackward: alive(path.forwardBackward),
    trainStep: alive(path.trainStep),
    get kernelClass() {
      return ctx.kernelClass();
    },
    onDeviceLost(callback: (reason: string) => void) {
      ctx.onLost(callback);
    },
    simulateContextLoss() {
      ctx.loseContext?.();
    },
    simulateDeviceLoss() {
      ctx.loseContext?.();
    },
  };
}
