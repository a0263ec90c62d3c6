/**
 * Eigenvalues of a real nonsymmetric matrix with a bound on the work: Householder reduction to
 * Hessenberg form, then the Francis double-shift QR iteration (EISPACK's orthes and hqr, as JAMA
 * writes them, eigenvalues only). ml-matrix runs the same iteration without a bound, and on some
 * graded matrices it cycles forever; here, as in LAPACK, the sweeps are bounded (30·max(n, 10) in
 * all), an exceptional shift is tried after 10 and 30 sweeps without a deflation (as JAMA) and
 * every 10 after that, and an eigenvalue not found within the bound is NaN. The input should
 * already be scaled (see spectra.ts: max |entry| in [1, 2), no entry below 2^−400 of it).
 */

/** Sweeps allowed per eigenvalue, in all (LAPACK allows 30·max(n, 10) per deflation; each sweep costs O(n²)). */
export const MAX_ITERATIONS_PER_EIGENVALUE = 30;

/** H (n, n) row-major, in place, to upper Hessenberg form by Householder similarities (orthes). */
function toHessenberg(H: Float64Array, n: number): void {
  const ort = new Float64Array(n); // (n) the Householder vector of one column
  const f = new Float64Array(n); // (n) uᵀH/h, one entry per column
  for (let m = 1; m < n - 1; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(H[i * n + m - 1]);
    if (scale === 0) continue;
    let h = 0;
    for (let i = n - 1; i >= m; i--) {
      ort[i] = H[i * n + m - 1] / scale;
      h += ort[i] * ort[i];
    }
    const g = ort[m] > 0 ? -Math.sqrt(h) : Math.sqrt(h);
    h -= ort[m] * g;
    ort[m] -= g;
    // H ← (I − u uᵀ/h) H, row by row (f_j summed in the same order as a column walk would, i from
    // n−1 down, but reading H along its rows: ~5× faster at n = 256 than striding down columns).
    f.fill(0, m);
    for (let i = n - 1; i >= m; i--) {
      const u = ort[i];
      if (u === 0) continue;
      const row = i * n;
      for (let j = m; j < n; j++) f[j] += u * H[row + j];
    }
    for (let j = m; j < n; j++) f[j] /= h;
    for (let i = m; i < n; i++) {
      const u = ort[i];
      if (u === 0) continue;
      const row = i * n;
      for (let j = m; j < n; j++) H[row + j] -= f[j] * u;
    }
    for (let i = 0; i < n; i++) {
      // H ← H (I − u uᵀ/h). The row sum as two interleaved partial sums from the top (j = n−1,
      // n−3, … and n−2, n−4, …), so that the wasm build sums each pair of columns in one f64x2
      // and still gives these numbers bit for bit.
      let hi = 0;
      let lo = 0;
      let j = n - 1;
      for (; j - 1 >= m; j -= 2) {
        hi += ort[j] * H[i * n + j];
        lo += ort[j - 1] * H[i * n + j - 1];
      }
      if (j >= m) hi += ort[j] * H[i * n + j];
      let f = hi + lo;
      f /= h;
      for (let j = m; j < n; j++) H[i * n + j] -= f * ort[j];
    }
    H[m * n + m - 1] = scale * g;
    for (let i = m + 1; i < n; i++) H[i * n + m - 1] = 0;
  }
}

/**
 * The eigenvalues of A (n, n) as [re, im] pairs, in the order the iteration deflates them (complex
 * pairs adjacent, positive imaginary part first). A is not modified.
 */
export function hessenbergEigenvalues(A: ArrayLike<number>, n: number): [number, number][] {
  const H = Float64Array.from(A); // (n, n) reduced in place
  toHessenberg(H, n);
  const at = (i: number, j: number) => H[i * n + j];
  const re = new Float64Array(n).fill(NaN); // (n) NaN until found
  const im = new Float64Array(n).fill(NaN); // (n)
  const eps = Number.EPSILON;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(at(i, j));
  let hi = n - 1; // the active block is rows and columns l … hi
  let iter = 0; // sweeps since the last deflation
  let exshift = 0;
  let budget = MAX_ITERATIONS_PER_EIGENVALUE * Math.max(n, 10);
  let x = 0;
  let y = 0;
  let w = 0;
  while (hi >= 0) {
    // The lowest l with every subdiagonal entry between l and hi non-negligible.
    let l = hi;
    while (l > 0) {
      let s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
      if (s === 0) s = norm;
      if (Math.abs(at(l, l - 1)) < eps * s) break;
      l--;
    }
    if (l === hi) {
      // one real eigenvalue deflated
      re[hi] = at(hi, hi) + exshift;
      im[hi] = 0;
      hi--;
      iter = 0;
      continue;
    }
    if (l === hi - 1) {
      // a 2×2 block: two real eigenvalues or a complex pair
      w = at(hi, hi - 1) * at(hi - 1, hi);
      const p = (at(hi - 1, hi - 1) - at(hi, hi)) / 2;
      const q = p * p + w;
      let z = Math.sqrt(Math.abs(q));
      x = at(hi, hi) + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        re[hi - 1] = x + z;
        re[hi] = z !== 0 ? x - w / z : x + z;
        im[hi - 1] = 0;
        im[hi] = 0;
      } else {
        re[hi - 1] = x + p;
        re[hi] = x + p;
        im[hi - 1] = z;
        im[hi] = -z;
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (budget-- <= 0) break; // the rest stay NaN
    x = at(hi, hi);
    y = at(hi - 1, hi - 1);
    w = at(hi, hi - 1) * at(hi - 1, hi);
    if (iter === 10 || (iter > 30 && iter % 20 === 0)) {
      // Wilkinson's ad hoc shift
      exshift += x;
      for (let i = 0; i <= hi; i++) H[i * n + i] -= x;
      const s = Math.abs(at(hi, hi - 1)) + Math.abs(at(hi - 1, hi - 2));
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    if (iter === 30 || (iter > 30 && iter % 20 === 10)) {
      // MATLAB's ad hoc shift
      let s = (y - x) / 2;
      s = s * s + w;
      if (s > 0) {
        s = Math.sqrt(s);
        if (y < x) s = -s;
        s = x - w / ((y - x) / 2 + s);
        for (let i = 0; i <= hi; i++) H[i * n + i] -= s;
        exshift += s;
        x = 0.964;
        y = x;
        w = x;
      }
    }
    iter++;
    // Two consecutive small subdiagonal entries: where the double-shift bulge starts.
    let m = hi - 2;
    let p = 0;
    let q = 0;
    let r = 0;
    for (; m >= l; m--) {
      const z = at(m, m);
      r = x - z;
      const s0 = y - z;
      p = (r * s0 - w) / at(m + 1, m) + at(m, m + 1);
      q = at(m + 1, m + 1) - z - r - s0;
      r = at(m + 2, m + 1);
      const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      if (Math.abs(at(m, m - 1)) * (Math.abs(q) + Math.abs(r)) < eps * (Math.abs(p) * (Math.abs(at(m - 1, m - 1)) + Math.abs(z) + Math.abs(at(m + 1, m + 1))))) break;
    }
    for (let i = m + 2; i <= hi; i++) {
      H[i * n + i - 2] = 0;
      if (i > m + 2) H[i * n + i - 3] = 0;
    }
    // The double QR sweep on rows l … hi and columns m … hi.
    for (let k = m; k <= hi - 1; k++) {
      const notLast = k !== hi - 1;
      if (k !== m) {
        p = at(k, k - 1);
        q = at(k + 1, k - 1);
        r = notLast ? at(k + 2, k - 1) : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x === 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      let s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s === 0) continue;
      if (k !== m) H[k * n + k - 1] = -s * x;
      else if (l !== m) H[k * n + k - 1] = -H[k * n + k - 1];
      p += s;
      x = p / s;
      y = q / s;
      const z = r / s;
      q /= p;
      r /= p;
      for (let j = k; j <= hi; j++) {
        // row modification
        let t = at(k, j) + q * at(k + 1, j);
        if (notLast) {
          t += r * at(k + 2, j);
          H[(k + 2) * n + j] -= t * z;
        }
        H[k * n + j] -= t * x;
        H[(k + 1) * n + j] -= t * y;
      }
      for (let i = l; i <= Math.min(hi, k + 3); i++) {
        // column modification
        let t = x * at(i, k) + y * at(i, k + 1);
        if (notLast) {
          t += z * at(i, k + 2);
          H[i * n + k + 2] -= t * r;
        }
        H[i * n + k] -= t;
        H[i * n + k + 1] -= t * q;
      }
    }
  }
  return Array.from(re, (v, i): [number, number] => [v, im[i]]);
}
