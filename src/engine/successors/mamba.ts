/**
 * Mamba's selective state space (S6, Gu & Dao 2023, Algorithm 2), the plain recurrence that
 * mamba_ssm's `selective_scan_ref` computes, with the step size and B, C read from the input:
 *   Δ_t = softplus(dt_proj(v_t))                      (H)    how much of step t to take in
 *   B_t = B_proj(v_t),  C_t = C_proj(v_t)             (N)    what to write, what to read
 *   A = −exp(A_log)                                   (H, N) negative: every channel decays
 *   x_t[h,n] = exp(Δ_t[h]·A[h,n])·x_{t−1}[h,n] + Δ_t[h]·B_t[n]·v_t[h]
 *   c_t[h] = Σ_n C_t[n]·x_t[h,n] + D[h]·v_t[h]
 * A large Δ_t forgets the past and takes v_t in; a small one keeps the state: selectivity.
 */
import { sigmoid } from '../linalg';
import { linear, linearBackward, previousRow, type Mixer } from './mixer';
import { adjointRecurrence, recurrenceInChunks } from './scan';

/** softplus(z) = log(1 + e^z), written so that e^z never overflows. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

export const mambaMixer: Mixer = (p, v, { B, T, H, N }, opts) => {
  const TB = T * B;
  const n = B * H * N; // channels of the scan: x[b, h, n]
  const z = linear(v, p['dt_proj.weight'], p['dt_proj.bias'], TB, H, H); // (T, B, H) Δ before softplus
  const delta = z.map(softplus); // (T, B, H) Δ_t
  const B_t = linear(v, p['B_proj.weight'], null, TB, N, H); // (T, B, N)
  const C_t = linear(v, p['C_proj.weight'], null, TB, N, H); // (T, B, N)
  const A = p.A_log.map((e) => -Math.exp(e)); // (H, N)
  const a = new Float64Array(TB * H * N); // (T, B, H, N) exp(Δ_t[h] A[h,n]), the discretized decay
  const b = new Float64Array(TB * H * N); // (T, B, H, N) Δ_t[h] B_t[n] v_t[h]
  for (let row = 0; row < TB; row++)
    for (let h = 0; h < H; h++) {
      const d = delta[row * H + h];
      for (let k = 0; k < N; k++) {
        const i = (row * H + h) * N + k;
        a[i] = Math.exp(d * A[h * N + k]);
        b[i] = d * B_t[row * N + k] * v[row * H + h];
      }
    }
  const x0 = opts.initialState ? opts.initialState[0] : null; // (B, H, N)
  const x = recurrenceInChunks({ re: a, im: null }, { re: b, im: null }, T, n, x0 ? { re: x0, im: null } : null, opts.truncation, opts.scan).re; // (T, B, H, N)
  const c = new Float64Array(TB * H); // (T, B, H)
  for (let row = 0; row < TB; row++)
    for (let h = 0; h < H; h++) {
      let s = p.D[h] * v[row * H + h];
      for (let k = 0; k < N; k++) s += C_t[row * N + k] * x[(row * H + h) * N + k];
      c[row * H + h] = s;
    }

  return {
    c,
    finalState: [previousRow(x, x0, T, n).slice()], // (B, H, N): x_{T−1}
    backward(dL_dc, g) {
      const dL_dv = new Float64Array(TB * H); // (T, B, H)
      const dL_dC = new Float64Array(TB * N); // (T, B, N)
      const dL_dx_out = new Float64Array(TB * H * N); // (T, B, H, N) ∂L/∂x_t through c_t only
      for (let row = 0; row < TB; row++)
        for (let h = 0; h < H; h++) {
          const dc = dL_dc[row * H + h];
          g.D[h] += dc * v[row * H + h];
          dL_dv[row * H + h] = dc * p.D[h];
          for (let k = 0; k < N; k++) {
            const i = (row * H + h) * N + k;
            dL_dC[row * N + k] += dc * x[i];
            dL_dx_out[i] = dc * C_t[row * N + k];
          }
        }
      const dL_dx = adjointRecurrence({ re: a, im: null }, { re: dL_dx_out, im: null }, T, n, opts.truncation, opts.scan).re; // (T, B, H, N)
      const dL_ddelta = new Float64Array(TB * H); // (T, B, H)
      const dL_dB = new Float64Array(TB * N); // (T, B, N)
      const dL_dA = new Float64Array(H * N); // (H, N)
      for (let t = 0; t < T; t++) {
        const xp = previousRow(x, x0, t, n); // (B, H, N) x_{t−1}
        for (let bi = 0; bi < B; bi++) {
          const row = t * B + bi;
          for (let h = 0; h < H; h++) {
            const d = delta[row * H + h];
            const v_h = v[row * H + h];
            for (let k = 0; k < N; k++) {
              const i = (row * H + h) * N + k;
              const lam = dL_dx[i];
              // through a = exp(Δ A): ∂L/∂(ΔA) = λ_t x_{t−1} a
              const dL_dDeltaA = lam * xp[(bi * H + h) * N + k] * a[i];
              dL_ddelta[row * H + h] += dL_dDeltaA * A[h * N + k] + lam * B_t[row * N + k] * v_h; // and through b = Δ B v
              dL_dA[h * N + k] += dL_dDeltaA * d;
              dL_dB[row * N + k] += lam * d * v_h;
              dL_dv[row * H + h] += lam * d * B_t[row * N + k];
            }
          }
        }
      }
      for (let i = 0; i < H * N; i++) g.A_log[i] += dL_dA[i] * A[i]; // A = −exp(A_log): ∂A/∂A_log = A
      const dL_dz = dL_ddelta.map((e, i) => e * sigmoid(z[i])); // (T, B, H) softplus' = σ
      linearBackward(dL_dz, v, p['dt_proj.weight'], g['dt_proj.weight'], g['dt_proj.bias'], dL_dv, TB, H, H);
      linearBackward(dL_dB, v, p['B_proj.weight'], g['B_proj.weight'], null, dL_dv, TB, N, H);
      linearBackward(dL_dC, v, p['C_proj.weight'], g['C_proj.weight'], null, dL_dv, TB, N, H);
      return dL_dv;
    },
  };
};
