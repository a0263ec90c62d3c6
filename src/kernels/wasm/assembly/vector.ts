/**
 * Row and vector helpers around the products: bias broadcast, column sums (bias gradients),
 * transposes (the forward products read Wᵀ), and the flat loops over the whole parameter block:
 * ‖g‖², clipping and the three optimizers (PyTorch's update rules, in float32).
 */

/** C (M, N), row stride ldc: every row ← b1 (+ b2 when b2 ≠ 0), each (N) */
export function fill_rows(C: usize, M: i32, N: i32, ldc: i32, b1: usize, b2: usize): void {
  for (let m = 0; m < M; m++) {
    const cp = C + ((<usize>(m * ldc)) << 2);
    let j = 0;
    if (b2) {
      for (; j + 4 <= N; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(cp + o, f32x4.add(v128.load(b1 + o), v128.load(b2 + o)));
      }
      for (; j < N; j++) {
        const o = (<usize>j) << 2;
        store<f32>(cp + o, load<f32>(b1 + o) + load<f32>(b2 + o));
      }
    } else {
      memory.copy(cp, b1, (<usize>N) << 2);
    }
  }
}

/**
 * dst (N) += Σ_m A[m, ·], A (M, N) with row stride lda. Row by row, adding each row into dst (which
 * stays in L1): A is read in order, and every column is still summed from m = 0 up, as before. The
 * column strips this replaces walked A down its rows, 4 KiB apart for LSTM at H = 256 (0.5 ms for
 * its 1600 × 1024 ∂L/∂a, twice per step).
 */
export function col_sums(dst: usize, A: usize, M: i32, N: i32, lda: i32): void {
  const sa = (<usize>lda) << 2;
  const N4 = N & ~3;
  let ap = A;
  for (let m = 0; m < M; m++) {
    let n = 0;
    for (; n + 16 <= N4; n += 16) {
      const o = (<usize>n) << 2;
      const d = dst + o;
      const a = ap + o;
      v128.store(d, f32x4.add(v128.load(d), v128.load(a)));
      v128.store(d, f32x4.add(v128.load(d, 16), v128.load(a, 16)), 16);
      v128.store(d, f32x4.add(v128.load(d, 32), v128.load(a, 32)), 32);
      v128.store(d, f32x4.add(v128.load(d, 48), v128.load(a, 48)), 48);
    }
    for (; n < N4; n += 4) {
      const o = (<usize>n) << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(ap + o)));
    }
    for (; n < N; n++) {
      const o = (<usize>n) << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(ap + o));
    }
    ap += sa;
  }
}

/**
 * dst (C, ·) with row stride ldd ← srcᵀ, src (R, C) contiguous. Blocks of 4 × 4 go through four
 * vector loads, eight shuffles and four vector stores, in tiles of TILE × TILE that stay in L1. The scalar 8 × 8 tiles this replaces took 1 ms for
 * LSTM's W_hh at H = 256 (its destination rows 4 KiB apart), at every step.
 */
const TILE = 32;

/** rows r0 … r3 (4 floats each) → their four columns, stored `stride` bytes apart from q */
// @ts-ignore: decorator
@inline export function transpose4(q: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5)); // column 0
  v128.store(q + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(q + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(q + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

export function transpose(dst: usize, ldd: i32, src: usize, R: i32, C: i32): void {
  const sd = (<usize>ldd) << 2;
  const ss = (<usize>C) << 2;
  const R4 = R & ~3;
  const C4 = C & ~3;
  for (let rt = 0; rt < R4; rt += TILE) {
    const rEnd = min(rt + TILE, R4);
    for (let ct = 0; ct < C4; ct += TILE) {
      const cEnd = min(ct + TILE, C4);
      for (let r = rt; r < rEnd; r += 4) {
        const s0 = src + <usize>r * ss;
        const d0 = dst + ((<usize>r) << 2);
        for (let c = ct; c < cEnd; c += 4) {
          const p = s0 + ((<usize>c) << 2);
          transpose4(d0 + <usize>c * sd, sd, v128.load(p), v128.load(p + ss), v128.load(p + 2 * ss), v128.load(p + 3 * ss));
        }
      }
    }
    for (let r = rt; r < rEnd; r++) {
      for (let c = C4; c < C; c++) store<f32>(dst + <usize>c * sd + ((<usize>r) << 2), load<f32>(src + <usize>r * ss + ((<usize>c) << 2)));
    }
  }
  for (let r = R4; r < R; r++) {
    for (let c = 0; c < C; c++) store<f32>(dst + <usize>c * sd + ((<usize>r) << 2), load<f32>(src + <usize>r * ss + ((<usize>c) << 2)));
  }
}

/** Σ x², accumulated in float64 (blocks of float32 partial sums would lose digits at 10⁶ entries) */
export function sumsq(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  const t = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + ((<usize>i) << 2));
    s += v * v;
  }
  return s;
}

/** x ← s x */
export function scale(x: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(v128.load(p), vs));
  }
  for (; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    store<f32>(p, load<f32>(p) * s);
  }
}

/** x ← clamp(x, −c, c); returns how many entries changed */
export function clamp(x: usize, n: i32, c: f32): i32 {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    const v = load<f32>(p);
    if (v > c) {
      store<f32>(p, c);
      changed++;
    } else if (v < -c) {
      store<f32>(p, -c);
      changed++;
    }
  }
  return changed;
}

/** SGD: v ← μ v + g (v = g at the first step); p ← p − lr v. μ = 0: p ← p − lr g */
export function sgd(p: usize, g: usize, v: usize, n: i32, lr: f32, mu: f32, first: i32): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    let step = gi;
    if (mu != 0) {
      step = first ? gi : mu * load<f32>(v + o) + gi;
      store<f32>(v + o, step);
    }
    store<f32>(p + o, load<f32>(p + o) - lr * step);
  }
}

/**
 * Adam, PyTorch's order of operations: m ← β₁ m + (1−β₁) g; v ← β₂ v + (1−β₂) g²;
 * p ← p − (lr / bc₁) · m / (√v / √bc₂ + ε), bc = 1 − βᵗ
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, sqrtBc2: f32): void {
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const v1b1 = f32x4.splat(1 - b1);
  const v1b2 = f32x4.splat(1 - b2);
  const veps = f32x4.splat(eps);
  const vstep = f32x4.splat(lr / bc1);
  const vsb2 = f32x4.splat(sqrtBc2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(v1b1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(v1b2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vsb2), veps);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vstep, f32x4.div(mi, denom))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + (1 - b1) * gi;
    const vi = b2 * load<f32>(v + o) + (1 - b2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - (lr / bc1) * (mi / (Mathf.sqrt(vi) / sqrtBc2 + eps)));
  }
}

/** RMSprop (not centred, no momentum): v ← α v + (1−α) g²; p ← p − lr g / (√v + ε) */
export function rmsprop(p: usize, g: usize, v: usize, n: i32, lr: f32, alpha: f32, eps: f32): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const vi = alpha * load<f32>(v + o) + (1 - alpha) * gi * gi;
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - (lr * gi) / (Mathf.sqrt(vi) + eps));
  }
}
