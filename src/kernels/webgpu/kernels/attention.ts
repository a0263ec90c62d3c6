/**
 * Causal multi-head softmax attention with sinusoidal positions, forward and backward, as
 * src/engine/successors/attention.ts (nanoGPT's CausalSelfAttention without biases, and the wasm
 * mixer's assembly/attention.ts):
 *   p_t = v_t + PE(t),  PE(t)[2i] = sin(t / 10000^{2i/H}),  PE(t)[2i+1] = cos(t / 10000^{2i/H})
 *   q, k, val = q_proj(p), k_proj(p), v_proj(p);  head e (d = H / heads columns):
 *   y_t = Σ_{τ ≤ t} softmax_τ(q_t·k_τ / √d) val_τ,  its maximum subtracted;  c_t = o_proj(y_t)
 * No state: nothing to truncate. One thread per query row (sequence, head, t) forward and for
 * ∂L/∂q; one thread per key row (sequence, head, τ) for ∂L/∂k and ∂L/∂val, so every thread writes
 * only its own row. PE is computed in float64 on the host and uploaded in order.
 *
 * work (floats): p, q, k, val, y, ∂L/∂y, ∂L/∂q, ∂L/∂k, ∂L/∂val (T, B, H each) | α, ∂L/∂score
 * (B, heads, T, T each; only τ ≤ t is used) | PE (T, H) | Wᵀ scratch (H, H).
 */
import type { MixerDims } from '../../../engine/successors/mixer';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';
import { linear, linearBackward } from './linear';
import { zero } from './zero';

export const attentionWork = (d: MixerDims): number => 9 * d.T * d.B * d.H + 2 * d.B * d.heads * d.T * d.T + d.T * d.H + d.H * d.H;

function parts(d: MixerDims, work: Ptr) {
  const TBH = d.T * d.B * d.H;
  const alpha = work + 9 * TBH;
  const ds = alpha + d.B * d.heads * d.T * d.T;
  const pe = ds + d.B * d.heads * d.T * d.T;
  return { pos: work, q: work + TBH, kb: work + 2 * TBH, val: work + 3 * TBH, y: work + 4 * TBH, dy: work + 5 * TBH, dq: work + 6 * TBH, dk: work + 7 * TBH, dval: work + 8 * TBH, alpha, ds, pe, wT: pe + d.T * d.H };
}

/** WGSL: the work parts from u.work and the sizes; row r = (b·heads + e)·T + t and where its head's slice of step t starts */
const ROW = `
  let TBH = u.T * u.B * u.H;
  let pos = u.work;
  let q = pos + TBH;
  let kb = q + TBH;
  let val = kb + TBH;
  let y = val + TBH;
  let dy = y + TBH;
  let dq = dy + TBH;
  let dk = dq + TBH;
  let dval = dk + TBH;
  let alpha = dval + TBH;
  let ds = alpha + u.B * u.heads * u.T * u.T;
  if (i >= u.B * u.heads * u.T) { return; }
  let t = i % u.T;
  let e = (i / u.T) % u.heads;
  let b = i / (u.T * u.heads);
  let d = u.H / u.heads;
  let at = (t * u.B + b) * u.H + e * d; // step t's slice; step τ's at at + (τ − t)·step
  let step = u.B * u.H;
  let arow = alpha + i * u.T;
  let srow = ds + i * u.T;`;

const FIELDS = [...u32s('B', 'T', 'H', 'heads', 'work'), ['scale', 'f32'] as const];

/** p ← v + PE(t), one thread per element */
const ATTENTION_POSITIONS: Program = {
  name: 'attentionPositions',
  fields: u32s('n', 'BH', 'H', 'v', 'pos', 'pe'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }
  let t = i / u.BH;
  arena[u.pos + i] = arena[u.v + i] + arena[u.pe + t * u.H + i % u.H];
}`,
};

/** per query row: α_τ = softmax_{τ ≤ t}(q_t·k_τ/√d) with its maximum subtracted, y_t = Σ α_τ val_τ */
const ATTENTION_FORWARD: Program = {
  name: 'attentionForward',
  fields: FIELDS,
  body: `${MAIN_1D}${ROW}
  var mx = -3.0e38;
  for (var tau = 0u; tau <= t; tau++) {
    let kt = at + tau * step - t * step;
    var s = 0.0;
    for (var j = 0u; j < d; j++) { s += arena[q + at + j] * arena[kb + kt + j]; }
    s *= u.scale;
    arena[arow + tau] = s;
    mx = max(mx, s);
  }
  var sum = 0.0;
  for (var tau = 0u; tau <= t; tau++) {
    let x = exp(arena[arow + tau] - mx);
    arena[arow + tau] = x;
    sum += x;
  }
  for (var tau = 0u; tau <= t; tau++) { arena[arow + tau] /= sum; }
  for (var j = 0u; j < d; j++) {
    var acc = 0.0;
    for (var tau = 0u; tau <= t; tau++) { acc += arena[arow + tau] * arena[val + at + tau * step - t * step + j]; }
    arena[y + at + j] = acc;
  }
}`,
};

/** per query row: ∂L/∂score_τ = α_τ (∂L/∂α_τ − Σ α ∂L/∂α) / √d with ∂L/∂α_τ = ∂L/∂y_t·val_τ; ∂L/∂q_t = Σ_τ ∂L/∂score_τ k_τ */
const ATTENTION_QUERY_GRADS: Program = {
  name: 'attentionQueryGrads',
  fields: FIELDS,
  body: `${MAIN_1D}${ROW}
  var weighted = 0.0; // Σ_τ α_τ ∂L/∂α_τ
  for (var tau = 0u; tau <= t; tau++) {
    let vt = at + tau * step - t * step;
    var s = 0.0;
    for (var j = 0u; j < d; j++) { s += arena[dy + at + j] * arena[val + vt + j]; }
    arena[srow + tau] = s;
    weighted += arena[arow + tau] * s;
  }
  for (var tau = 0u; tau <= t; tau++) { arena[srow + tau] = arena[arow + tau] * (arena[srow + tau] - weighted) * u.scale; }
  for (var j = 0u; j < d; j++) {
    var acc = 0.0;
    for (var tau = 0u; tau <= t; tau++) { acc += arena[srow + tau] * arena[kb + at + tau * step - t * step + j]; }
    arena[dq + at + j] = acc;
  }
}`,
};

/** per key row (the thread's t is τ): ∂L/∂k_τ = Σ_{t ≥ τ} ∂L/∂score_{t,τ} q_t, ∂L/∂val_τ = Σ_{t ≥ τ} α_{t,τ} ∂L/∂y_t */
const ATTENTION_KEY_GRADS: Program = {
  name: 'attentionKeyGrads',
  fields: FIELDS,
  body: `${MAIN_1D}${ROW}
  let r0 = i - t; // row of query 0 in this sequence and head
  for (var j = 0u; j < d; j++) {
    var gk = 0.0;
    var gv = 0.0;
    for (var tq = t; tq < u.T; tq++) {
      let qt = at + tq * step - t * step;
      let a = (r0 + tq) * u.T + t;
      gk += arena[ds + a] * arena[q + qt + j];
      gv += arena[alpha + a] * arena[dy + qt + j];
    }
    arena[dk + at + j] = gk;
    arena[dval + at + j] = gv;
  }
}`,
};

/** PE (T, H) in float64, as the engine's */
function positions(T: number, H: number): Float64Array {
  const pe = new Float64Array(T * H);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < H; j++) {
      const angle = t / Math.pow(10000, (2 * (j >> 1)) / H);
      pe[t * H + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  return pe;
}

const rowsOf = (d: MixerDims): number => d.B * d.heads * d.T;
const argsOf = (d: MixerDims, work: Ptr): number[] => [d.B, d.T, d.H, d.heads, work, 1 / Math.sqrt(d.H / d.heads)];

/** tensors: q_proj.weight, k_proj.weight, v_proj.weight, o_proj.weight */
export function attentionForward(rec: Recorder, d: MixerDims, [Wq, Wk, Wv, Wo]: Ptr[], v: Ptr, c: Ptr, work: Ptr): void {
  const { pos, q, kb, val, y, pe, wT } = parts(d, work);
  const TB = d.T * d.B;
  rec.write(pe, positions(d.T, d.H));
  rec.dispatch(ATTENTION_POSITIONS, [TB * d.H, d.B * d.H, d.H, v, pos, pe], grid(TB * d.H));
  linear(rec, pos, Wq, 0, TB, d.H, d.H, q, wT);
  linear(rec, pos, Wk, 0, TB, d.H, d.H, kb, wT);
  linear(rec, pos, Wv, 0, TB, d.H, d.H, val, wT);
  rec.dispatch(ATTENTION_FORWARD, argsOf(d, work), grid(rowsOf(d)));
  linear(rec, y, Wo, 0, TB, d.H, d.H, c, wT);
}

export function attentionBackward(rec: Recorder, d: MixerDims, _k: number, [Wq, Wk, Wv, Wo]: Ptr[], [gWq, gWk, gWv, gWo]: Ptr[], _v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void {
  const { pos, y, dy, dq, dk, dval } = parts(d, work);
  const TB = d.T * d.B;
  zero(rec, dy, TB * d.H);
  linearBackward(rec, dC, y, Wo, gWo, 0, dy, TB, d.H, d.H);
  rec.dispatch(ATTENTION_QUERY_GRADS, argsOf(d, work), grid(rowsOf(d)));
  rec.dispatch(ATTENTION_KEY_GRADS, argsOf(d, work), grid(rowsOf(d)));
  // p_t = v_t + PE(t): the position code is a constant, so ∂L/∂v_t = ∂L/∂p_t.
  zero(rec, dV, TB * d.H);
  linearBackward(rec, dq, pos, Wq, gWq, 0, dV, TB, d.H, d.H);
  linearBackward(rec, dk, pos, Wk, gWk, 0, dV, TB, d.H, d.H);
  linearBackward(rec, dval, pos, Wv, gWv, 0, dV, TB, d.H, d.H);
}
