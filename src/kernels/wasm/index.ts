/**
 * The wasm backend: WebAssembly SIMD kernels in float32 (./kernels.ts), the fast path on a machine
 * without a GPU, trained by the one training path (src/train) like every backend.
 */
import type { TrainingBackend } from '../types';
import { pathBackend } from '../../train/backend';
import { wasmKernels } from './kernels';
import { loadKernels, type WasmSource } from './loader';

export { isWasmSimdSupported } from './loader';

export interface WasmBackendOptions {
  /** the kernels module: bytes, a compiled module or a URL; by default the built build/rnn.wasm */
  wasm?: WasmSource;
}

export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<TrainingBackend> {
  const kernels = wasmKernels(await loadKernels(options.wasm));
  return pathBackend(kernels, { name: 'wasm', description: 'WebAssembly SIMD (float32)', isSoftware: false });
}
