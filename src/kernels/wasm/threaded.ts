/**
 * Starts the wasm backend on two threads: the threaded build (build/rnn-mt.wasm) instantiated on a
 * shared memory, a helper worker (./helperWorker.ts) on the same memory, and the trainer's kernels
 * with their large products split between the two (./threads.ts).
 *
 * Shared memory needs SharedArrayBuffer, which a browser gives only to a cross-origin isolated page
 * (served with COOP: same-origin and COEP: require-corp; the README's static hosting section).
 * Without it, or when the helper does not start, the caller trains on one thread and says why.
 */
import { compileBuilt, MT_PAGES, type WasmKernels } from './loader';
import { CONTROL_INTS, inNode, splitProducts, type SplitPolicy } from './threads';
import type { HelperInit } from './helperWorker';
import { wasmKernels } from './kernels';
import type { Shares } from './shares';
import type { Kernels } from '../../train/kernels';

/** How long the helper may take to start before the backend gives up on it. */
const START_TIMEOUT_MS = 15_000;

/** Why this context cannot share memory with a worker, or null when it can. */
export function whyNoThreads(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'this page is not cross-origin isolated (no SharedArrayBuffer)';
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return 'this page is not cross-origin isolated';
  return null;
}

/** What this file uses of node:worker_threads' Worker (the app's types have no Node). */
interface NodeWorker {
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
  unref(): void;
  once(event: 'message', listener: (message: unknown) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  once(event: 'exit', listener: (code: number) => void): void;
}

interface HelperHandle {
  postMessage(message: HelperInit): void;
  terminate(): unknown;
  /** resolves on the helper's 'ready', rejects on an error or exit */
  ready: Promise<void>;
}

async function spawnHelper(): Promise<HelperHandle> {
  if (inNode()) {
    // Node (tests, the CLI, benchmarks): the worker imports the TypeScript source through tsx's API.
    const threadsModule = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ threadsModule)) as { Worker: new (code: string, options: { eval: true }) => NodeWorker };
    const entry = JSON.stringify(new URL('./helperWorker.ts', import.meta.url).href);
    const w = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${entry}, ${entry}))`, { eval: true });
    w.unref(); // a helper never keeps Node alive
    const ready = new Promise<void>((resolve, reject) => {
      w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`unexpected message ${String(m)}`))));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`the helper exited (${code})`)));
    });
    return { postMessage: (m) => w.postMessage(m), terminate: () => w.terminate(), ready };
  }
  const w = new Worker(new URL('./helperWorker.ts', import.meta.url), { type: 'module', name: 'rnn-playground-wasm-helper' });
  const ready = new Promise<void>((resolve, reject) => {
    w.onmessage = (ev) => (ev.data === 'ready' ? resolve() : reject(new Error(`unexpected message ${String(ev.data)}`)));
    w.onerror = (ev) => reject(new Error(ev.message || 'the helper worker failed to start'));
  });
  return { postMessage: (m) => w.postMessage(m), terminate: () => w.terminate(), ready };
}

export interface ThreadedKernels {
  /** the trainer's instance, its large products shared with the helper; the arena starts above the helper's packing area */
  kernels: WasmKernels;
  /** the training path's kernels on `kernels`, with the sweeps shared too */
  path: Kernels;
  threads: number;
  /** products and sweeps shared with the helper so far (tests: they really were) */
  splits(): number;
  /** ends the helper */
  stop(): void;
  /** tests: ends the helper without telling the trainer's side, as a crash would */
  kill(): void;
}

export interface ThreadOptions {
  /** how long a product waits for the helper's half before it throws */
  timeoutMs?: number;
  /** tests: 'always' shares every large product, whether the helper is awake or not */
  policy?: SplitPolicy;
  /** how the two threads divide each job (tests: FixedShares); by default, by their measured speeds */
  shares?: Shares;
}

/** The wasm kernels on two threads; throws (with the reason) where that cannot be. */
export async function startThreads(options: ThreadOptions = {}): Promise<ThreadedKernels> {
  const why = whyNoThreads();
  if (why) throw new Error(why);
  const module = await compileBuilt('mt');
  const memory = new WebAssembly.Memory({ initial: MT_PAGES.initial, maximum: MT_PAGES.maximum, shared: true });
  const k = (await WebAssembly.instantiate(module, { env: { memory } })).exports as unknown as WasmKernels;
  // The helper packs its panels right above the static data; the arena begins above that.
  const scratch = Math.ceil(k.heap_base() / 64) * 64;
  const heapBase = scratch + k.scratch_bytes();
  const need = Math.ceil(heapBase / 65536) - memory.buffer.byteLength / 65536;
  if (need > 0) memory.grow(need);
  const ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4)); // (CONTROL_INTS)
  const helper = await spawnHelper();
  helper.postMessage({ module, memory, ctrl, scratch });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      helper.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the helper thread did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    helper.terminate();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const split = splitProducts(ctrl, k, wasmKernels(k), options.timeoutMs, options.policy, options.shares);
  const kernels: WasmKernels = { ...k, gemm_nn: split.gemm_nn, gemm_tn: split.gemm_tn, heap_base: () => heapBase };
  return {
    kernels,
    path: { ...wasmKernels(kernels), splitSweep: split.splitSweep },
    threads: 2,
    splits: split.splits,
    kill: () => void helper.terminate(),
    stop() {
      split.quit();
      helper.terminate();
    },
  };
}
