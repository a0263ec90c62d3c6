/**
 * Float64 Householder bidiagonalization for the analysis's singular values: src/engine/svd.ts's
 * bidiagonalize written for WebAssembly, the same operations in the same order (bit-identical
 * results, test/analysis-wasm.test.ts). The elementwise row updates run two doubles at a time
 * (f64x2), and so do the row sums, in svd.ts's two interleaved partial sums.
 */
import { addScaled, subScaled } from './f64rows';

// @ts-ignore: decorator
@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
// @ts-ignore: decorator
@inline function f64Put(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/**
 * A (rows, cols) row-major, rows ≥ cols = n, reduced in place; d, e (n) receive the bidiagonal
 * (e[n−1] = 0); w (n) and v (rows) are work.
 */
export function bidiagonalize(A: usize, rows: i32, cols: i32, d: usize, e: usize, w: usize, v: usize): void {
  const n = cols;
  for (let i = 0; i < n; i++) {
    f64Put(d, i, 0);
    f64Put(e, i, 0);
  }
  for (let k = 0; k < n; k++) {
    const alpha = f64At(A, k * cols + k);
    let below: f64 = 0;
    for (let i = k + 1; i < rows; i++) {
      const a = f64At(A, i * cols + k);
      below += a * a;
    }
    if (below == 0) f64Put(d, k, alpha);
    else {
      const beta = -(alpha < 0 ? -1.0 : 1.0) * Math.sqrt(alpha * alpha + below);
      const tau = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      f64Put(v, k, 1);
      for (let i = k + 1; i < rows; i++) f64Put(v, i, f64At(A, i * cols + k) * inv);
      f64Put(d, k, beta);
      memory.fill(w + ((<usize>(k + 1)) << 3), 0, (<usize>(n - k - 1)) << 3);
      for (let i = k; i < rows; i++) {
        addScaled(w, A + ((<usize>(i * cols)) << 3), f64At(v, i), k + 1, n);
      }
      for (let i = k; i < rows; i++) subScaled(A + ((<usize>(i * cols)) << 3), w, tau * f64At(v, i), k + 1, n);
    }
    if (k >= n - 1) continue;
    const rowK = A + ((<usize>(k * cols)) << 3);
    const a = f64At(rowK, k + 1);
    let rest: f64 = 0;
    for (let j = k + 2; j < n; j++) {
      const b = f64At(rowK, j);
      rest += b * b;
    }
    if (rest == 0) {
      f64Put(e, k, a);
      continue;
    }
    const beta = -(a < 0 ? -1.0 : 1.0) * Math.sqrt(a * a + rest);
    const tau = (beta - a) / beta;
    const inv = 1 / (a - beta);
    f64Put(rowK, k + 1, 1);
    for (let j = k + 2; j < n; j++) f64Put(rowK, j, f64At(rowK, j) * inv);
    f64Put(e, k, beta);
    // Each row's sum as svd.ts has it (partial sums at even and odd offsets from k+1: one f64x2),
    // four rows at a time.
    const sa = (<usize>cols) << 3;
    let i = k + 1;
    for (; i + 4 <= rows; i += 4) {
      const row = A + ((<usize>(i * cols)) << 3);
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let j = k + 1;
      for (; j + 1 < n; j += 2) {
        const o = (<usize>j) << 3;
        const x = v128.load(rowK + o);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(row + o), x));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(row + sa + o), x));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(row + 2 * sa + o), x));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(row + 3 * sa + o), x));
      }
      if (j < n) {
        const o = (<usize>j) << 3;
        const xj = load<f64>(rowK + o);
        a0 = f64x2.replace_lane(a0, 0, f64x2.extract_lane(a0, 0) + load<f64>(row + o) * xj);
        a1 = f64x2.replace_lane(a1, 0, f64x2.extract_lane(a1, 0) + load<f64>(row + sa + o) * xj);
        a2 = f64x2.replace_lane(a2, 0, f64x2.extract_lane(a2, 0) + load<f64>(row + 2 * sa + o) * xj);
        a3 = f64x2.replace_lane(a3, 0, f64x2.extract_lane(a3, 0) + load<f64>(row + 3 * sa + o) * xj);
      }
      subScaled(row, rowK, (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1)) * tau, k + 1, n);
      subScaled(row + sa, rowK, (f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1)) * tau, k + 1, n);
      subScaled(row + 2 * sa, rowK, (f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1)) * tau, k + 1, n);
      subScaled(row + 3 * sa, rowK, (f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1)) * tau, k + 1, n);
    }
    for (; i < rows; i++) {
      const row = A + ((<usize>(i * cols)) << 3);
      let s0: f64 = 0;
      let s1: f64 = 0;
      let j = k + 1;
      for (; j + 1 < n; j += 2) {
        s0 += f64At(row, j) * f64At(rowK, j);
        s1 += f64At(row, j + 1) * f64At(rowK, j + 1);
      }
      if (j < n) s0 += f64At(row, j) * f64At(rowK, j);
      subScaled(row, rowK, (s0 + s1) * tau, k + 1, n);
    }
  }
}

/** √(a² + b²) as svd.ts's hypot computes it. */
function hypot(a: f64, b: f64): f64 {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big == 0 || !isFinite(big)) return big == 0 ? 0 : big + x + y;
  const r = (x > y ? y : x) / big;
  return big * Math.sqrt(1 + r * r);
}

/** svd.ts's rotation(f, g): c, s, r into rot[0 … 2]. */
// @ts-ignore: decorator
@inline function rotation(f: f64, g: f64, rot: usize): void {
  const r = hypot(f, g);
  if (r == 0) {
    store<f64>(rot, 1);
    store<f64>(rot, 0, 8);
    store<f64>(rot, 0, 16);
  } else {
    store<f64>(rot, f / r);
    store<f64>(rot, g / r, 8);
    store<f64>(rot, r, 16);
  }
}

/** Three doubles for a rotation, in the module's static data. */
const rot = memory.data(24, 8);

/**
 * The singular values of the upper bidiagonal (s = d (n), e (n)), in place in s, unsorted, by
 * svd.ts's bidiagonalSingularValues (JAMA's shifted QR, values only, at most maxPerValue·max(n, 10)
 * sweeps; NaN for a block not converged), the same operations in the same order.
 */
export function bidiagonal_sv(s: usize, e: usize, n: i32, maxPerValue: i32): void {
  let p = n;
  const eps: f64 = 2.220446049250313e-16;
  const tiny: f64 = reinterpret<f64>(0x0390000000000000); // 2^−966
  let budget = maxPerValue * max(p, 10);
  while (p > 0) {
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(f64At(e, k)) <= tiny + eps * (Math.abs(f64At(s, k)) + Math.abs(f64At(s, k + 1)))) {
        f64Put(e, k, 0);
        break;
      }
    }
    let kase = 0;
    if (k == p - 2) kase = 4;
    else {
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks != p ? Math.abs(f64At(e, ks)) : 0) + (ks != k + 1 ? Math.abs(f64At(e, ks - 1)) : 0);
        if (Math.abs(f64At(s, ks)) <= tiny + eps * t) {
          f64Put(s, ks, 0);
          break;
        }
      }
      if (ks == k) kase = 3;
      else if (ks == p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase == 1) {
      let f = f64At(e, p - 2);
      f64Put(e, p - 2, 0);
      for (let j = p - 2; j >= k; j--) {
        rotation(f64At(s, j), f, rot);
        const cs = load<f64>(rot);
        const sn = load<f64>(rot, 8);
        f64Put(s, j, load<f64>(rot, 16));
        if (j != k) {
          f = -sn * f64At(e, j - 1);
          f64Put(e, j - 1, cs * f64At(e, j - 1));
        }
      }
    } else if (kase == 2) {
      let f = f64At(e, k - 1);
      f64Put(e, k - 1, 0);
      for (let j = k; j < p; j++) {
        rotation(f64At(s, j), f, rot);
        const cs = load<f64>(rot);
        const sn = load<f64>(rot, 8);
        f64Put(s, j, load<f64>(rot, 16));
        f = -sn * f64At(e, j);
        f64Put(e, j, cs * f64At(e, j));
      }
    } else if (kase == 3) {
      if (budget-- <= 0) {
        for (let j = k; j < p; j++) f64Put(s, j, NaN);
        p = k;
        continue;
      }
      const sp0 = f64At(s, p - 1);
      const spm10 = f64At(s, p - 2);
      const epm10 = f64At(e, p - 2);
      const sk0 = f64At(s, k);
      const ek0 = f64At(e, k);
      const scale = max(max(max(max(Math.abs(sp0), Math.abs(spm10)), Math.abs(epm10)), Math.abs(sk0)), Math.abs(ek0));
      const sp = sp0 / scale;
      const spm1 = spm10 / scale;
      const epm1 = epm10 / scale;
      const sk = sk0 / scale;
      const ek = ek0 / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift: f64 = 0;
      if (b != 0 || c != 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        rotation(f, g, rot);
        let cs = load<f64>(rot);
        let sn = load<f64>(rot, 8);
        if (j != k) f64Put(e, j - 1, load<f64>(rot, 16));
        f = cs * f64At(s, j) + sn * f64At(e, j);
        f64Put(e, j, cs * f64At(e, j) - sn * f64At(s, j));
        g = sn * f64At(s, j + 1);
        f64Put(s, j + 1, cs * f64At(s, j + 1));
        rotation(f, g, rot);
        cs = load<f64>(rot);
        sn = load<f64>(rot, 8);
        f64Put(s, j, load<f64>(rot, 16));
        f = cs * f64At(e, j) + sn * f64At(s, j + 1);
        f64Put(s, j + 1, -sn * f64At(e, j) + cs * f64At(s, j + 1));
        g = sn * f64At(e, j + 1);
        f64Put(e, j + 1, cs * f64At(e, j + 1));
      }
      f64Put(e, p - 2, f);
    } else {
      if (f64At(s, k) < 0) f64Put(s, k, -f64At(s, k));
      p--;
    }
  }
}
