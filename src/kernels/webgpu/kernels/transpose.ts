/** transpose: dst (C, R), row stride ldd ← srcᵀ, src (R, C) contiguous; one thread per element. */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const TRANSPOSE: Program = {
  name: 'transpose',
  fields: u32s('dst', 'ldd', 'src', 'R', 'C'),
  // thread i reads src in order (row r, column c) and writes dst[c][r]
  body: `${MAIN_1D}
  if (i >= u.R * u.C) { return; }
  let r = i / u.C;
  let c = i % u.C;
  arena[u.dst + c * u.ldd + r] = arena[u.src + i];
}`,
};

export function transpose(rec: Recorder, dst: Ptr, ldd: number, src: Ptr, R: number, C: number): void {
  if (R * C > 0) rec.dispatch(TRANSPOSE, [dst, ldd, src, R, C], grid(R * C));
}
