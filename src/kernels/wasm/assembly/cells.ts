/**
 * The cells' elementwise steps, forward and backward side by side, as src/engine/cells/*.ts. The
 * matrix products around them (W_hh h, ∂L/∂a · W_hh) are gemm calls made by the orchestrator.
 * Every kernel walks B rows of H units; rows of the layer output (T, B, H·dirs) are strided
 * (`ldo`), everything else is a contiguous (B, ·) block. Units go four at a time, and the H mod 4
 * tail runs the same vector code on one lane (`tail` is a constant after inlining).
 *
 *   RNN   h = φ(a)                                       ∂a = ∂h φ'(a), φ' from h
 *   LSTM  i, f, g, o = σ, σ, tanh, σ of a (order i f g o); c = f c' + i g; h = o tanh(c)
 *   GRU   r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r gh_n), h = (1 − z) n + z h'
 */
import { ld, st, vone, vrelu, vsigmoid, vtanh, vzero } from './vmath';

// ----------------------------------------------------------------------------------- RNN

// @ts-ignore: decorator
@inline function activate(act: i32, v: v128): v128 {
  return act == 0 ? vtanh(v) : act == 1 ? vrelu(v) : v;
}

/** φ'(a) through h = φ(a): tanh 1 − h², relu [h > 0], linear 1 */
// @ts-ignore: decorator
@inline function derivative(act: i32, h: v128): v128 {
  if (act == 0) return f32x4.sub(vone(), f32x4.mul(h, h));
  if (act == 1) return v128.and(f32x4.gt(h, vzero()), vone());
  return vone();
}

// @ts-ignore: decorator
@inline function rnnFwdRows(act: i32, B: i32, H: i32, a: usize, hout: usize, ldo: i32): void {
  for (let b = 0; b < B; b++) {
    const ap = a + ((<usize>(b * H)) << 2);
    const hp = hout + ((<usize>(b * ldo)) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      const h = activate(act, ld(ap + o, false));
      st(ap + o, h, false);
      st(hp + o, h, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      const h = activate(act, ld(ap + o, true));
      st(ap + o, h, true);
      st(hp + o, h, true);
    }
  }
}

/** a (B, H) pre-activations → h in place, and copied to hout (row stride ldo). act 0 tanh, 1 relu, 2 linear */
export function rnn_fwd(act: i32, B: i32, H: i32, a: usize, hout: usize, ldo: i32): void {
  // one loop per activation, so that none branches inside
  if (act == 0) rnnFwdRows(0, B, H, a, hout, ldo);
  else if (act == 1) rnnFwdRows(1, B, H, a, hout, ldo);
  else rnnFwdRows(2, B, H, a, hout, ldo);
}

// @ts-ignore: decorator
@inline function rnnBwdBody(act: i32, hp: usize, dop: usize, dnp: usize, dap: usize, tail: bool): void {
  const dh = f32x4.add(ld(dop, tail), ld(dnp, tail)); // total ∂L/∂h_t
  st(dop, dh, tail);
  st(dnp, vzero(), tail);
  st(dap, f32x4.mul(dh, derivative(act, ld(hp, tail))), tail);
}

// @ts-ignore: decorator
@inline function rnnBwdRows(act: i32, B: i32, H: i32, h: usize, dout: usize, ldo: i32, dnext: usize, dA: usize): void {
  for (let b = 0; b < B; b++) {
    const r = (<usize>(b * H)) << 2;
    const hp = h + r;
    const dop = dout + ((<usize>(b * ldo)) << 2);
    const dnp = dnext + r;
    const dap = dA + r;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      rnnBwdBody(act, hp + o, dop + o, dnp + o, dap + o, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      rnnBwdBody(act, hp + o, dop + o, dnp + o, dap + o, true);
    }
  }
}

/**
 * h (B, H) the step's outputs; dout (row stride ldo) the direct ∂L/∂h_t, overwritten with the total;
 * dnext (B, H) the gradient from the later step, then zeroed for ∂L/∂h_{t−1}; dA (B, H) ← ∂L/∂a
 */
export function rnn_bwd(act: i32, B: i32, H: i32, h: usize, dout: usize, ldo: i32, dnext: usize, dA: usize): void {
  if (act == 0) rnnBwdRows(0, B, H, h, dout, ldo, dnext, dA);
  else if (act == 1) rnnBwdRows(1, B, H, h, dout, ldo, dnext, dA);
  else rnnBwdRows(2, B, H, h, dout, ldo, dnext, dA);
}

// ---------------------------------------------------------------------------------- LSTM

// @ts-ignore: decorator
@inline function lstmFwdBody(gp: usize, H4: usize, cpp: usize, cp: usize, tcp: usize, hp: usize, tail: bool): void {
  const i = vsigmoid(ld(gp, tail)); // input gate
  const f = vsigmoid(ld(gp + H4, tail)); // forget gate
  const g = vtanh(ld(gp + 2 * H4, tail)); // candidate
  const o = vsigmoid(ld(gp + 3 * H4, tail)); // output gate
  st(gp, i, tail);
  st(gp + H4, f, tail);
  st(gp + 2 * H4, g, tail);
  st(gp + 3 * H4, o, tail);
  const c = f32x4.add(f32x4.mul(f, ld(cpp, tail)), f32x4.mul(i, g));
  const tc = vtanh(c);
  st(cp, c, tail);
  st(tcp, tc, tail);
  st(hp, f32x4.mul(o, tc), tail);
}

/**
 * gates (B, 4H) pre-activations → gate values in place; cprev (B, H); c, tc (B, H) ← c_t, tanh(c_t);
 * hout (row stride ldo) ← h_t
 */
export function lstm_fwd(B: i32, H: i32, gates: usize, cprev: usize, c: usize, tc: usize, hout: usize, ldo: i32): void {
  const H4 = (<usize>H) << 2;
  for (let b = 0; b < B; b++) {
    const gp = gates + ((<usize>(b * 4 * H)) << 2);
    const r = (<usize>(b * H)) << 2;
    const hp = hout + ((<usize>(b * ldo)) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      lstmFwdBody(gp + o, H4, cprev + r + o, c + r + o, tc + r + o, hp + o, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      lstmFwdBody(gp + o, H4, cprev + r + o, c + r + o, tc + r + o, hp + o, true);
    }
  }
}

// @ts-ignore: decorator
@inline function lstmBwdBody(gp: usize, H4: usize, cpp: usize, tcp: usize, dop: usize, dnp: usize, dcp: usize, dap: usize, tail: bool): void {
  const i = ld(gp, tail);
  const f = ld(gp + H4, tail);
  const g = ld(gp + 2 * H4, tail);
  const o = ld(gp + 3 * H4, tail);
  const tc = ld(tcp, tail);
  const dh = f32x4.add(ld(dop, tail), ld(dnp, tail)); // total ∂L/∂h_t
  st(dop, dh, tail);
  st(dnp, vzero(), tail);
  // h = o tanh(c): the cell state's total gradient adds the path through h
  const dc = f32x4.add(ld(dcp, tail), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(vone(), f32x4.mul(tc, tc))));
  st(dap, f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(vone(), i))), tail); // ∂/∂i
  st(dap + H4, f32x4.mul(f32x4.mul(dc, ld(cpp, tail)), f32x4.mul(f, f32x4.sub(vone(), f))), tail); // ∂/∂f
  st(dap + 2 * H4, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(vone(), f32x4.mul(g, g))), tail); // ∂/∂g
  st(dap + 3 * H4, f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o, f32x4.sub(vone(), o))), tail); // ∂/∂o
  st(dcp, f32x4.mul(dc, f), tail); // ∂L/∂c_{t−1}
}

/**
 * gates (B, 4H) gate values; cprev, tc (B, H); dout (row stride ldo) direct ∂L/∂h_t → total;
 * dnext (B, H) → zeroed; dcnext (B, H) ∂L/∂c_t from later → ∂L/∂c_{t−1}; dA (B, 4H) ← ∂L/∂a
 */
export function lstm_bwd(
  B: i32,
  H: i32,
  gates: usize,
  cprev: usize,
  tc: usize,
  dout: usize,
  ldo: i32,
  dnext: usize,
  dcnext: usize,
  dA: usize,
): void {
  const H4 = (<usize>H) << 2;
  for (let b = 0; b < B; b++) {
    const gr = (<usize>(b * 4 * H)) << 2;
    const r = (<usize>(b * H)) << 2;
    const dop = dout + ((<usize>(b * ldo)) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      lstmBwdBody(gates + gr + o, H4, cprev + r + o, tc + r + o, dop + o, dnext + r + o, dcnext + r + o, dA + gr + o, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      lstmBwdBody(gates + gr + o, H4, cprev + r + o, tc + r + o, dop + o, dnext + r + o, dcnext + r + o, dA + gr + o, true);
    }
  }
}

// ----------------------------------------------------------------------------------- GRU

/** r, z = σ(gi + gh) of one row's first 2H entries, into gi */
// @ts-ignore: decorator
@inline function gruGateBody(gip: usize, ghp: usize, tail: bool): void {
  st(gip, vsigmoid(f32x4.add(ld(gip, tail), ld(ghp, tail))), tail);
}

// @ts-ignore: decorator
@inline function gruStateBody(gip: usize, ghp: usize, H4: usize, hpp: usize, hnp: usize, hp: usize, tail: bool): void {
  const r = ld(gip, tail); // reset gate
  const z = ld(gip + H4, tail); // update gate
  const hn = ld(ghp + 2 * H4, tail); // W_hn h + b_hn
  const n = vtanh(f32x4.add(ld(gip + 2 * H4, tail), f32x4.mul(r, hn))); // candidate
  st(gip + 2 * H4, n, tail);
  st(hnp, hn, tail);
  const hprev = ld(hpp, tail);
  st(hp, f32x4.add(f32x4.mul(f32x4.sub(vone(), z), n), f32x4.mul(z, hprev)), tail);
}

/**
 * gi (B, 3H) W_ih x + b_ih → gate values [r, z, n] in place; gh (B, 3H) W_hh h' + b_hh;
 * hprev (row stride ldp); hn (B, H) ← W_hn h' + b_hn; hout (row stride ldo) ← h_t.
 * Two passes per row: r and z (independent of each other, so the core overlaps many), then n and
 * h. In one pass each unit's chain σ(r) → tanh(n) → h left the core too little to overlap:
 * 51 µs per step at B = 32, H = 256 against 37 now. (LSTM's forward measured the other way,
 * 56 µs in one pass against 61 in two, and stays in one.)
 */
export function gru_fwd(B: i32, H: i32, gi: usize, gh: usize, hprev: usize, ldp: i32, hn: usize, hout: usize, ldo: i32): void {
  const H4 = (<usize>H) << 2;
  for (let b = 0; b < B; b++) {
    const gr = (<usize>(b * 3 * H)) << 2;
    const r = (<usize>(b * H)) << 2;
    const pp = hprev + ((<usize>(b * ldp)) << 2);
    const hp = hout + ((<usize>(b * ldo)) << 2);
    const H2 = 2 * H;
    let j = 0;
    for (; j + 4 <= H2; j += 4) {
      const o = (<usize>j) << 2;
      gruGateBody(gi + gr + o, gh + gr + o, false);
    }
    for (; j < H2; j++) {
      const o = (<usize>j) << 2;
      gruGateBody(gi + gr + o, gh + gr + o, true);
    }
    j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      gruStateBody(gi + gr + o, gh + gr + o, H4, pp + o, hn + r + o, hp + o, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      gruStateBody(gi + gr + o, gh + gr + o, H4, pp + o, hn + r + o, hp + o, true);
    }
  }
}

// @ts-ignore: decorator
@inline function gruBwdBody(gp: usize, H4: usize, hnp: usize, hpp: usize, dop: usize, dnp: usize, dgip: usize, dghp: usize, tail: bool): void {
  const r = ld(gp, tail);
  const z = ld(gp + H4, tail);
  const n = ld(gp + 2 * H4, tail);
  const dh = f32x4.add(ld(dop, tail), ld(dnp, tail)); // total ∂L/∂h_t
  st(dop, dh, tail);
  const dan = f32x4.mul(f32x4.mul(dh, f32x4.sub(vone(), z)), f32x4.sub(vone(), f32x4.mul(n, n))); // h' = (1−z) n, n = tanh
  const daz = f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hpp, tail), n)), f32x4.mul(z, f32x4.sub(vone(), z))); // h' = n + z (h − n)
  const dar = f32x4.mul(f32x4.mul(dan, ld(hnp, tail)), f32x4.mul(r, f32x4.sub(vone(), r))); // r ⊙ (W_hn h + b_hn)
  st(dgip, dar, tail);
  st(dghp, dar, tail);
  st(dgip + H4, daz, tail);
  st(dghp + H4, daz, tail);
  st(dgip + 2 * H4, dan, tail);
  st(dghp + 2 * H4, f32x4.mul(dan, r), tail);
  st(dnp, f32x4.mul(dh, z), tail); // the direct path through z ⊙ h
}

/**
 * gates (B, 3H) [r, z, n]; hn (B, H); hprev (row stride ldp); dout (row stride ldo) → total ∂L/∂h_t;
 * dnext (B, H) → the direct part z ⊙ ∂h of ∂L/∂h_{t−1}; dgi, dgh (B, 3H) ← ∂ of W_ih x + b_ih, W_hh h + b_hh
 */
export function gru_bwd(
  B: i32,
  H: i32,
  gates: usize,
  hn: usize,
  hprev: usize,
  ldp: i32,
  dout: usize,
  ldo: i32,
  dnext: usize,
  dgi: usize,
  dgh: usize,
): void {
  const H4 = (<usize>H) << 2;
  for (let b = 0; b < B; b++) {
    const gr = (<usize>(b * 3 * H)) << 2;
    const r = (<usize>(b * H)) << 2;
    const pp = hprev + ((<usize>(b * ldp)) << 2);
    const dop = dout + ((<usize>(b * ldo)) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = (<usize>j) << 2;
      gruBwdBody(gates + gr + o, H4, hn + r + o, pp + o, dop + o, dnext + r + o, dgi + gr + o, dgh + gr + o, false);
    }
    for (; j < H; j++) {
      const o = (<usize>j) << 2;
      gruBwdBody(gates + gr + o, H4, hn + r + o, pp + o, dop + o, dnext + r + o, dgi + gr + o, dgh + gr + o, true);
    }
  }
}
