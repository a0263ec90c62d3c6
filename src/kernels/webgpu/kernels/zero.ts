/** zero: arena[dst, dst + n) ← 0, a dispatch so that it keeps its place among the others. */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const ZERO: Program = {
  name: 'zero',
  fields: u32s('dst', 'n'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }
  arena[u.dst + i] = 0.0;
}`,
};

export function zero(r: Recorder, dst: Ptr, n: number): void {
  if (n > 0) r.dispatch(ZERO, [dst, n], grid(n));
}
