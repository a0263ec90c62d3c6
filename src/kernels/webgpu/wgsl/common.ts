/**
 * WGSL shared by the recurrent kernels: the per-dispatch uniform `Dims`, index helpers into the
 * time-major buffers, and clamped activations (SwiftShader's tanh gives NaN past |x| ≈ 89, and
 * exp overflows: every pre-activation is clamped before tanh, σ or exp).
 *
 * Buffers (f32), in the shape comments' letters (S = (G+1)·H, A = (2G+1)·H):
 *   theta (P)                          parameters in state_dict order
 *   xin   (T, B, D)                    the layer's input
 *   start (L·dirs, 2, B, H)            start state h, c of every layer and direction
 *   hout  (T, B, H·dirs)               the layer's output h_t
 *   cache (dirs, T, B, S)              gate values [G·H] then c_t (LSTM) or W_hn h + b_hn (GRU)
 *   dH    (T, B, H·dirs)               total ∂L/∂h_t
 *   dA    (dirs, T, B, A)              ∂L/∂(W_ih x + b_ih) [G·H], ∂L/∂(W_hh h + b_hh) [G·H], ∂L/∂c_t [H]
 *   dOut  (T, B, H·dirs)               direct gradient into the layer's output (readout or layer above)
 */
import type { CellKind, Nonlinearity } from '../../../engine/model';

export const WORKGROUP = 64;

/** Byte stride between the per-dispatch `Dims` blocks of the steps uniform buffer. */
export const DIMS_STRIDE = 256;

/** Fields of `Dims`, in order (16 × u32 = 64 bytes). */
export const DIMS_FIELDS = ['B', 'T', 'D', 'H', 'dirs', 'p', 'trunc', 'l', 'base0', 'base1', 'init0', 'init1', 'trainInit', 'L', 'learned', 'pad'] as const;
export type DimsField = (typeof DIMS_FIELDS)[number];

/** The `Dims` block as u32 words. */
export function packDims(values: Record<DimsField, number>): Uint32Array {
  return Uint32Array.from(DIMS_FIELDS.map((f) => values[f] >>> 0));
}

export const DIMS_STRUCT = `
struct Dims {
  ${DIMS_FIELDS.map((f) => `${f}: u32,`).join(' ')}
}`;

/** The global thread index, for 1-D work spread over a 2-D grid of workgroups. */
export const MAIN_HEADER = `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;`;

export const ACTIVATIONS = `
fn sigm(a: f32) -> f32 { return 1.0 / (1.0 + exp(-clamp(a, -30.0, 30.0))); }
fn tanhc(a: f32) -> f32 { return tanh(clamp(a, -15.0, 15.0)); }
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }`;

/** The elementwise nonlinearity of a vanilla RNN and its derivative written through h = φ(a). */
export function phiSource(phi: Nonlinearity): string {
  const act = phi === 'tanh' ? 'tanhc(a)' : phi === 'relu' ? 'max(a, 0.0)' : 'a';
  const der = phi === 'tanh' ? '1.0 - h * h' : phi === 'relu' ? 'select(0.0, 1.0, h > 0.0)' : '1.0';
  return `
fn phi(a: f32) -> f32 { return ${act}; }
fn dphi(h: f32) -> f32 { return ${der}; }`;
}

export function gatesOf(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Index helpers; they read `dims` and the module-scope buffers named above. */
export function indexSource(cell: CellKind): string {
  return `
const G: u32 = ${gatesOf(cell)}u;
fn timeOf(p: u32, dir: u32) -> u32 { return select(dims.T - 1u - p, p, dir == 0u); }
fn baseOf(dir: u32) -> u32 { return select(dims.base1, dims.base0, dir == 0u); }
fn initOf(dir: u32) -> u32 { return select(dims.init1, dims.init0, dir == 0u); }
fn outAt(t: u32, b: u32, dir: u32) -> u32 { return (t * dims.B + b) * dims.H * dims.dirs + dir * dims.H; }
fn cacheAt(dir: u32, t: u32, b: u32) -> u32 { return ((dir * dims.T + t) * dims.B + b) * (G + 1u) * dims.H; }
fn dAAt(dir: u32, t: u32, b: u32) -> u32 { return ((dir * dims.T + t) * dims.B + b) * (2u * G + 1u) * dims.H; }
fn startAt(dir: u32, s: u32, b: u32) -> u32 { return (((dims.l * dims.dirs + dir) * 2u + s) * dims.B + b) * dims.H; }
// Offsets inside one layer and direction: W_ih (G·H, D), W_hh (G·H, H), b_ih (G·H), b_hh (G·H).
fn whhOf(dir: u32) -> u32 { return baseOf(dir) + G * dims.H * dims.D; }
fn bihOf(dir: u32) -> u32 { return whhOf(dir) + G * dims.H * dims.H; }
fn bhhOf(dir: u32) -> u32 { return bihOf(dir) + G * dims.H; }`;
}

/** h_{t−1} and c_{t−1} as seen by processing step p: the start state at p = 0. */
export const PREV_STATE = `
fn hPrev(dir: u32, p: u32, b: u32, k: u32) -> f32 {
  if (p == 0u) { return start[startAt(dir, 0u, b) + k]; }
  return hout[outAt(timeOf(p - 1u, dir), b, dir) + k];
}
fn cPrev(dir: u32, p: u32, b: u32, j: u32) -> f32 {
  if (p == 0u) { return start[startAt(dir, 1u, b) + j]; }
  return cache[cacheAt(dir, timeOf(p - 1u, dir), b) + G * dims.H + j];
}`;

/**
 * ∂L/∂h_{t} that arrives from the step processed after it (time tn): W_hhᵀ · ∂L/∂(W_hh h + b_hh),
 * plus for GRU the direct path z ⊙ h. For LSTM also the cell path ∂L/∂c_{t} = ∂L/∂c_{tn} ⊙ f.
 */
export function recurrentGradSource(cell: CellKind): string {
  const gruDirect = cell === 'gru' ? `\n  s += dH[outAt(tn, b, dir) + j] * cache[cacheAt(dir, tn, b) + dims.H + j];` : '';
  return `
fn recurrentGrad(dir: u32, tn: u32, b: u32, j: u32) -> f32 {
  let GH = G * dims.H;
  let w = whhOf(dir);
  let a = dAAt(dir, tn, b) + GH;
  var s = 0.0;
  for (var r = 0u; r < GH; r++) { s += theta[w + r * dims.H + j] * dA[a + r]; }${gruDirect}
  return s;
}
fn cellGrad(dir: u32, tn: u32, b: u32, j: u32) -> f32 {
  if (G != 4u) { return 0.0; }
  return dA[dAAt(dir, tn, b) + 2u * G * dims.H + j] * cache[cacheAt(dir, tn, b) + dims.H + j];
}`;
}
