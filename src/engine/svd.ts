/**
 * Singular values of a row-major matrix, without its singular vectors: Householder reduction to
 * upper bidiagonal form (Golub–Kahan), then the shifted QR iteration on the bidiagonal (Golub and
 * Reinsch, as JAMA and ml-matrix run it), values only and with a bound on the sweeps.
 *
 * Why our own: ml-matrix's SingularValueDecomposition walks columns of an array of rows through
 * get/set calls and took 0.6 s for LSTM's 512 × 512 J_t at H = 256, twice the whole analysis
 * budget; here every reflector is applied along the rows of one Float64Array (4/3·n³ flops a side),
 * ~4× faster for the same arithmetic. ml-matrix stays the reference the tests compare against.
 *
 * The input should already be scaled as ./spectra.ts scales it (max |entry| in [1, 2), no entry
 * below 2^−400 of it): then no square under- or overflows and the iteration's tests are meaningful.
 */

/** Sweeps of the bidiagonal QR allowed per singular value, in all (LAPACK allows 6·n² inner steps ≈ 6·n sweeps of n). */
export const MAX_SWEEPS_PER_VALUE = 75;

/**
 * d (n) and e (n − 1, padded to n) of the bidiagonal B = Qᵀ A P of A (rows, cols), rows ≥ cols = n.
 * A is overwritten (it holds the reflectors' remains).
 */
export function bidiagonalize(A: Float64Array, rows: number, cols: number): { d: Float64Array; e: Float64Array } {
  const n = cols;
  const d = new Float64Array(n); // (n) the diagonal
  const e = new Float64Array(n); // (n) the superdiagonal, e[n−1] = 0
  const w = new Float64Array(n); // (n) vᵀ A for the left reflector, one entry per column
  const v = new Float64Array(rows); // (rows) the current left reflector, v[k] = 1
  for (let k = 0; k < n; k++) {
    // Left: zero A[k+1 …, k] with H = I − τ v vᵀ (LAPACK's dlarfg form, v[k] = 1).
    const alpha = A[k * cols + k];
    let below = 0;
    for (let i = k + 1; i < rows; i++) {
      const a = A[i * cols + k];
      below += a * a;
    }
    if (below === 0) d[k] = alpha;
    else {
      const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + below);
      const tau = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      v[k] = 1;
      for (let i = k + 1; i < rows; i++) v[i] = A[i * cols + k] * inv;
      d[k] = beta;
      // A[k …, k+1 …] −= τ v (vᵀ A[k …, k+1 …]), both passes along rows.
      w.fill(0, k + 1);
      for (let i = k; i < rows; i++) {
        const vi = v[i];
        const row = i * cols;
        for (let j = k + 1; j < n; j++) w[j] += vi * A[row + j];
      }
      for (let i = k; i < rows; i++) {
        const f = tau * v[i];
        const row = i * cols;
        for (let j = k + 1; j < n; j++) A[row + j] -= f * w[j];
      }
    }
    if (k >= n - 1) continue;
    // Right: zero A[k, k+2 …] with G = I − τ u uᵀ applied from the right to rows k+1 … .
    const rowK = k * cols;
    const a = A[rowK + k + 1];
    let rest = 0;
    for (let j = k + 2; j < n; j++) {
      const b = A[rowK + j];
      rest += b * b;
    }
    if (rest === 0) {
      e[k] = a;
      continue;
    }
    const beta = -Math.sign(a || 1) * Math.sqrt(a * a + rest);
    const tau = (beta - a) / beta;
    const inv = 1 / (a - beta);
    A[rowK + k + 1] = 1; // u, kept in row k: u[k+1] = 1
    for (let j = k + 2; j < n; j++) A[rowK + j] *= inv;
    e[k] = beta;
    for (let i = k + 1; i < rows; i++) {
      const row = i * cols;
      // Two interleaved partial sums (offsets even and odd from k+1), so that the wasm build sums
      // each pair of columns in one f64x2 and still gives these numbers bit for bit.
      let s0 = 0;
      let s1 = 0;
      let j = k + 1;
      for (; j + 1 < n; j += 2) {
        s0 += A[row + j] * A[rowK + j];
        s1 += A[row + j + 1] * A[rowK + j + 1];
      }
      if (j < n) s0 += A[row + j] * A[rowK + j];
      let s = s0 + s1;
      s *= tau;
      for (let j = k + 1; j < n; j++) A[row + j] -= s * A[rowK + j];
    }
  }
  return { d, e };
}

/** √(a² + b²) without squaring out of range. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0 || !Number.isFinite(big)) return big === 0 ? 0 : big + x + y; // NaN stays NaN
  const r = (x > y ? y : x) / big;
  return big * Math.sqrt(1 + r * r);
}

/** A plane rotation (c, s, r) with c·f + s·g = r, −s·f + c·g = 0; the identity for f = g = 0. */
function rotation(f: number, g: number): [number, number, number] {
  const r = hypot(f, g);
  return r === 0 ? [1, 0, 0] : [f / r, g / r, r];
}

/**
 * The singular values of the upper bidiagonal (d, e), in place, by the shifted QR iteration (JAMA's
 * SVD, second phase, without vectors). Returns them unsorted and non-negative; a value not found
 * within MAX_SWEEPS_PER_VALUE·n sweeps (never seen; the bound is there so it cannot hang) is NaN.
 */
export function bidiagonalSingularValues(d: Float64Array, e: Float64Array): Float64Array {
  const s = d; // (n)
  let p = s.length;
  const eps = Number.EPSILON;
  const tiny = 2 ** -966;
  let budget = MAX_SWEEPS_PER_VALUE * Math.max(p, 10);
  while (p > 0) {
    // k: the largest index below p − 1 whose e[k] is negligible (−1 when none is).
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    let kase: 1 | 2 | 3 | 4;
    if (k === p - 2) kase = 4;
    else {
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // s[p−1] is negligible: chase e[p−2] up and out.
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const [cs, sn, t] = rotation(s[j], f);
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
      }
    } else if (kase === 2) {
      // s[k−1] is negligible: split there.
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const [cs, sn, t] = rotation(s[j], f);
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
      }
    } else if (kase === 3) {
      if (budget-- <= 0) {
        for (let j = k; j < p; j++) s[j] = NaN; // the unconverged block: NaN, as hqr leaves them
        p = k;
        continue;
      }
      // One QR sweep on rows and columns k … p−1, with the Wilkinson-like shift of JAMA.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let [cs, sn, t] = rotation(f, g);
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        [cs, sn, t] = rotation(f, g);
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
      }
      e[p - 2] = f;
    } else {
      // Converged: s[k] is a singular value.
      if (s[k] < 0) s[k] = -s[k];
      p--;
    }
  }
  return s;
}
