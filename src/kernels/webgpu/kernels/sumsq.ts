/** sumsq: slots[slot] ← Σ x², x (n); one workgroup, each thread a strided share, then a tree. */
import type { Ptr } from '../../../train/kernels';
import { MAIN_REDUCE, REDUCE, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const SUMSQ: Program = {
  name: 'sumsq',
  fields: u32s('x', 'n', 'slot'),
  body: `${MAIN_REDUCE}
  var s = 0.0;
  for (var q = lid; q < u.n; q += ${REDUCE}u) {
    let v = arena[u.x + q];
    s += v * v;
  }
  let total = reduce(lid, vec2<f32>(s, 0.0));
  if (lid == 0u) { slots[u.slot] = total.x; }
}`,
};

export function sumsq(rec: Recorder, x: Ptr, n: number, slot: number): void {
  rec.dispatch(SUMSQ, [x, n, slot], [1, 1]);
}
