/**
 * Choosing a backend: a forced one if it starts, else the next in the fallback chain; `auto`
 * times every candidate that starts on the current model for a moment and keeps the fastest,
 * never a software GPU (SwiftShader, a fallback adapter) over WebAssembly. The float64 reference
 * is never timed when another backend started: it is an order of magnitude slower by design
 * (exact, readable JavaScript), and timing it on a large model would take minutes.
 */
import type { Batch } from '../engine/batch';
import type { RunOptions } from '../engine/bptt';
import type { AnyModel } from '../engine/anyModel';
import { isRecurrentKind, isSuccessorKind } from '../engine/successors/spec';
import type { createBackend } from '../kernels/registry';
import type { BackendName, TrainingBackend } from '../kernels/types';
import type { BackendChoice } from './config';

/** The order to fall back in: fastest where it works, the float64 reference last (it always works).
 *  Every backend of the registry (src/kernels/registry.ts) once. */
export const FALLBACK_CHAIN: readonly BackendName[] = ['webgpu', 'gpujs', 'wasm', 'reference'];

/** Where backends come from: the registry's createBackend, or a fake in the tests. */
export type BackendFactory = typeof createBackend;

export interface Chosen {
  backend: TrainingBackend;
  /** why the choice fell where it did, for the status line */
  notes: string[];
  /** auto only: measured milliseconds per forward+backward pass of each candidate */
  timings: Partial<Record<BackendName, number>>;
}

/** A backend that has not started after this long is given up on (see withTimeout). */
export const START_TIMEOUT_MS = 20_000;

/**
 * The promise, or a rejection after `ms`: a GPU device or context that never comes (a busy or
 * wedged GPU process: seen with three pages on SwiftShader, where the third page's worker waited
 * forever at "Backend —") must not hold the run, since the next backend in the chain works.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  // A value that arrives after the timeout is handed to onLate (to be disposed), never leaked.
  p.then((v) => timedOut && onLate?.(v)).catch(() => {});
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Why this backend cannot train the model the way the options ask (a parallel scan its kernels
 *  do not have: wasm and WebGPU run the recurrences as loops), or null. */
export function scanProblem(b: TrainingBackend, model: AnyModel, opts: RunOptions): string | null {
  const cell = model.spec.cell;
  if (opts.scan !== 'parallel' || !isSuccessorKind(cell) || !isRecurrentKind(cell) || b.scanKinds?.includes(cell)) return null;
  return `its kernels run ${cell}'s recurrence only as a sequential loop, not as a parallel scan`;
}

async function tryCreate(create: BackendFactory, name: BackendName, notes: string[]): Promise<TrainingBackend | null> {
  try {
    return await withTimeout(create(name), START_TIMEOUT_MS, `${name}`, (b) => b.dispose());
  } catch (e) {
    notes.push(`${name} unavailable: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** Milliseconds of one forward+backward pass, the median of a few after a warm-up. */
async function timePass(backend: TrainingBackend, model: AnyModel, batch: Batch, opts: RunOptions, now: () => number): Promise<number> {
  await backend.setModel(model);
  await backend.forwardBackward(batch, opts); // warm-up: compiles shaders, sizes buffers
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    await backend.forwardBackward(batch, opts);
    times.push(now() - t0);
  }
  return times.sort((a, b) => a - b)[1];
}

/**
 * @param exclude backends that already failed in this run (a lost device is not tried again)
 */
export async function chooseBackend(
  choice: BackendChoice,
  create: BackendFactory,
  model: AnyModel,
  batch: Batch,
  opts: RunOptions,
  now: () => number,
  exclude: ReadonlySet<BackendName> = new Set(),
): Promise<Chosen> {
  const notes: string[] = [];
  const chain = FALLBACK_CHAIN.filter((n) => !exclude.has(n));
  if (choice !== 'auto') {
    // Forced: that one if it starts, else the chain from the top.
    const order = [choice, ...chain.filter((n) => n !== choice)];
    for (const name of order) {
      if (exclude.has(name)) continue;
      const b = await tryCreate(create, name, notes);
      if (!b) continue;
      try {
        await b.setModel(model); // a backend whose kernels lack this kind of layer refuses here
        const noScan = scanProblem(b, model, opts);
        if (noScan) throw new Error(noScan);
      } catch (e) {
        notes.push(`${name} cannot train this model: ${e instanceof Error ? e.message : String(e)}`);
        b.dispose();
        continue;
      }
      if (name !== choice) notes.push(`using ${name} instead of ${choice}`);
      return { backend: b, notes, timings: {} };
    }
    throw new Error(`no backend could start: ${notes.join('; ')}`);
  }
  const timings: Partial<Record<BackendName, number>> = {};
  const candidates: TrainingBackend[] = [];
  for (const name of chain) {
    if (name === 'reference' && candidates.length) continue;
    const b = await tryCreate(create, name, notes);
    if (!b) continue;
    if (b.isSoftware) {
      notes.push(`${name} skipped: ${b.description} is a CPU emulator`);
      b.dispose();
      continue;
    }
    const noScan = scanProblem(b, model, opts);
    if (noScan) {
      notes.push(`${name} cannot train this model: ${noScan}`);
      b.dispose();
      continue;
    }
    try {
      timings[name] = await withTimeout(timePass(b, model, batch, opts, now), START_TIMEOUT_MS, `${name}'s trial`);
      candidates.push(b);
    } catch (e) {
      notes.push(`${name} failed its trial: ${e instanceof Error ? e.message : String(e)}`);
      b.dispose();
    }
  }
  if (!candidates.length) throw new Error(`no backend could start: ${notes.join('; ')}`);
  candidates.sort((a, b) => (timings[a.name] as number) - (timings[b.name] as number));
  const [best, ...rest] = candidates;
  for (const b of rest) b.dispose();
  await best.setModel(model);
  return { backend: best, notes, timings };
}
