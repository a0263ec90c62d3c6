/**
 * The wasm backend: WebAssembly SIMD kernels in float32 (./kernels.ts), the fast path on a machine
 * without a GPU, trained by the one training path (src/train) like every backend. On two threads
 * where the page may share memory (./threaded.ts): the large products split with a helper worker,
 * the results bit-identical to one thread's.
 */
import type { TrainingBackend } from '../types';
import { pathBackend } from '../../train/backend';
import { wasmKernels } from './kernels';
import { loadKernels, type WasmSource } from './loader';
import { startThreads, whyNoThreads } from './threaded';
import { inNode } from './threads';

export { isWasmSimdSupported } from './loader';

export interface WasmBackendOptions {
  /** the kernels module: bytes, a compiled module or a URL; by default the built build/rnn.wasm (one thread) */
  wasm?: WasmSource;
  /**
   * 1 or 2 threads. By default 2 in a cross-origin isolated browser with at least four cores, and 1
   * in Node (the tests and the CLI ask for 2 explicitly).
   */
  threads?: 1 | 2;
}

const DESCRIPTION = 'WebAssembly SIMD (float32)';

/** Cores a browser needs before the page trains on two threads. */
export const MIN_CORES_FOR_THREADS = 4;

/**
 * The threads a browser page gets by default: two where it can share memory and has at least
 * MIN_CORES_FOR_THREADS cores. The page's main thread and the compositor need a core too: on a
 * 2-core machine, measured in the app at H = 128, two training threads trained at 106 steps/s
 * against one thread's 219 (the helper waits for a core the page holds, and the trainer for the
 * helper). The benchmark asks for two explicitly.
 */
export function defaultThreads(): 1 | 2 {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return !inNode() && cores >= MIN_CORES_FOR_THREADS && whyNoThreads() === null ? 2 : 1;
}

export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<TrainingBackend> {
  const threads = options.wasm === undefined ? (options.threads ?? defaultThreads()) : 1;
  let why = '';
  if (threads === 2) {
    try {
      const t = await startThreads();
      return pathBackend(t.path, { name: 'wasm', description: `${DESCRIPTION}, ${t.threads} threads`, isSoftware: false }, () => t.stop());
    } catch (e) {
      if (options.threads === 2) throw e; // asked for explicitly: say so rather than quietly train on one
      why = ` (one thread: the second did not start: ${e instanceof Error ? e.message : String(e)})`;
    }
  }
  const kernels = wasmKernels(await loadKernels(options.wasm));
  return pathBackend(kernels, { name: 'wasm', description: DESCRIPTION + why, isSoftware: false });
}
