/**
 * The harness worker: a dedicated module worker (where the app trains too, and where gpu.js draws
 * on an OffscreenCanvas). It makes the asked-for backend from the registry and runs the backend
 * test table on it, the same table and runner that Vitest runs in Node (test/backends/table.ts).
 */
import { parseCase } from '../engine/referenceCase';
import { BACKENDS, isBackendName } from '../kernels/registry';
import type { TrainingBackend } from '../kernels/types';
import { backendTable, runTable, TOLERANCE, type Subject } from '../../test/backends/table';
import type { BackendInfo, HarnessRequest, HarnessResult, ToWorker } from './protocol';
import { runSuccessors } from './successors';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Loses the device on purpose and reports what onDeviceLost said and what a later call threw. */
async function loseDevice(backend: TrainingBackend, raw: unknown): Promise<HarnessResult['lost']> {
  const simulate = backend.simulateDeviceLoss ?? (backend as { simulateContextLoss?: () => void }).simulateContextLoss;
  if (!simulate) return { reason: null, afterwards: null };
  const reason = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    backend.onDeviceLost?.((why) => {
      clearTimeout(timer);
      resolve(why);
    });
    simulate.call(backend);
  });
  const c = parseCase(raw);
  try {
    await backend.forwardBackward(c.batch, c.opts);
    return { reason, afterwards: null };
  } catch (e) {
    return { reason, afterwards: messageOf(e) };
  }
}

async function handle(req: HarnessRequest): Promise<HarnessResult> {
  if (!isBackendName(req.backend)) return { backend: null, outcomes: [], error: `unknown backend ${req.backend}` };
  const entry = BACKENDS[req.backend];
  let backend: TrainingBackend;
  try {
    backend = await entry.create({ everyProductOnDevice: req.everyProductOnDevice ?? false, threads: req.threads });
  } catch (e) {
    return { backend: null, outcomes: [], error: `${req.backend} did not start: ${messageOf(e)}` };
  }
  const info: BackendInfo = { name: backend.name, description: backend.description, isSoftware: backend.isSoftware };
  try {
    const subject: Subject = { name: entry.name, precision: entry.precision, isSoftware: backend.isSoftware, where: 'browser' };
    const entries = backendTable(req.cases).filter((e) => !req.kinds || req.kinds.includes(e.kind));
    const outcomes = await runTable(entries, backend, subject, () => performance.now());
    const kernelClass = (backend as { kernelClass?: string }).kernelClass;
    if (kernelClass) info.kernelClass = kernelClass;
    const successors = req.successors ? await runSuccessors(backend, req.successors, TOLERANCE[entry.precision], () => performance.now()) : undefined;
    const lost = req.loseDevice ? await loseDevice(backend, req.cases[0]) : undefined;
    return { backend: info, outcomes, ...(successors ? { successors } : {}), ...(lost ? { lost } : {}) };
  } catch (e) {
    return { backend: info, outcomes: [], error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  } finally {
    backend.dispose();
  }
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { id, request } = e.data;
  const result = await handle(request);
  self.postMessage({ id, result });
};
