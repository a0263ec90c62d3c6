/**
 * Eigenvalues and eigenvectors of a small symmetric matrix: Householder reduction to tridiagonal
 * form, then the QL iteration with implicit Wilkinson shifts (EISPACK's tred2 and tql2, as JAMA
 * writes them), with a bound on the iterations. The fast analysis takes Ritz values from it many
 * times per analysis (Gram matrices of up to ~24 × 24); cyclic Jacobi, which it replaces, cost
 * ~7× more flops there (~6 sweeps of m³·3 against 4/3·m³ + ~6·m³ with vectors, ~2·m³ without).
 *
 * Bounded: JAMA's tql2 loops until |e_l| ≤ eps·tst1, which never happens once eps·tst1 underflows
 * (entries near 1e-310); here each eigenvalue gets at most MAX_ITERATIONS QL steps and the ones
 * left are NaN, as hqr.ts does.
 */

const MAX_ITERATIONS = 30;

/**
 * Eigenvalues (descending) and, with `vectors`, eigenvectors (the columns of V (m, m), same order)
 * of the symmetric (m, m) matrix G (only read). NaN in, NaN out.
 */
export function symmetricEigen(G: Float64Array, m: number, vectors = true): { values: number[]; V: Float64Array } {
  const V = Float64Array.from(G); // (m, m): G, then the accumulated transformations
  if (G.some(Number.isNaN)) return { values: new Array<number>(m).fill(NaN), V: vectors ? V.fill(NaN) : new Float64Array(0) };
  const d = new Float64Array(m); // (m) the diagonal, then the eigenvalues
  const e = new Float64Array(m); // (m) the subdiagonal
  tridiagonalize(V, m, d, e, vectors);
  tql(V, m, d, e, vectors);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (Number.isNaN(d[a]) ? 1 : Number.isNaN(d[b]) ? -1 : d[b] - d[a]));
  if (!vectors) return { values: order.map((i) => d[i]), V: new Float64Array(0) };
  const sorted = new Float64Array(m * m); // (m, m)
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) sorted[k * m + dst] = V[k * m + src];
  });
  return { values: order.map((i) => d[i]), V: sorted };
}

/** V (m, m) symmetric → tridiagonal (d, e) by Householder (tred2); V becomes the orthogonal factor when `vectors`. */
function tridiagonalize(V: Float64Array, m: number, d: Float64Array, e: Float64Array, vectors: boolean): void {
  const at = (i: number, j: number) => i * m + j;
  for (let j = 0; j < m; j++) d[j] = V[at(m - 1, j)];
  for (let i = m - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[at(i - 1, j)];
        V[at(i, j)] = 0;
        V[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[at(j, i)] = f;
        g = e[j] + V[at(j, j)] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[at(k, j)] * d[k];
          e[k] += V[at(k, j)] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[at(k, j)] -= f * e[k] + g * d[k];
        d[j] = V[at(i - 1, j)];
        V[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  // The transformations, accumulated (only where the vectors are wanted; d needs the last row either way).
  for (let i = 0; i < m - 1; i++) {
    V[at(m - 1, i)] = V[at(i, i)];
    V[at(i, i)] = 1;
    const h = d[i + 1];
    if (h !== 0 && vectors) {
      for (let k = 0; k <= i; k++) d[k] = V[at(k, i + 1)] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[at(k, i + 1)] * V[at(k, j)];
        for (let k = 0; k <= i; k++) V[at(k, j)] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[at(k, i + 1)] = 0;
  }
  for (let j = 0; j < m; j++) {
    d[j] = V[at(m - 1, j)];
    V[at(m - 1, j)] = 0;
  }
  V[at(m - 1, m - 1)] = 1;
  e[0] = 0;
}

/** √(a² + b²) without squaring out of range. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = Math.max(x, y);
  if (big === 0) return 0;
  const r = Math.min(x, y) / big;
  return big * Math.sqrt(1 + r * r);
}

/** The symmetric tridiagonal (d, e) → its eigenvalues in d by implicit QL (tql2), rotating V's columns when `vectors`. */
function tql(V: Float64Array, m: number, d: Float64Array, e: Float64Array, vectors: boolean): void {
  for (let i = 1; i < m; i++) e[i - 1] = e[i];
  e[m - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < m; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let n = l;
    while (n < m - 1 && Math.abs(e[n]) > eps * tst1) n++;
    if (n > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITERATIONS) {
          for (let i = l; i < m; i++) d[i] = NaN; // not found within the bound: NaN, never a hang
          return;
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < m; i++) d[i] -= h;
        f += h;
        p = d[n];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = n - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (vectors)
            for (let k = 0; k < m; k++) {
              const vk1 = V[k * m + i + 1];
              V[k * m + i + 1] = s * V[k * m + i] + c * vk1;
              V[k * m + i] = c * V[k * m + i] - s * vk1;
            }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
