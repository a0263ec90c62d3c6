/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend's kernels: one WGSL kernel per Kernels method (./kernels/, one file each),
 * recorded in program order by the Recorder and played at flush (the successor blocks' gate and
 * mixers in ./mixers.ts), float32 on one storage buffer
 * (the arena). read and scalars answer from the values the last flush brought back.
 */
import { SLOTS, type Kernels, type Ptr, type Region } from '../../train/kernels';
import type { Gpu } from './device';
import { colSums } from './kernels/colSums';
import { fillRows } from './kernels/fillRows';
import { gemmNN } from './kernels/gemmNN';
import { gemmTN } from './kernels/gemmTN';
import { gruBackward } from './kernels/gruBackward';
import { gruForward } from './kernels/gruForward';
import { loss } from './kernels/loss';
import { lstmBackward } from './kernels/lstmBackward';
import { lstmForward } from './kernels/lstmForward';
import { rnnBackward } from './kernels/rnnBackward';
import { rnnForward } from './kernels/rnnForward';
import { sumsq } from './kernels/sumsq';
import { transpose } from './kernels/transpose';
import { update } from './kernels/update';
import { zero } from './kernels/zero';
import { webgpuMixers } from './mixers';
import { Recorder } from './recorder';

export interface WebGpuKernels extends Kernels {
  /** frees the arena and the other buffers (the device stays) */
  destroy(): void;
}

/** @param check throws when the device can no longer be used (it was lost) */
export function webgpuKernels(gpu: Gpu, check: () => void = () => {}): WebGpuKernels {
  const rec = new Recorder(gpu);
  const scalars = new Float64Array(SLOTS);
  /** what the last flush read: each region and its values */
  let held: { region: Region; values: Float32Array }[] = [];
  const view = (src: Ptr, n: number): Float32Array => {
    const hit = held.find(({ region: r }) => r.ptr <= src && src + n <= r.ptr + r.n);
    if (!hit) throw new Error(`webgpu backend: arena[${src}, ${src + n}) was not read by the last flush`);
    return hit.values.subarray(src - hit.region.ptr, src - hit.region.ptr + n);
  };
  return {
    precision: 'float32',
    base: 16,
    reserve: (floats) => rec.reserve(floats),
    write: (dst, src) => rec.write(dst, src),
    zero: (dst, n) => zero(rec, dst, n),
    read: (src, n) => Float64Array.from(view(src, n)),
    view,
    scalars: () => scalars,
    async flush(reads) {
      check();
      const r = await rec.flush(reads);
      scalars.set(r.slots);
      held = reads.map((region, i) => ({ region, values: r.regions[i] }));
    },
    gemmNN: (...args) => gemmNN(rec, ...args),
    gemmTN: (...args) => gemmTN(rec, ...args),
    transpose: (...args) => transpose(rec, ...args),
    fillRows: (...args) => fillRows(rec, ...args),
    colSums: (...args) => colSums(rec, ...args),
    sumsq: (...args) => sumsq(rec, ...args),
    rnnForward: (...args) => rnnForward(rec, ...args),
    rnnBackward: (...args) => rnnBackward(rec, ...args),
    lstmForward: (...args) => lstmForward(rec, ...args),
    lstmBackward: (...args) => lstmBackward(rec, ...args),
    gruForward: (...args) => gruForward(rec, ...args),
    gruBackward: (...args) => gruBackward(rec, ...args),
    loss: (...args) => loss(rec, ...args),
    update: (...args) => update(rec, ...args),
    mixers: webgpuMixers(rec),
    destroy: () => rec.destroy(),
  };
}
