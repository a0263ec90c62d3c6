/**
 * Where each backend comes from. The GPU and WASM modules load lazily (gpu.js alone is ~650 kB),
 * only when a run asks for them; a module that fails to load counts as an unavailable backend.
 */
import { createReferenceBackend } from '../kernels/reference';
import type { BackendName, TrainingBackend } from '../kernels/types';

export async function createBackend(name: BackendName): Promise<TrainingBackend> {
  switch (name) {
    case 'reference':
      return createReferenceBackend();
    case 'wasm':
      return (await import('../kernels/wasm')).createWasmBackend();
    case 'webgpu':
      return (await import('../kernels/webgpu')).createWebGpuBackend();
    case 'gpujs':
      return (await import('../kernels/gpujs')).createGpuJsBackend();
  }
}
