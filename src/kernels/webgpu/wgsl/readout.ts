/**
 * WGSL sources of the kernels around the recurrence, all driven by one uniform `Run`:
 *   readoutForward   ŷ = W_out h + b_out per readout row, the row's loss and ∂L/∂ŷ
 *   readoutBackward  ∂L/∂W_out, ∂L/∂b_out and the direct ∂L/∂h of the top layer
 *   stats            one workgroup: [loss, Σg², Σclamp(g)², max|g|]
 *   update           clipping, then SGD-momentum / Adam / RMSprop on θ, skipped when not finite
 * Loss conventions as src/engine/loss.ts: L = (1/B) Σ_rows w ℓ.
 */
import { ACTIVATIONS, MAIN_HEADER } from './common';
import { declare, type BindingKind, type KernelSource } from './recurrent';

/** Fields of `Run`: 12 u32 then 8 f32 (80 bytes). */
export const RUN_U32 = ['B', 'T', 'Hd', 'Y', 'N', 'rowOff', 'lossKind', 'wOut', 'bOut', 'P', 'clipKind', 'optKind'] as const;
export const RUN_F32 = ['lr', 'clipMax', 'c1', 'c2', 'eps', 'stepSize', 'sqrtBc2', 'pad'] as const;
export type RunValues = Record<(typeof RUN_U32)[number] | (typeof RUN_F32)[number], number>;

export function packRun(v: RunValues): ArrayBuffer {
  const buf = new ArrayBuffer(80);
  new Uint32Array(buf, 0, 12).set(RUN_U32.map((k) => v[k] >>> 0));
  new Float32Array(buf, 48, 8).set(RUN_F32.map((k) => v[k]));
  return buf;
}

const RUN_STRUCT = `
struct Run {
  ${RUN_U32.map((f) => `${f}: u32,`).join(' ')}
  ${RUN_F32.map((f) => `${f}: f32,`).join(' ')}
}`;

const F = 'array<f32>';

function kernel(vars: [string, BindingKind, string][], body: string): KernelSource {
  return { code: [RUN_STRUCT, declare(vars), ACTIVATIONS, body].join('\n'), bindings: vars.map((v) => v[1]) };
}

export function readoutForwardKernel(): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['run', 'U', 'Run'],
    ['theta', 'r', F], // (P)
    ['top', 'r', F], // (T, B, H·dirs) the top layer's output
    ['tgt', 'r', F], // MSE (N, Y); cross-entropy (N) class ids
    ['weight', 'r', F], // (N) mask
    ['yhat', 'w', F], // (N, Y)
    ['dLdy', 'w', F], // (N, Y)
    ['lossRow', 'w', F], // (N)
  ];
  return kernel(
    vars,
    `${MAIN_HEADER}
  if (i >= run.N) { return; }
  let Y = run.Y;
  let Hd = run.Hd;
  let row = (run.rowOff + i) * Hd;
  let o = i * Y;
  var mx = -3.0e38;
  for (var k = 0u; k < Y; k++) {
    var y = theta[run.bOut + k];
    for (var c = 0u; c < Hd; c++) { y += theta[run.wOut + k * Hd + c] * top[row + c]; }
    yhat[o + k] = y;
    mx = max(mx, y);
  }
  let w = weight[i];
  let invB = 1.0 / f32(run.B);
  var loss = 0.0;
  if (run.lossKind == 0u) {
    for (var k = 0u; k < Y; k++) {
      let e = yhat[o + k] - tgt[o + k];
      loss += 0.5 * w * e * e;
      dLdy[o + k] = w * e * invB;
    }
  } else {
    var se = 0.0;
    for (var k = 0u; k < Y; k++) { se += exp(yhat[o + k] - mx); }
    let lse = mx + log(se);
    let cls = u32(tgt[i]);
    loss = w * (lse - yhat[o + cls]);
    for (var k = 0u; k < Y; k++) { dLdy[o + k] = w * (exp(yhat[o + k] - lse) - select(0.0, 1.0, k == cls)) * invB; }
  }
  if (w == 0.0) {
    loss = 0.0;
    for (var k = 0u; k < Y; k++) { dLdy[o + k] = 0.0; }
  }
  lossRow[i] = loss;
}`,
  );
}

export function readoutBackwardKernel(): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['run', 'U', 'Run'],
    ['theta', 'r', F], // (P)
    ['top', 'r', F], // (T, B, H·dirs)
    ['dLdy', 'r', F], // (N, Y)
    ['grad', 'w', F], // (P)
    ['dTop', 'w', F], // (T, B, H·dirs) direct ∂L/∂h of the top layer
  ];
  return kernel(
    vars,
    `${MAIN_HEADER}
  let Y = run.Y;
  let Hd = run.Hd;
  let YH = Y * Hd;
  if (i < YH) {
    let k = i / Hd;
    let c = i % Hd;
    var s = 0.0;
    for (var n = 0u; n < run.N; n++) { s += dLdy[n * Y + k] * top[(run.rowOff + n) * Hd + c]; }
    grad[run.wOut + i] = s;
    return;
  }
  if (i < YH + Y) {
    let k = i - YH;
    var s = 0.0;
    for (var n = 0u; n < run.N; n++) { s += dLdy[n * Y + k]; }
    grad[run.bOut + k] = s;
    return;
  }
  let q = i - YH - Y;
  if (q >= run.T * run.B * Hd) { return; }
  let row = q / Hd;
  let c = q % Hd;
  var s = 0.0;
  if (row >= run.rowOff) {
    let n = row - run.rowOff;
    for (var k = 0u; k < Y; k++) { s += dLdy[n * Y + k] * theta[run.wOut + k * Hd + c]; }
  }
  dTop[q] = s;
}`,
  );
}

export function statsKernel(): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['run', 'U', 'Run'],
    ['lossRow', 'r', F], // (N)
    ['grad', 'r', F], // (P)
    ['stats', 'w', F], // (4) loss, Σg², Σclamp(g)², max|g|
  ];
  return kernel(
    vars,
    `
var<workgroup> red: array<vec4<f32>, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = vec4<f32>(0.0);
  for (var n = lid; n < run.N; n += 256u) { acc.x += lossRow[n]; }
  for (var q = lid; q < run.P; q += 256u) {
    let g = grad[q];
    let gc = clamp(g, -run.clipMax, run.clipMax);
    acc.y += g * g;
    acc.z += gc * gc;
    acc.w = max(acc.w, abs(g));
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = red[lid];
      let o = red[lid + s];
      red[lid] = vec4<f32>(a.xyz + o.xyz, max(a.w, o.w));
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let r = red[0];
    stats[0] = r.x / f32(run.B);
    stats[1] = r.y;
    stats[2] = r.z;
    stats[3] = r.w;
  }
}`,
  );
}

/** optKind 0 sgd (c1 = μ), 1 adam (c1, c2 = β₁, β₂; stepSize = lr/(1−β₁ᵗ)), 2 rmsprop (c1 = α). */
export function updateKernel(): KernelSource {
  const vars: [string, BindingKind, string][] = [
    ['run', 'U', 'Run'],
    ['stats', 'r', F], // (4)
    ['grad', 'r', F], // (P)
    ['theta', 'w', F], // (P)
    ['m', 'w', F], // (P) first moment (Adam)
    ['v', 'w', F], // (P) momentum buffer (SGD) or second moment (Adam, RMSprop)
  ];
  return kernel(
    vars,
    `${MAIN_HEADER}
  if (i >= run.P) { return; }
  if (!finite(stats[0]) || !finite(stats[1])) { return; }
  var g = grad[i];
  if (run.clipKind == 1u) {
    let scale = run.clipMax / (sqrt(stats[1]) + 1e-6);
    if (scale < 1.0) { g = g * scale; }
  } else if (run.clipKind == 2u) {
    g = clamp(g, -run.clipMax, run.clipMax);
  }
  if (run.optKind == 0u) {
    let vv = run.c1 * v[i] + g;
    v[i] = vv;
    theta[i] = theta[i] - run.lr * vv;
  } else if (run.optKind == 1u) {
    let mm = run.c1 * m[i] + (1.0 - run.c1) * g;
    let vv = run.c2 * v[i] + (1.0 - run.c2) * g * g;
    m[i] = mm;
    v[i] = vv;
    theta[i] = theta[i] - run.stepSize * (mm / (sqrt(vv) / run.sqrtBc2 + run.eps));
  } else {
    let vv = run.c1 * v[i] + (1.0 - run.c1) * g * g;
    v[i] = vv;
    theta[i] = theta[i] - run.lr * g / (sqrt(vv) + run.eps);
  }
}`,
  );
}
