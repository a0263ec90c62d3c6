/** fillRows: every row of C (M, N), row stride ldc, ← b1 (+ b2 when b2 ≠ 0); one thread per element. */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const FILL_ROWS: Program = {
  name: 'fillRows',
  fields: u32s('C', 'M', 'N', 'ldc', 'b1', 'b2'),
  body: `${MAIN_1D}
  if (i >= u.M * u.N) { return; }
  let row = i / u.N;
  let j = i % u.N;
  var v = arena[u.b1 + j];
  if (u.b2 != 0u) { v += arena[u.b2 + j]; }
  arena[u.C + row * u.ldc + j] = v;
}`,
};

export function fillRows(rec: Recorder, C: Ptr, M: number, N: number, ldc: number, b1: Ptr, b2: Ptr): void {
  if (M * N > 0) rec.dispatch(FILL_ROWS, [C, M, N, ldc, b1, b2], grid(M * N));
}
