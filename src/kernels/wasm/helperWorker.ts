/**
 * The wasm backend's helper thread: a worker (a Web Worker in the browser, a worker_threads Worker
 * in Node) that instantiates the threaded build on the trainer's shared memory and then runs half
 * of each large product for as long as the backend lives (./threads.ts). It blocks its own thread
 * between jobs, which is what it is for: it never has anything else to do.
 */
import type { WasmKernels } from './loader';
import { inNode, serveProducts } from './threads';
import { wasmKernels } from './kernels';

/** The one message the helper gets: everything it shares with the trainer. */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** (CONTROL_INTS) the control block, on its own SharedArrayBuffer */
  ctrl: Int32Array;
  /** byte offset of this instance's packing area (scratch_bytes() bytes) */
  scratch: number;
}

interface Port {
  postMessage(message: unknown): void;
}

function start(init: HelperInit, port: Port): void {
  const k = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as unknown as WasmKernels;
  k.set_scratch(init.scratch);
  port.postMessage('ready');
  serveProducts(init.ctrl, k, wasmKernels(k));
  port.postMessage('stopped');
}

interface NodePort extends Port {
  once(event: 'message', listener: (message: HelperInit) => void): void;
}

if (inNode()) {
  // Node (tests, the CLI): the specifier is a variable so that bundlers leave it alone.
  const threadsModule = 'node:worker_threads';
  const { parentPort } = (await import(/* @vite-ignore */ threadsModule)) as { parentPort: NodePort | null };
  parentPort?.once('message', (init) => start(init, parentPort));
} else {
  const scope = self as unknown as Port & { onmessage: ((ev: MessageEvent<HelperInit>) => void) | null };
  scope.onmessage = (ev) => start(ev.data, scope);
}
