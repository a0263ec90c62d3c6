/**
 * The linear recurrence that lru, mamba, minGRU (and RWKV's numerator and denominator) share,
 *   x_t = a_t ⊙ x_{t−1} + b_t,   t = 0 … T−1,   x_{−1} given (zero unless a state is carried),
 * over n independent channels, real or complex, solved two ways:
 *   loop      one step after another, as the equations read;
 *   parallel  an associative (Hillis–Steele) scan: the pairs (a_t, b_t) compose by
 *             (a_s, b_s) ∘ (a_t, b_t) = (a_t a_s, a_t b_s + b_t), which is associative, so all
 *             prefixes come out of log₂T rounds whose combines are independent of each other (on a
 *             GPU each round is one parallel step). This is why these layers train in parallel
 *             over time while an RNN, whose step is nonlinear in x_{t−1}, cannot (Mamba §3.3).
 * Truncation k detaches the state entering steps k, 2k, … (bptt.ts's `isDetachedAt`): forward, the
 * scan restarts at each detach from the state it reached (the values do not change); backward, the
 * adjoint recurrence restarts from zero there, since no gradient crosses a detached state.
 */
import { isDetachedAt } from '../bptt';

export type ScanMode = 'loop' | 'parallel';

/** A buffer of T rows of n channels, (T, n); `im` null for a real recurrence. */
export interface Rows {
  re: Float64Array;
  im: Float64Array | null;
}

/** X[t] += A[u] · S[s] over the n channels (complex when the buffers have imaginary parts). */
function mulAddRow(X: Rows, t: number, A: Rows, u: number, S: Rows, s: number, n: number): void {
  const { re: Xr, im: Xi } = X;
  const { re: Ar, im: Ai } = A;
  const { re: Sr, im: Si } = S;
  for (let j = 0; j < n; j++) {
    const a = u * n + j;
    const x = s * n + j;
    const o = t * n + j;
    if (Xi && Si) {
      const xr = Sr[x];
      const xi = Si[x];
      const ai = Ai ? Ai[a] : 0; // a real coefficient on a complex state: its imaginary part is 0
      Xr[o] += Ar[a] * xr - ai * xi;
      Xi[o] += Ar[a] * xi + ai * xr;
    } else Xr[o] += Ar[a] * Sr[x];
  }
}

/** A[t] ← A[t] · A[s] over the n channels. */
function mulRow(A: Rows, t: number, s: number, n: number): void {
  const { re: Ar, im: Ai } = A;
  for (let j = 0; j < n; j++) {
    const o = t * n + j;
    const p = s * n + j;
    if (Ai) {
      const r = Ar[o] * Ar[p] - Ai[o] * Ai[p];
      Ai[o] = Ar[o] * Ai[p] + Ai[o] * Ar[p];
      Ar[o] = r;
    } else Ar[o] *= Ar[p];
  }
}

function copyRows(r: Rows, from: number, to: number, n: number): Rows {
  return { re: r.re.slice(from * n, to * n), im: r.im ? r.im.slice(from * n, to * n) : null };
}

/** What a recurrence did, per channel, for engine/costs.ts's closed forms to be checked against:
 *  `rounds` the steps that must wait for one another, `combines` the (a, b) pairs combined. */
export interface ScanCount {
  rounds: number;
  combines: number;
}

/**
 * x (T, n) of x_t = a_t ⊙ x_{t−1} + b_t with x_{−1} = x0 (n), or 0 when x0 is null.
 * @param a (T, n) @param b (T, n) @param count (tests) adds what this run did, after x0 entered
 */
export function linearRecurrence(a: Rows, b: Rows, T: number, n: number, x0: Rows | null, mode: ScanMode, count?: ScanCount): Rows {
  const X = copyRows(b, 0, T, n); // (T, n) becomes x_t in place
  if (T === 0) return X;
  if (x0) mulAddRow(X, 0, a, 0, x0, 0, n); // x_0 = a_0 x_{−1} + b_0: a carried state enters through the first element
  if (mode === 'loop') {
    for (let t = 1; t < T; t++) {
      mulAddRow(X, t, a, t, X, t - 1, n);
      if (count) {
        count.rounds++; // each step waits for the one before
        count.combines++;
      }
    }
    return X;
  }
  const A = copyRows(a, 0, T, n); // (T, n) becomes the product a_t ⋯ a_{t−d+1} of each round
  for (let d = 1; d < T; d *= 2) {
    // Descending t: element t − d is read before this round overwrites it.
    for (let t = T - 1; t >= d; t--) {
      mulAddRow(X, t, A, t, X, t - d, n); // b_t ← a_t b_{t−d} + b_t
      mulRow(A, t, t - d, n); // a_t ← a_t a_{t−d}
      if (count) count.combines++;
    }
    if (count) count.rounds++; // the combines of one round are independent of each other
  }
  return X;
}

/** The chunks [from, to) that truncation k cuts T steps into: each starts where the state is detached. */
export function chunksOf(T: number, truncation: number | null): [number, number][] {
  const chunks: [number, number][] = [];
  let from = 0;
  for (let t = 1; t <= T; t++) {
    if (t === T || isDetachedAt(t, truncation)) {
      chunks.push([from, t]);
      from = t;
    }
  }
  return chunks;
}

/**
 * The forward recurrence with truncation: each chunk is its own scan, restarted from the state the
 * previous chunk reached (detaching changes no value, only where gradients go).
 */
export function recurrenceInChunks(a: Rows, b: Rows, T: number, n: number, x0: Rows | null, truncation: number | null, mode: ScanMode): Rows {
  const x: Rows = { re: new Float64Array(T * n), im: b.im ? new Float64Array(T * n) : null }; // (T, n)
  let carried = x0;
  for (const [from, to] of chunksOf(T, truncation)) {
    const part = linearRecurrence(copyRows(a, from, to, n), copyRows(b, from, to, n), to - from, n, carried, mode);
    x.re.set(part.re, from * n);
    if (x.im && part.im) x.im.set(part.im, from * n);
    carried = copyRows(part, to - from - 1, to - from, n);
  }
  return x;
}

/**
 * The adjoint of the recurrence: given g_t = ∂L/∂x_t through everything but x_{t+1}, the total
 *   λ_t = g_t + conj(a_{t+1}) ⊙ λ_{t+1}    (λ_{T−1} = g_{T−1}),
 * cut where the state entering step t+1 is detached. It is the same recurrence run backward in time
 * (conj: for complex x the gradient ∂L/∂Re x + i ∂L/∂Im x flows back through the conjugate), so
 * each chunk is one reversed scan starting from zero.
 * @param a (T, n) @param g (T, n) @returns λ (T, n)
 */
export function adjointRecurrence(a: Rows, g: Rows, T: number, n: number, truncation: number | null, mode: ScanMode): Rows {
  const lambda: Rows = { re: new Float64Array(T * n), im: g.im ? new Float64Array(T * n) : null }; // (T, n)
  for (const [from, to] of chunksOf(T, truncation)) {
    const L = to - from;
    // Reversed chunk: row r is step to − 1 − r; its coefficient is a of the step after it (row 0's is never used).
    const ar: Rows = { re: new Float64Array(L * n), im: a.im ? new Float64Array(L * n) : null }; // (L, n)
    const gr: Rows = { re: new Float64Array(L * n), im: g.im ? new Float64Array(L * n) : null }; // (L, n)
    for (let r = 0; r < L; r++) {
      const t = to - 1 - r;
      gr.re.set(g.re.subarray(t * n, (t + 1) * n), r * n);
      if (gr.im && g.im) gr.im.set(g.im.subarray(t * n, (t + 1) * n), r * n);
      if (r === 0) continue;
      ar.re.set(a.re.subarray((t + 1) * n, (t + 2) * n), r * n);
      if (ar.im && a.im) for (let j = 0; j < n; j++) ar.im[r * n + j] = -a.im[(t + 1) * n + j]; // conj(a_{t+1})
    }
    const lr = linearRecurrence(ar, gr, L, n, null, mode); // (L, n), reversed
    for (let r = 0; r < L; r++) {
      const t = to - 1 - r;
      lambda.re.set(lr.re.subarray(r * n, (r + 1) * n), t * n);
      if (lambda.im && lr.im) lambda.im.set(lr.im.subarray(r * n, (r + 1) * n), t * n);
    }
  }
  return lambda;
}
