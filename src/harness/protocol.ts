/**
 * What the harness page and its worker say to each other, and what `window.harness.run` returns.
 * The worker runs the backend test table (test/backends/table.ts) on one backend of the registry
 * (src/kernels/registry.ts) and answers with one outcome per entry, never with the numbers: the
 * comparisons happen in the worker, as they do in Node.
 */
import type { EntryKind, Outcome } from '../../test/backends/table';
import type { SuccessorOutcome } from './successors';

export interface HarnessRequest {
  /** a registry backend: 'reference' | 'wasm' | 'webgpu' | 'gpujs' */
  backend: string;
  /** raw PyTorch cases, format rnn-playground/case@1 (the test reads ../shared/reference/cases) */
  cases: unknown[];
  /** which kinds of table entries to run; all when absent */
  kinds?: EntryKind[];
  /** GPU backends: every matrix product on the device, however small (see the registry) */
  everyProductOnDevice?: boolean;
  /** wasm: this many threads instead of the page's default */
  threads?: 1 | 2;
  /** after the table: these raw PyTorch successor cases (../shared/reference/successors), then one
   *  random two-layer model per successor kind against the reference backend (./successors.ts) */
  successors?: unknown[];
  /** after the table, lose the device on purpose where the backend can (gpujs): see `lost` */
  loseDevice?: boolean;
}

export interface BackendInfo {
  name: string;
  description: string;
  isSoftware: boolean;
  /** gpu.js only: the class of the kernel that really ran, e.g. "WebGL2Kernel" */
  kernelClass?: string;
}

export interface HarnessResult {
  backend: BackendInfo | null;
  outcomes: Outcome[];
  /** with `successors`: one outcome per case and per kind's random model */
  successors?: SuccessorOutcome[];
  /** set when the backend could not start or the runner threw */
  error?: string;
  /** with loseDevice: what onDeviceLost reported (null: nothing within 5 s), and the error a call
   *  made after the loss threw */
  lost?: { reason: string | null; afterwards: string | null };
}

export type ToWorker = { id: number; request: HarnessRequest };
export type FromWorker = { id: number; result: HarnessResult };

/** What the harness page puts on `window.harness`. */
export interface HarnessApi {
  run(request: HarnessRequest): Promise<HarnessResult>;
  /** true once the page has set up the worker */
  ready: boolean;
}
