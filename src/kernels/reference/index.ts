/**
 * The reference backend: the one training path (src/train) on float64 kernels in JavaScript, the
 * oracle every other backend is held to (and itself held to PyTorch and to src/engine/bptt.ts).
 */
import { pathBackend } from '../../train/backend';
import type { TrainingBackend } from '../types';
import { jsKernels } from './arena';

export function createReferenceBackend(): TrainingBackend {
  return pathBackend(jsKernels((n) => new Float64Array(n)), { name: 'reference', description: 'float64 JavaScript (reference)', isSoftware: false });
}
