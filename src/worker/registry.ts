/**
 * Where each backend comes from. The GPU and WASM modules load lazily (gpu.js alone is ~650 kB),
 * only when a run asks for them.
 */
import { createReferenceBackend } from '../kernels/reference';
import type { BackendName, TrainingBackend } from '../kernels/types';

export async function createBackend(name: BackendName): Promise<TrainingBackend> {
  switch (name) {
    case 'reference':
      return createReferenceBackend();
    default:
      throw new Error(`the ${name} backend is not part of this build yet`);
  }
}
