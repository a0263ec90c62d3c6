/**
 * The cell-specific WGSL: one forward step and, beside it, the backward step that differentiates
 * it, as in src/engine/cells. Each body runs in the thread of unit j of batch row b in direction
 * dir at processing step p (time t), with these names in scope:
 *   forward:  c0 = cacheAt(dir, t, b), o = outAt(t, b, dir), GH = G·H, and pre(dir, p, t, b, r)
 *             = (W_ih x + b_ih, W_hh h_prev + b_hh) of gate row r
 *   backward: c0, a0 = dAAt(dir, t, b), GH, dh = total ∂L/∂h_t, dcn = ∂L/∂c_t from step p + 1
 */
import type { CellKind } from '../../../engine/model';

/** The two affine halves of gate row r; the GRU keeps them apart because r multiplies one. */
export const PRE_SOURCE = `
fn pre(dir: u32, p: u32, t: u32, b: u32, r: u32) -> vec2<f32> {
  let D = dims.D;
  let H = dims.H;
  let base = baseOf(dir);
  let w = whhOf(dir);
  var ai = theta[bihOf(dir) + r];
  let xo = (t * dims.B + b) * D;
  for (var k = 0u; k < D; k++) { ai += theta[base + r * D + k] * xin[xo + k]; }
  var ah = theta[bhhOf(dir) + r];
  for (var k = 0u; k < H; k++) { ah += theta[w + r * H + k] * hPrev(dir, p, b, k); }
  return vec2<f32>(ai, ah);
}`;

const FORWARD: Record<CellKind, string> = {
  // h = φ(W_ih x + b_ih + W_hh h + b_hh)
  rnn: `
  let a = pre(dir, p, t, b, j);
  let h = phi(a.x + a.y);
  cache[c0 + j] = h;
  hout[o + j] = h;`,
  // i, f, g, o = σ, σ, tanh, σ of the affine rows; c = f c_prev + i g; h = o tanh(c)
  lstm: `
  let H = dims.H;
  let ai = pre(dir, p, t, b, j);
  let af = pre(dir, p, t, b, H + j);
  let ag = pre(dir, p, t, b, 2u * H + j);
  let ao = pre(dir, p, t, b, 3u * H + j);
  let ig = sigm(ai.x + ai.y);
  let fg = sigm(af.x + af.y);
  let gg = tanhc(ag.x + ag.y);
  let og = sigm(ao.x + ao.y);
  let c = fg * cPrev(dir, p, b, j) + ig * gg;
  cache[c0 + j] = ig;
  cache[c0 + H + j] = fg;
  cache[c0 + 2u * H + j] = gg;
  cache[c0 + 3u * H + j] = og;
  cache[c0 + 4u * H + j] = c;
  hout[o + j] = og * tanhc(c);`,
  // r, z = σ(·); n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h = (1 − z) n + z h_prev
  gru: `
  let H = dims.H;
  let ar = pre(dir, p, t, b, j);
  let az = pre(dir, p, t, b, H + j);
  let an = pre(dir, p, t, b, 2u * H + j);
  let r = sigm(ar.x + ar.y);
  let z = sigm(az.x + az.y);
  let n = tanhc(an.x + r * an.y);
  cache[c0 + j] = r;
  cache[c0 + H + j] = z;
  cache[c0 + 2u * H + j] = n;
  cache[c0 + 3u * H + j] = an.y;
  hout[o + j] = (1.0 - z) * n + z * hPrev(dir, p, b, j);`,
};

const BACKWARD: Record<CellKind, string> = {
  rnn: `
  let da = dh * dphi(cache[c0 + j]);
  dA[a0 + j] = da;
  dA[a0 + GH + j] = da;
  dA[a0 + 2u * GH + j] = 0.0;`,
  lstm: `
  let H = dims.H;
  let ig = cache[c0 + j];
  let fg = cache[c0 + H + j];
  let gg = cache[c0 + 2u * H + j];
  let og = cache[c0 + 3u * H + j];
  let tc = tanhc(cache[c0 + 4u * H + j]);
  // h = o tanh(c): the cell state's total gradient adds the path through h
  let dc = dcn + dh * og * (1.0 - tc * tc);
  let dgi = dc * gg * ig * (1.0 - ig);
  let dgf = dc * cPrev(dir, p, b, j) * fg * (1.0 - fg);
  let dgg = dc * ig * (1.0 - gg * gg);
  let dgo = dh * tc * og * (1.0 - og);
  dA[a0 + j] = dgi;
  dA[a0 + H + j] = dgf;
  dA[a0 + 2u * H + j] = dgg;
  dA[a0 + 3u * H + j] = dgo;
  dA[a0 + GH + j] = dgi;
  dA[a0 + GH + H + j] = dgf;
  dA[a0 + GH + 2u * H + j] = dgg;
  dA[a0 + GH + 3u * H + j] = dgo;
  dA[a0 + 2u * GH + j] = dc;`,
  gru: `
  let H = dims.H;
  let r = cache[c0 + j];
  let z = cache[c0 + H + j];
  let n = cache[c0 + 2u * H + j];
  let hn = cache[c0 + 3u * H + j];
  let dan = dh * (1.0 - z) * (1.0 - n * n);
  let daz = dh * (hPrev(dir, p, b, j) - n) * z * (1.0 - z);
  let dar = dan * hn * r * (1.0 - r);
  dA[a0 + j] = dar;
  dA[a0 + H + j] = daz;
  dA[a0 + 2u * H + j] = dan;
  dA[a0 + GH + j] = dar;
  dA[a0 + GH + H + j] = daz;
  dA[a0 + GH + 2u * H + j] = dan * r;
  dA[a0 + 2u * GH + j] = 0.0;`,
};

export function forwardBody(cell: CellKind): string {
  return FORWARD[cell];
}

export function backwardBody(cell: CellKind): string {
  return BACKWARD[cell];
}
