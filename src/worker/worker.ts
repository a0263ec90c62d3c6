/**
 * The training worker's entry: wires the Trainer (or, for sequence to sequence, the Seq2SeqTrainer;
 * see router.ts) to the worker's messages. Training happens only
 * here, never on the page's main thread.
 */
import { useDenseKernels } from '../engine/dense';
import { loadWasmDense } from '../kernels/wasm/dense';
import { createBackend } from './registry';
import { transferablesOf, type FromWorker, type ToWorker } from './protocol';
import { TrainerRouter } from './router';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** A macrotask that is not clamped to 4 ms like a nested setTimeout. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

const trainer = new TrainerRouter({
  post: (msg: FromWorker) => scope.postMessage(msg, transferablesOf(msg)),
  createBackend,
  loadDefaultText: async () => {
    const res = await fetch(`${import.meta.env.BASE_URL}text/kjv-genesis.txt`);
    if (!res.ok) throw new Error(`could not load the shipped text (${res.status})`);
    return res.text();
  },
  now: () => performance.now(),
  yieldToEvents,
  // Thrown outside any promise, so the page sees the worker's error event as for a real crash.
  crash: (e) => setTimeout(() => {
    throw e;
  }),
  // A busy loop that never yields, like the analysis hang the page's watchdog was built for.
  hang: () => {
    for (;;);
  },
});

scope.onmessage = (ev) => void trainer.handle(ev.data);

// The analysis's eigenvalues and SVDs on WebAssembly: the same numbers as the TypeScript reference,
// ~4× sooner. Until it has loaded, or where there is no wasm SIMD, the reference computes them.
loadWasmDense().then(useDenseKernels, () => useDenseKernels(null));
