/**
 * The JavaScript kernels' arena: float64 for the reference, float32 where a backend keeps its
 * numbers on the CPU in single precision (gpu.js, between its GPU products). Every kernel here
 * computes in JavaScript doubles and stores into whichever it is given.
 */
import { lossAndGradientInto } from '../../engine/loss';
import { SLOT, SLOTS, type Kernels } from '../../train/kernels';
import { gemmNN, gemmTN } from './gemm';
import { gruBackward, gruForward } from './gru';
import { lstmBackward, lstmForward } from './lstm';
import { jsMixers } from './mixers';
import { rnnBackward, rnnForward } from './rnn';
import { colSums, fillRows, sumsq, transpose } from './rows';
import { update } from './update';

export type FloatArena = Float64Array | Float32Array;

/** The matrix products, replaceable by a backend that runs them elsewhere (gpu.js on WebGL2). */
export interface Products {
  gemmNN: typeof gemmNN;
  gemmTN: typeof gemmTN;
}

/** The JavaScript kernels on a growable arena made by `make` (Float64Array or Float32Array). */
export function jsKernels(make: (floats: number) => FloatArena, products: Products = { gemmNN, gemmTN }): Kernels {
  let a = make(1024); // the arena; replaced by a larger copy when it must grow
  const scalars = new Float64Array(SLOTS);
  return {
    precision: a instanceof Float64Array ? 'float64' : 'float32',
    base: 16,
    reserve(floats) {
      if (floats <= a.length) return;
      const grown = make(Math.max(floats, 2 * a.length));
      grown.set(a);
      a = grown;
    },
    write: (dst, src) => a.set(src, dst),
    zero: (dst, n) => void a.fill(0, dst, dst + n),
    read: (src, n) => Float64Array.from(a.subarray(src, src + n)),
    view: (src, n) => a.subarray(src, src + n),
    scalars: () => scalars,
    flush: async () => {}, // every call ran at once
    gemmNN: (...args) => products.gemmNN(a, ...args),
    gemmTN: (...args) => products.gemmTN(a, ...args),
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
    mixers: jsMixers(() => a),
  };
}
