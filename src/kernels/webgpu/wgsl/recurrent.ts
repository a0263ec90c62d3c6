/**
 * WGSL sources of the recurrent kernels. Each returns its source and its bindings, so the pipeline
 * cache can build an explicit bind group layout (dynamic offsets for the per-step `Dims`).
 *   forward    one processing step of every direction: h_t (and the gate cache)
 *   backward   one BPTT step of every direction: total ∂L/∂h_t and the gate gradients
 *   paramGrad  after a layer's BPTT: ∂L/∂W_ih, W_hh, b_ih, b_hh (and h0, c0) as sums over t, b
 *   inputGrad  ∂L/∂x of a layer above the first: the direct gradient into the layer below
 *   startState the learned h0/c0 broadcast over the batch
 *   finalState the state after each direction's last step (for a stream's next chunk)
 */
import type { CellKind, Nonlinearity } from '../../../engine/model';
import { ACTIVATIONS, DIMS_STRUCT, MAIN_HEADER, PREV_STATE, indexSource, phiSource, recurrentGradSource } from './common';
import { PRE_SOURCE, backwardBody, forwardBody } from './cells';

/** u: the per-step uniform (dynamic offset); U: a plain uniform; r: read-only storage; w: storage. */
export type BindingKind = 'u' | 'U' | 'r' | 'w';

export interface KernelSource {
  code: string;
  /** binding i's kind; names only document the WGSL */
  bindings: BindingKind[];
}

/** Declares `group(0)` bindings in order; the first is always the uniform `dims` or `run`. */
export function declare(vars: [string, BindingKind, string][]): string {
  return vars
    .map(([name, kind, type], i) => {
      const space = kind === 'u' || kind === 'U' ? 'uniform' : kind === 'r' ? 'storage, read' : 'storage, read_write';
      return `@group(0) @binding(${i}) var<${space}> ${name}: ${type};`;
    })
    .join('\n');
}

function kernel(vars: [string, BindingKind, string][], body: string, ...helpers: string[]): KernelSource {
  return { code: [DIMS_STRUCT, declare(vars), ACTIVATIONS, ...helpers, body].join('\n'), bindings: vars.map((v) => v[1]) };
}

const F = 'array<f32>';

/** Decodes the thread of unit j, batch row b, direction dir; returns when past dirs·B·H. */
const UNIT_THREAD = `
  if (i >= dims.dirs * dims.B * dims.H) { return; }
  let dir = i / (dims.B * dims.H);
  let b = (i / dims.H) % dims.B;
  let j = i % dims.H;
  let p = dims.p;
  let t = timeOf(p, dir);
  let c0 = cacheAt(dir, t, b);
  let GH = G * dims.H;`;

export function forwardKernel(cell: CellKind, phi: Nonlinearity): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['theta', 'r', F], // (P)
    ['xin', 'r', F], // (T, B, D)
    ['start', 'r', F], // (L·dirs, 2, B, H)
    ['hout', 'w', F], // (T, B, H·dirs)
    ['cache', 'w', F], // (dirs, T, B, (G+1)·H)
  ];
  const body = `${MAIN_HEADER}${UNIT_THREAD}
  let o = outAt(t, b, dir);
  ${forwardBody(cell)}
}`;
  return kernel(vars, body, phiSource(phi), indexSource(cell), PREV_STATE, PRE_SOURCE);
}

export function backwardKernel(cell: CellKind, phi: Nonlinearity): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['theta', 'r', F], // (P)
    ['start', 'r', F], // (L·dirs, 2, B, H)
    ['hout', 'r', F], // (T, B, H·dirs)
    ['cache', 'r', F], // (dirs, T, B, (G+1)·H)
    ['dOut', 'r', F], // (T, B, H·dirs)
    ['dH', 'w', F], // (T, B, H·dirs)
    ['dA', 'w', F], // (dirs, T, B, (2G+1)·H)
  ];
  // The state entering step p + 1 was detached (truncation): no gradient crosses back to step p.
  const body = `${MAIN_HEADER}${UNIT_THREAD}
  let a0 = dAAt(dir, t, b);
  var dh = dOut[outAt(t, b, dir) + j];
  var dcn = 0.0;
  let q = p + 1u;
  if (q < dims.T && !(dims.trunc > 0u && q % dims.trunc == 0u)) {
    let tn = timeOf(q, dir);
    dh += recurrentGrad(dir, tn, b, j);
    dcn = cellGrad(dir, tn, b, j);
  }
  dH[outAt(t, b, dir) + j] = dh;
  ${backwardBody(cell)}
}`;
  return kernel(vars, body, phiSource(phi), indexSource(cell), PREV_STATE, recurrentGradSource(cell));
}

export function paramGradKernel(cell: CellKind): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['theta', 'r', F], // (P)
    ['xin', 'r', F], // (T, B, D)
    ['start', 'r', F], // (L·dirs, 2, B, H)
    ['hout', 'r', F], // (T, B, H·dirs)
    ['cache', 'r', F], // (dirs, T, B, (G+1)·H)
    ['dH', 'r', F], // (T, B, H·dirs)
    ['dA', 'r', F], // (dirs, T, B, (2G+1)·H)
    ['grad', 'w', F], // (P)
  ];
  const body = `${MAIN_HEADER}
  let H = dims.H;
  let D = dims.D;
  let GH = G * H;
  let nInit = select(0u, select(1u, 2u, G == 4u), dims.learned != 0u);
  let Pd = GH * D + GH * H + 2u * GH + nInit * H;
  if (i >= dims.dirs * Pd) { return; }
  let dir = i / Pd;
  var q = i % Pd;
  var s = 0.0;
  if (q < GH * D) {
    let row = q / D;
    let k = q % D;
    for (var t = 0u; t < dims.T; t++) {
      for (var b = 0u; b < dims.B; b++) { s += dA[dAAt(dir, t, b) + row] * xin[(t * dims.B + b) * D + k]; }
    }
    grad[baseOf(dir) + q] = s;
    return;
  }
  q -= GH * D;
  if (q < GH * H) {
    let row = q / H;
    let k = q % H;
    for (var p = 0u; p < dims.T; p++) {
      let t = timeOf(p, dir);
      for (var b = 0u; b < dims.B; b++) { s += dA[dAAt(dir, t, b) + GH + row] * hPrev(dir, p, b, k); }
    }
    grad[whhOf(dir) + q] = s;
    return;
  }
  q -= GH * H;
  if (q < 2u * GH) {
    // b_ih then b_hh: column sums of the two halves of dA
    for (var t = 0u; t < dims.T; t++) {
      for (var b = 0u; b < dims.B; b++) { s += dA[dAAt(dir, t, b) + q]; }
    }
    grad[bihOf(dir) + q] = s;
    return;
  }
  q -= 2u * GH;
  // the learned start state, broadcast over the batch: the batch sum of what reaches it
  if (dims.trainInit != 0u) {
    let t0 = timeOf(0u, dir);
    let j = q % H;
    for (var b = 0u; b < dims.B; b++) {
      s += select(recurrentGrad(dir, t0, b, j), cellGrad(dir, t0, b, j), q >= H);
    }
  }
  grad[initOf(dir) + q] = s;
}`;
  return kernel(vars, body, indexSource(cell), PREV_STATE, recurrentGradSource(cell));
}

export function inputGradKernel(cell: CellKind): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['theta', 'r', F], // (P)
    ['dA', 'r', F], // (dirs, T, B, (2G+1)·H)
    ['dIn', 'w', F], // (T, B, D): the layer below's dOut
  ];
  const body = `${MAIN_HEADER}
  let D = dims.D;
  if (i >= dims.T * dims.B * D) { return; }
  let k = i % D;
  let t = i / (D * dims.B);
  let b = (i / D) % dims.B;
  let GH = G * dims.H;
  var s = 0.0;
  for (var dir = 0u; dir < dims.dirs; dir++) {
    let a = dAAt(dir, t, b);
    let w = baseOf(dir);
    for (var r = 0u; r < GH; r++) { s += dA[a + r] * theta[w + r * D + k]; }
  }
  dIn[i] = s;
}`;
  return kernel(vars, body, indexSource(cell));
}

/** Uses the Dims of layer 0: `init0` is the offset of h0_l0; every (l, dir) follows at a stride. */
export function startStateKernel(cell: CellKind): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['theta', 'r', F], // (P)
    ['start', 'w', F], // (L·dirs, 2, B, H)
  ];
  const body = `${MAIN_HEADER}
  let H = dims.H;
  let BH = dims.B * H;
  if (i >= dims.L * dims.dirs * 2u * BH) { return; }
  let q = i / BH;
  let s = q % 2u;
  let ld = q / 2u;
  let nInit = select(1u, 2u, G == 4u);
  var v = 0.0;
  if (s < nInit) { v = theta[dims.init0 + (ld * nInit + s) * H + i % H]; }
  start[i] = v;
}`;
  return kernel(vars, body, indexSource(cell));
}

export function finalStateKernel(cell: CellKind): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['dims', 'u', 'Dims'],
    ['hout', 'r', F], // (T, B, H·dirs)
    ['cache', 'r', F], // (dirs, T, B, (G+1)·H)
    ['fin', 'w', F], // (L·dirs, 2, B, H)
  ];
  const body = `${MAIN_HEADER}
  let H = dims.H;
  let BH = dims.B * H;
  if (i >= dims.dirs * 2u * BH) { return; }
  let q = i / BH;
  let s = q % 2u;
  let dir = q / 2u;
  let b = (i / H) % dims.B;
  let j = i % H;
  let tl = timeOf(dims.T - 1u, dir);
  var v = 0.0;
  if (s == 0u) { v = hout[outAt(tl, b, dir) + j]; } else if (G == 4u) { v = cache[cacheAt(dir, tl, b) + G * H + j]; }
  fin[startAt(dir, s, b) + j] = v;
}`;
  return kernel(vars, body, indexSource(cell));
}
