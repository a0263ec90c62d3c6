/**
 * The backends the harness can run, by name. Each loads lazily (gpu.js alone is ~650 kB).
 * The WASM backend is optional: it is found through import.meta.glob, so this file builds whether
 * or not src/kernels/wasm/index.ts exists; a new backend is one more entry here.
 */
import { createReferenceBackend } from '../kernels/reference';
import type { TrainingBackend } from '../kernels/types';

type Factory = () => Promise<TrainingBackend>;

const wasmModules = import.meta.glob<{ createWasmBackend?: () => Promise<TrainingBackend> }>('../kernels/wasm/index.ts');

export const HARNESS_BACKENDS: Record<string, Factory> = {
  reference: async () => createReferenceBackend(),
  webgpu: async () => (await import('../kernels/webgpu')).createWebGpuBackend(),
  gpujs: async () => (await import('../kernels/gpujs')).createGpuJsBackend(),
  wasm: async () => {
    const load = Object.values(wasmModules)[0];
    const create = load ? (await load()).createWasmBackend : undefined;
    if (!create) throw new Error('the wasm backend is not part of this build');
    return create();
  },
};
