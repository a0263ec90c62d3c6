/**
 * Every training backend by name: how to make one, where it runs, in what precision. The worker,
 * the backend harness page, the bench page, the engine CLI and the backend test table all read
 * this one table, so a new backend is one more entry here.
 *
 * Each factory imports its module lazily (gpu.js alone is ~650 kB), only when a run asks for it;
 * a module that fails to load or a device that is absent rejects, and the caller treats that
 * backend as unavailable.
 */
import type { BackendName, TrainingBackend } from './types';

export type Precision = 'float64' | 'float32';

export interface CreateOptions {
  /**
   * GPU backends: send every matrix product to the device, however small. By default a product too
   * small to pay for a shader call stays in JavaScript, so a small model never reaches the shaders;
   * the tests set this so that their small models do.
   */
  everyProductOnDevice?: boolean;
  /** wasm: 1 or 2 threads instead of the page's default (src/kernels/wasm/index.ts, defaultThreads) */
  threads?: 1 | 2;
}

export interface BackendEntry {
  readonly name: BackendName;
  /** one line: what it is */
  readonly description: string;
  /** the arithmetic its numbers are computed in (the tests' tolerance follows it) */
  readonly precision: Precision;
  /** true when it starts in Node (tests, the engine CLI), not only in a browser */
  readonly runsInNode: boolean;
  /** a fresh backend, its module loaded on first use */
  create(options?: CreateOptions): Promise<TrainingBackend>;
}

export const BACKENDS: Readonly<Record<BackendName, BackendEntry>> = {
  reference: {
    name: 'reference',
    description: 'the float64 engine in plain JavaScript, the oracle every other backend is held to',
    precision: 'float64',
    runsInNode: true,
    create: async () => (await import('./reference')).createReferenceBackend(),
  },
  wasm: {
    name: 'wasm',
    description: 'AssemblyScript WebAssembly SIMD kernels (build/rnn.wasm)',
    precision: 'float32',
    runsInNode: true,
    create: async (options) => (await import('./wasm')).createWasmBackend({ threads: options?.threads }),
  },
  webgpu: {
    name: 'webgpu',
    description: 'hand-written WGSL compute kernels, one command encoder per step',
    precision: 'float32',
    runsInNode: false,
    create: async () => (await import('./webgpu')).createWebGpuBackend(),
  },
  gpujs: {
    name: 'gpujs',
    description: 'gpu.js WebGL2 kernels, textures kept on the GPU',
    precision: 'float32',
    runsInNode: false,
    create: async (options) => {
      const gpujs = await import('./gpujs');
      if (!options?.everyProductOnDevice) return gpujs.createGpuJsBackend();
      return gpujs.gpuJsBackendOn(await (await import('./gpujs/context')).openGpuJs(), 0);
    },
  },
};

/** The backends' names, in the table's order. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BACKENDS, name);
}

/** A fresh backend of that name (rejects when it cannot start here). */
export function createBackend(name: BackendName, options?: CreateOptions): Promise<TrainingBackend> {
  return BACKENDS[name].create(options);
}
