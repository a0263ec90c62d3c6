/**
 * Float64 dense eigenvalues for the gradient-flow analysis: src/engine/hqr.ts (Householder
 * reduction to Hessenberg form, then the bounded Francis double-shift QR, eigenvalues only) written
 * for WebAssembly, the same operations in the same order, so the results are bit-identical to the
 * TypeScript version (test/analysis-wasm.test.ts checks equality). The row operations of the
 * reduction run two doubles at a time (f64x2): elementwise, so no sum changes its order.
 * All buffers are byte offsets into the module's memory, laid out by the caller.
 */
import { addScaled, subScaled } from './f64rows';

// @ts-ignore: decorator
@inline function at(H: usize, n: i32, i: i32, j: i32): f64 {
  return load<f64>(H + ((<usize>(i * n + j)) << 3));
}
// @ts-ignore: decorator
@inline function put(H: usize, n: i32, i: i32, j: i32, v: f64): void {
  store<f64>(H + ((<usize>(i * n + j)) << 3), v);
}

/** H (n, n) row-major, in place, to upper Hessenberg form (hqr.ts's toHessenberg); ort, f: (n) work. */
function toHessenberg(H: usize, n: i32, ort: usize, f: usize): void {
  for (let m = 1; m < n - 1; m++) {
    let scale: f64 = 0;
    for (let i = m; i < n; i++) scale += Math.abs(at(H, n, i, m - 1));
    if (scale == 0) continue;
    let h: f64 = 0;
    for (let i = n - 1; i >= m; i--) {
      const o = at(H, n, i, m - 1) / scale;
      store<f64>(ort + ((<usize>i) << 3), o);
      h += o * o;
    }
    const om = load<f64>(ort + ((<usize>m) << 3));
    const g = om > 0 ? -Math.sqrt(h) : Math.sqrt(h);
    h -= om * g;
    store<f64>(ort + ((<usize>m) << 3), om - g);
    // f_j = Σ_i u_i H[i, j], i from n−1 down (as hqr.ts), along rows, two columns at a time.
    memory.fill(f + ((<usize>m) << 3), 0, (<usize>(n - m)) << 3);
    for (let i = n - 1; i >= m; i--) {
      const u = load<f64>(ort + ((<usize>i) << 3));
      if (u == 0) continue;
      addScaled(f, H + ((<usize>(i * n)) << 3), u, m, n);
    }
    for (let j = m; j < n; j++) {
      const o = (<usize>j) << 3;
      store<f64>(f + o, load<f64>(f + o) / h);
    }
    for (let i = m; i < n; i++) {
      const u = load<f64>(ort + ((<usize>i) << 3));
      if (u == 0) continue;
      subScaled(H + ((<usize>(i * n)) << 3), f, u, m, n);
    }
    // H ← H (I − u uᵀ/h): each row's sum as hqr.ts has it (partial sums over j = n−1, n−3, … and
    // n−2, n−4, …: lanes 1 and 0 of one f64x2 loaded at j − 1), four rows at a time.
    const sa = (<usize>n) << 3;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const row = H + ((<usize>(i * n)) << 3);
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let j = n - 1;
      for (; j - 1 >= m; j -= 2) {
        const o = (<usize>(j - 1)) << 3;
        const u = v128.load(ort + o);
        a0 = f64x2.add(a0, f64x2.mul(u, v128.load(row + o)));
        a1 = f64x2.add(a1, f64x2.mul(u, v128.load(row + sa + o)));
        a2 = f64x2.add(a2, f64x2.mul(u, v128.load(row + 2 * sa + o)));
        a3 = f64x2.add(a3, f64x2.mul(u, v128.load(row + 3 * sa + o)));
      }
      if (j >= m) {
        const o = (<usize>j) << 3;
        const uj = load<f64>(ort + o);
        a0 = f64x2.replace_lane(a0, 1, f64x2.extract_lane(a0, 1) + uj * load<f64>(row + o));
        a1 = f64x2.replace_lane(a1, 1, f64x2.extract_lane(a1, 1) + uj * load<f64>(row + sa + o));
        a2 = f64x2.replace_lane(a2, 1, f64x2.extract_lane(a2, 1) + uj * load<f64>(row + 2 * sa + o));
        a3 = f64x2.replace_lane(a3, 1, f64x2.extract_lane(a3, 1) + uj * load<f64>(row + 3 * sa + o));
      }
      subScaled(row, ort, (f64x2.extract_lane(a0, 1) + f64x2.extract_lane(a0, 0)) / h, m, n);
      subScaled(row + sa, ort, (f64x2.extract_lane(a1, 1) + f64x2.extract_lane(a1, 0)) / h, m, n);
      subScaled(row + 2 * sa, ort, (f64x2.extract_lane(a2, 1) + f64x2.extract_lane(a2, 0)) / h, m, n);
      subScaled(row + 3 * sa, ort, (f64x2.extract_lane(a3, 1) + f64x2.extract_lane(a3, 0)) / h, m, n);
    }
    for (; i < n; i++) {
      const row = H + ((<usize>(i * n)) << 3);
      let hi: f64 = 0;
      let lo: f64 = 0;
      let j = n - 1;
      for (; j - 1 >= m; j -= 2) {
        hi += load<f64>(ort + ((<usize>j) << 3)) * load<f64>(row + ((<usize>j) << 3));
        lo += load<f64>(ort + ((<usize>(j - 1)) << 3)) * load<f64>(row + ((<usize>(j - 1)) << 3));
      }
      if (j >= m) hi += load<f64>(ort + ((<usize>j) << 3)) * load<f64>(row + ((<usize>j) << 3));
      subScaled(row, ort, (hi + lo) / h, m, n);
    }
    put(H, n, m, m - 1, scale * g);
    for (let i = m + 1; i < n; i++) put(H, n, i, m - 1, 0);
  }
}

/**
 * The eigenvalues of H (n, n), reduced in place: re, im (n) receive them in hqr.ts's order (NaN
 * where the bounded iteration did not find one); ort, f: (n) work. Returns the sweeps left.
 */
export function hessenberg_eigenvalues(H: usize, n: i32, re: usize, im: usize, ort: usize, f: usize, maxPerValue: i32): i32 {
  toHessenberg(H, n, ort, f);
  for (let i = 0; i < n; i++) {
    store<f64>(re + ((<usize>i) << 3), NaN);
    store<f64>(im + ((<usize>i) << 3), NaN);
  }
  const eps: f64 = 2.220446049250313e-16;
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) norm += Math.abs(at(H, n, i, j));
  let hi = n - 1;
  let iter = 0;
  let exshift: f64 = 0;
  let budget = maxPerValue * max(n, 10);
  let x: f64 = 0;
  let y: f64 = 0;
  let w: f64 = 0;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      let s = Math.abs(at(H, n, l - 1, l - 1)) + Math.abs(at(H, n, l, l));
      if (s == 0) s = norm;
      if (Math.abs(at(H, n, l, l - 1)) < eps * s) break;
      l--;
    }
    if (l == hi) {
      store<f64>(re + ((<usize>hi) << 3), at(H, n, hi, hi) + exshift);
      store<f64>(im + ((<usize>hi) << 3), 0);
      hi--;
      iter = 0;
      continue;
    }
    if (l == hi - 1) {
      w = at(H, n, hi, hi - 1) * at(H, n, hi - 1, hi);
      const p = (at(H, n, hi - 1, hi - 1) - at(H, n, hi, hi)) / 2;
      const q = p * p + w;
      let z = Math.sqrt(Math.abs(q));
      x = at(H, n, hi, hi) + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        store<f64>(re + ((<usize>(hi - 1)) << 3), x + z);
        store<f64>(re + ((<usize>hi) << 3), z != 0 ? x - w / z : x + z);
        store<f64>(im + ((<usize>(hi - 1)) << 3), 0);
        store<f64>(im + ((<usize>hi) << 3), 0);
      } else {
        store<f64>(re + ((<usize>(hi - 1)) << 3), x + p);
        store<f64>(re + ((<usize>hi) << 3), x + p);
        store<f64>(im + ((<usize>(hi - 1)) << 3), z);
        store<f64>(im + ((<usize>hi) << 3), -z);
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (budget-- <= 0) break;
    x = at(H, n, hi, hi);
    y = at(H, n, hi - 1, hi - 1);
    w = at(H, n, hi, hi - 1) * at(H, n, hi - 1, hi);
    if (iter == 10 || (iter > 30 && iter % 20 == 0)) {
      exshift += x;
      for (let i = 0; i <= hi; i++) put(H, n, i, i, at(H, n, i, i) - x);
      const s = Math.abs(at(H, n, hi, hi - 1)) + Math.abs(at(H, n, hi - 1, hi - 2));
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    if (iter == 30 || (iter > 30 && iter % 20 == 10)) {
      let s = (y - x) / 2;
      s = s * s + w;
      if (s > 0) {
        s = Math.sqrt(s);
        if (y < x) s = -s;
        s = x - w / ((y - x) / 2 + s);
        for (let i = 0; i <= hi; i++) put(H, n, i, i, at(H, n, i, i) - s);
        exshift += s;
        x = 0.964;
        y = x;
        w = x;
      }
    }
    iter++;
    let m = hi - 2;
    let p: f64 = 0;
    let q: f64 = 0;
    let r: f64 = 0;
    for (; m >= l; m--) {
      const z = at(H, n, m, m);
      r = x - z;
      const s0 = y - z;
      p = (r * s0 - w) / at(H, n, m + 1, m) + at(H, n, m, m + 1);
      q = at(H, n, m + 1, m + 1) - z - r - s0;
      r = at(H, n, m + 2, m + 1);
      const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m == l) break;
      if (Math.abs(at(H, n, m, m - 1)) * (Math.abs(q) + Math.abs(r)) < eps * (Math.abs(p) * (Math.abs(at(H, n, m - 1, m - 1)) + Math.abs(z) + Math.abs(at(H, n, m + 1, m + 1))))) break;
    }
    for (let i = m + 2; i <= hi; i++) {
      put(H, n, i, i - 2, 0);
      if (i > m + 2) put(H, n, i, i - 3, 0);
    }
    for (let k = m; k <= hi - 1; k++) {
      const notLast = k != hi - 1;
      if (k != m) {
        p = at(H, n, k, k - 1);
        q = at(H, n, k + 1, k - 1);
        r = notLast ? at(H, n, k + 2, k - 1) : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x == 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      let s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s == 0) continue;
      if (k != m) put(H, n, k, k - 1, -s * x);
      else if (l != m) put(H, n, k, k - 1, -at(H, n, k, k - 1));
      p += s;
      x = p / s;
      y = q / s;
      const z = r / s;
      q /= p;
      r /= p;
      // Row modification on rows k, k+1 (, k+2), columns k … hi.
      const r0 = H + ((<usize>(k * n)) << 3);
      const r1 = r0 + ((<usize>n) << 3);
      const r2 = r1 + ((<usize>n) << 3);
      if (notLast) {
        // Elementwise in j: two columns at a time (f64x2) give each entry the same operations.
        const qq = f64x2.splat(q);
        const rr = f64x2.splat(r);
        const xx = f64x2.splat(x);
        const yy = f64x2.splat(y);
        const zz = f64x2.splat(z);
        let j = k;
        for (; j + 1 <= hi; j += 2) {
          const o = (<usize>j) << 3;
          const a0 = v128.load(r0 + o);
          const a1 = v128.load(r1 + o);
          const a2 = v128.load(r2 + o);
          const t = f64x2.add(f64x2.add(a0, f64x2.mul(qq, a1)), f64x2.mul(rr, a2));
          v128.store(r2 + o, f64x2.sub(a2, f64x2.mul(t, zz)));
          v128.store(r0 + o, f64x2.sub(a0, f64x2.mul(t, xx)));
          v128.store(r1 + o, f64x2.sub(a1, f64x2.mul(t, yy)));
        }
        for (; j <= hi; j++) {
          const o = (<usize>j) << 3;
          const t = load<f64>(r0 + o) + q * load<f64>(r1 + o) + r * load<f64>(r2 + o);
          store<f64>(r2 + o, load<f64>(r2 + o) - t * z);
          store<f64>(r0 + o, load<f64>(r0 + o) - t * x);
          store<f64>(r1 + o, load<f64>(r1 + o) - t * y);
        }
      } else {
        for (let j = k; j <= hi; j++) {
          const o = (<usize>j) << 3;
          const t = load<f64>(r0 + o) + q * load<f64>(r1 + o);
          store<f64>(r0 + o, load<f64>(r0 + o) - t * x);
          store<f64>(r1 + o, load<f64>(r1 + o) - t * y);
        }
      }
      const top = min(hi, k + 3);
      for (let i = l; i <= top; i++) {
        let t = x * at(H, n, i, k) + y * at(H, n, i, k + 1);
        if (notLast) {
          t += z * at(H, n, i, k + 2);
          put(H, n, i, k + 2, at(H, n, i, k + 2) - t * r);
        }
        put(H, n, i, k, at(H, n, i, k) - t);
        put(H, n, i, k + 1, at(H, n, i, k + 1) - t * q);
      }
    }
  }
  return budget;
}
