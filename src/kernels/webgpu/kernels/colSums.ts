/** colSums: dst (N) += Σ_rows A (M, N), row stride lda; one thread per column, down its rows. */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const COL_SUMS: Program = {
  name: 'colSums',
  fields: u32s('dst', 'A', 'M', 'N', 'lda'),
  body: `${MAIN_1D}
  if (i >= u.N) { return; }
  var s = 0.0;
  for (var row = 0u; row < u.M; row++) { s += arena[u.A + row * u.lda + i]; }
  arena[u.dst + i] += s;
}`,
};

export function colSums(rec: Recorder, dst: Ptr, A: Ptr, M: number, N: number, lda: number): void {
  if (M * N > 0) rec.dispatch(COL_SUMS, [dst, A, M, N, lda], grid(N));
}
