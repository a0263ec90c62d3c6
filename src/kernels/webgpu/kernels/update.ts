/**
 * update: the finite check, clipping and the optimizer on θ (P) from ∂L/∂θ (P), all on the GPU,
 * as src/kernels/reference/update.ts. Two dispatches, because the optimizer needs the whole
 * gradient's norm after clipping:
 *   clip       one workgroup: SLOT.applied ← loss and Σg² finite; when applied, norm clipping
 *              (g ← g · clipMax / (‖g‖ + 1e-6) when that is < 1) or value clipping (clamp);
 *              SLOT.clipped; SLOT.sumsqAfter ← Σg² after clipping, or the before value
 *   optimizer  one thread per parameter, nothing when not applied (θ stays as it was):
 *              sgd v ← μ v + g (v₁ = g), w −= lr v; adam and rmsprop as src/engine/plan.ts
 */
import { CLIP_KIND, OPTIMIZER_KIND, type UpdatePlan } from '../../../engine/plan';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, MAIN_REDUCE, REDUCE, type Field, type Program } from '../program';
import type { Recorder } from '../recorder';

const FIELDS: Field[] = [
  ...(['P', 'theta', 'grad', 'm', 'v', 'optimizer', 'clip', 'first'] as const).map((n) => [n, 'u32'] as const),
  ...(['lr', 'c1', 'c2', 'eps', 'stepSize', 'sqrtBc2', 'clipMax'] as const).map((n) => [n, 'f32'] as const),
];

const CLIP: Program = {
  name: 'update.clip',
  fields: FIELDS,
  body: `${MAIN_REDUCE}
  let before = slots[SLOT_SUMSQ_BEFORE];
  let applied = finite(slots[SLOT_LOSS]) && finite(before);
  let scale = u.clipMax / (sqrt(before) + 1e-6);
  let scaling = applied && u.clip == ${CLIP_KIND.norm}u && scale < 1.0;
  let clamping = applied && u.clip == ${CLIP_KIND.value}u;
  var s = 0.0; // Σg² after clipping
  var clamped = 0.0; // 1 where a value was clamped
  if (scaling || clamping) {
    for (var q = lid; q < u.P; q += ${REDUCE}u) {
      var g = arena[u.grad + q];
      if (scaling) {
        g = g * scale;
      } else if (g > u.clipMax || g < -u.clipMax) {
        g = clamp(g, -u.clipMax, u.clipMax);
        clamped = 1.0;
      }
      arena[u.grad + q] = g;
      s += g * g;
    }
  }
  let total = reduce(lid, vec2<f32>(s, clamped));
  if (lid == 0u) {
    let clipped = scaling || total.y > 0.0;
    slots[SLOT_APPLIED] = select(0.0, 1.0, applied);
    slots[SLOT_CLIPPED] = select(0.0, 1.0, clipped);
    slots[SLOT_SUMSQ_AFTER] = select(before, total.x, clipped);
  }
}`,
};

const OPTIMIZER: Program = {
  name: 'update.optimizer',
  fields: FIELDS,
  body: `${MAIN_1D}
  if (i >= u.P || slots[SLOT_APPLIED] == 0.0) { return; }
  let g = arena[u.grad + i];
  let w = u.theta + i;
  if (u.optimizer == ${OPTIMIZER_KIND.sgd}u) {
    if (u.c1 == 0.0) {
      arena[w] -= u.lr * g;
      return;
    }
    var mo = g; // the first update sets the momentum buffer to g
    if (u.first == 0u) { mo = u.c1 * arena[u.m + i] + g; }
    arena[u.m + i] = mo;
    arena[w] -= u.lr * mo;
  } else if (u.optimizer == ${OPTIMIZER_KIND.adam}u) {
    let m = u.c1 * arena[u.m + i] + (1.0 - u.c1) * g;
    let v = u.c2 * arena[u.v + i] + (1.0 - u.c2) * g * g;
    arena[u.m + i] = m;
    arena[u.v + i] = v;
    arena[w] -= u.stepSize * (m / (sqrt(v) / u.sqrtBc2 + u.eps));
  } else {
    let v = u.c1 * arena[u.v + i] + (1.0 - u.c1) * g * g;
    arena[u.v + i] = v;
    arena[w] -= u.lr * g / (sqrt(v) + u.eps);
  }
}`,
};

export function update(rec: Recorder, plan: UpdatePlan, P: number, theta: Ptr, grad: Ptr, m: Ptr, v: Ptr): void {
  // f32 has no room for the +∞ that "no clipping" carries; the kernels read clipMax only when clipping
  const clipMax = Math.min(plan.clipMax, 3e38);
  const values = [P, theta, grad, m, v, plan.optimizer, plan.clip, plan.first ? 1 : 0, plan.lr, plan.c1, plan.c2, plan.eps, plan.stepSize, plan.sqrtBc2, clipMax];
  rec.dispatch(CLIP, values, [1, 1]);
  rec.dispatch(OPTIMIZER, values, grid(P));
}
