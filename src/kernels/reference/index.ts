/**
 * The reference backend: the one training path (src/train) on float64 kernels in JavaScript, the
 * oracle every other backend is held to (and itself held to PyTorch and to src/engine/bptt.ts).
 */
import { lossAndGradientInto } from '../../engine/loss';
import { pathBackend } from '../../train/backend';
import { SLOT, SLOTS, type Kernels } from '../../train/kernels';
import type { TrainingBackend } from '../types';
import { gemmNN, gemmTN } from './gemm';
import { gruBackward, gruForward } from './gru';
import { lstmBackward, lstmForward } from './lstm';
import { rnnBackward, rnnForward } from './rnn';
import { colSums, fillRows, sumsq, transpose } from './rows';
import { update } from './update';

/** The float64 kernels on a growable arena. */
export function referenceKernels(): Kernels {
  let a = new Float64Array(1024); // the arena; replaced by a larger copy when it must grow
  const scalars = new Float64Array(SLOTS);
  return {
    precision: 'float64',
    base: 16,
    reserve(floats) {
      if (floats <= a.length) return;
      const grown = new Float64Array(Math.max(floats, 2 * a.length));
      grown.set(a);
      a = grown;
    },
    write: (dst, src) => a.set(src, dst),
    zero: (dst, n) => void a.fill(0, dst, dst + n),
    read: (src, n) => a.slice(src, src + n),
    scalars: () => scalars,
    flush: async () => {}, // every call ran at once
    gemmNN: (...args) => gemmNN(a, ...args),
    gemmTN: (...args) => gemmTN(a, ...args),
    transpose: (...args) => transpose(a, ...args),
    fillRows: (...args) => fillRows(a, ...args),
    colSums: (...args) => colSums(a, ...args),
    sumsq: (x, n, slot) => void (scalars[slot] = sumsq(a, x, n)),
    rnnForward: (...args) => rnnForward(a, ...args),
    rnnBackward: (...args) => rnnBackward(a, ...args),
    lstmForward: (...args) => lstmForward(a, ...args),
    lstmBackward: (...args) => lstmBackward(a, ...args),
    gruForward: (...args) => gruForward(a, ...args),
    gruBackward: (...args) => gruBackward(a, ...args),
    loss(kind, outputs, N, Y, B, dL_dy, target, mask) {
      scalars[SLOT.loss] = lossAndGradientInto(kind, a.subarray(outputs, outputs + N * Y), target, mask, N, Y, B, a.subarray(dL_dy, dL_dy + N * Y));
    },
    update: (...args) => update(a, scalars, ...args),
  };
}

export function createReferenceBackend(): TrainingBackend {
  return pathBackend(referenceKernels(), { name: 'reference', description: 'float64 JavaScript (reference)', isSoftware: false });
}
