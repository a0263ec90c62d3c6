/** Shared by the training-path tests of the successor kinds, on any backend, in Node and in the
 *  browser harness (src/harness/successors.ts): nothing here may need Node. */
import { parseAnyCase } from '../../src/engine/referenceCase';
import { runCaseOnBackend } from '../../src/kernels/runCase';
import type { TrainingBackend } from '../../src/kernels/types';
import { relativeDistance as relativeError } from '../backends/table';

/** Every key of a successor case's `expected` from one backend, each as its relative error
 *  (hiddenGrads step by step, its worst step). */
export async function errorsOn(backend: TrainingBackend, raw: { expected: Record<string, unknown> }): Promise<Record<string, number>> {
  const got = await runCaseOnBackend(parseAnyCase(raw), backend);
  const err: Record<string, number> = {};
  for (const [key, ref] of Object.entries(raw.expected)) {
    if (key === 'hiddenGrads') err[key] = Math.max(...(ref as unknown[]).map((step, t) => relativeError((got.hiddenGrads as unknown[])[t], step)));
    else err[key] = relativeError(got[key], ref);
  }
  return err;
}

