/**
 * The backend harness page: starts one dedicated module worker and exposes on `window.harness`
 * an async API the browser tests (e2e/backends.spec.ts) drive:
 *   await window.harness.run({ backend: 'webgpu', cases: [caseJson, ...], kinds: ['pytorch'] })
 * Requests run one at a time in the worker; each creates the backend afresh (from the registry,
 * src/kernels/registry.ts), runs the backend test table on it and disposes it.
 */
import type { FromWorker, HarnessApi, HarnessResult } from './protocol';

declare global {
  interface Window {
    harness: HarnessApi;
  }
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const pending = new Map<number, (r: HarnessResult) => void>();
let nextId = 1;

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const done = pending.get(e.data.id);
  pending.delete(e.data.id);
  done?.(e.data.result);
};
worker.onerror = (e: ErrorEvent) => {
  const message = `harness worker error: ${e.message}`;
  for (const done of pending.values()) done({ backend: null, outcomes: [], error: message });
  pending.clear();
};

window.harness = {
  ready: true,
  run(request) {
    const id = nextId++;
    return new Promise<HarnessResult>((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ id, request });
    });
  },
};
