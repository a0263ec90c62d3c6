/**
 * The Linear Recurrent Unit (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks for Long
 * Sequences"): a diagonal complex linear recurrence with an exponential parametrization.
 *   λ = exp(−exp(nu_log) + i·exp(theta_log))      (N) |λ| = exp(−exp(nu_log)) < 1 always: stable
 *   γ = exp(gamma_log)                            (N) the normalization √(1 − |λ|²) at init
 *   x_t = λ ⊙ x_{t−1} + γ ⊙ (B v_t),  x ∈ ℂᴺ,  B = B_re + i·B_im (N, H)
 *   c_t = Re(C x_t) + D ⊙ v_t,        C = C_re + i·C_im (H, N)
 * Complex gradients are carried as ∂L/∂Re + i·∂L/∂Im (what PyTorch reports for a complex tensor),
 * so they flow back through conj(λ).
 */
import { linear, linearBackward, previousRow, repeatRows, type Mixer } from './mixer';
import { adjointRecurrence, recurrenceInChunks, type Rows } from './scan';

export const lruMixer: Mixer = (p, v, { B, T, H, N }, opts) => {
  const TB = T * B;
  const n = B * N; // channels of the scan: one complex state per sequence and state index
  const r = new Float64Array(N); // (N) |λ|
  const theta = new Float64Array(N); // (N) arg λ
  const lambda: Rows = { re: new Float64Array(N), im: new Float64Array(N) }; // (N)
  const gamma = new Float64Array(N); // (N)
  for (let k = 0; k < N; k++) {
    r[k] = Math.exp(-Math.exp(p.nu_log[k]));
    theta[k] = Math.exp(p.theta_log[k]);
    lambda.re[k] = r[k] * Math.cos(theta[k]);
    (lambda.im as Float64Array)[k] = r[k] * Math.sin(theta[k]);
    gamma[k] = Math.exp(p.gamma_log[k]);
  }
  const Bv_re = linear(v, p.B_re, null, TB, N, H); // (T, B, N) Re(B v_t)
  const Bv_im = linear(v, p.B_im, null, TB, N, H); // (T, B, N) Im(B v_t)
  const b: Rows = { re: new Float64Array(TB * N), im: new Float64Array(TB * N) }; // (T, B, N) γ ⊙ B v_t
  for (let i = 0; i < TB * N; i++) {
    b.re[i] = gamma[i % N] * Bv_re[i];
    (b.im as Float64Array)[i] = gamma[i % N] * Bv_im[i];
  }
  const a: Rows = { re: repeatRows(lambda.re, TB), im: repeatRows(lambda.im as Float64Array, TB) }; // (T, B, N) λ at every step
  const x0: Rows | null = opts.initialState ? { re: opts.initialState[0], im: opts.initialState[1] } : null; // (B, N) each
  const x = recurrenceInChunks(a, b, T, n, x0, opts.truncation, opts.scan); // (T, B, N) complex
  const x_im = x.im as Float64Array;
  // c_t = Re(C x_t) + D ⊙ v_t = C_re x_re − C_im x_im + D ⊙ v_t
  const minus_x_im = x_im.map((e) => -e); // (T, B, N)
  const c = linear(x.re, p.C_re, null, TB, H, N); // (T, B, H)
  const c_im = linear(minus_x_im, p.C_im, null, TB, H, N); // (T, B, H)
  for (let i = 0; i < TB * H; i++) c[i] += c_im[i] + p.D[i % H] * v[i];

  return {
    c,
    finalState: [previousRow(x.re, x0?.re ?? null, T, n).slice(), previousRow(x_im, x0?.im ?? null, T, n).slice()], // (B, N) each: x_{T−1}
    backward(dL_dc, g) {
      const dL_dv = new Float64Array(TB * H); // (T, B, H)
      for (let i = 0; i < TB * H; i++) {
        g.D[i % H] += dL_dc[i] * v[i];
        dL_dv[i] = dL_dc[i] * p.D[i % H];
      }
      // Through Re(C x_t): ∂L/∂C_re = dcᵀ x_re, ∂L/∂C_im = −dcᵀ x_im, ∂L/∂Re x = dc C_re, ∂L/∂Im x = −dc C_im.
      const dL_dx_re = new Float64Array(TB * N); // (T, B, N) ∂L/∂Re x_t through c_t only
      const dL_dx_im = new Float64Array(TB * N); // (T, B, N) ∂L/∂Im x_t through c_t only
      linearBackward(dL_dc, x.re, p.C_re, g.C_re, null, dL_dx_re, TB, H, N);
      linearBackward(dL_dc, minus_x_im, p.C_im, g.C_im, null, dL_dx_im, TB, H, N);
      for (let i = 0; i < dL_dx_im.length; i++) dL_dx_im[i] = -dL_dx_im[i];
      // Every later step included: the adjoint recurrence, back through conj(λ).
      const dL_dx = adjointRecurrence(a, { re: dL_dx_re, im: dL_dx_im }, T, n, opts.truncation, opts.scan); // (T, B, N)
      const dx_re = dL_dx.re;
      const dx_im = dL_dx.im as Float64Array;
      // b_t = γ ⊙ (B v_t): ∂L/∂b_t = ∂L/∂x_t.
      const dL_dBv_re = new Float64Array(TB * N); // (T, B, N)
      const dL_dBv_im = new Float64Array(TB * N); // (T, B, N)
      const dL_dgamma = new Float64Array(N); // (N)
      for (let i = 0; i < TB * N; i++) {
        const k = i % N;
        dL_dgamma[k] += dx_re[i] * Bv_re[i] + dx_im[i] * Bv_im[i];
        dL_dBv_re[i] = gamma[k] * dx_re[i];
        dL_dBv_im[i] = gamma[k] * dx_im[i];
      }
      linearBackward(dL_dBv_re, v, p.B_re, g.B_re, null, dL_dv, TB, N, H);
      linearBackward(dL_dBv_im, v, p.B_im, g.B_im, null, dL_dv, TB, N, H);
      // x_t = λ x_{t−1} + …: ∂L/∂λ = Σ_t ∂L/∂x_t · conj(x_{t−1}) (a detached x_{t−1} still multiplies λ).
      const dL_dlambda_re = new Float64Array(N); // (N)
      const dL_dlambda_im = new Float64Array(N); // (N)
      for (let t = 0; t < T; t++) {
        const xp_re = previousRow(x.re, x0?.re ?? null, t, n); // (B, N)
        const xp_im = previousRow(x_im, x0?.im ?? null, t, n); // (B, N)
        for (let j = 0; j < n; j++) {
          const k = j % N;
          const i = t * n + j;
          dL_dlambda_re[k] += dx_re[i] * xp_re[j] + dx_im[i] * xp_im[j];
          dL_dlambda_im[k] += dx_im[i] * xp_re[j] - dx_re[i] * xp_im[j];
        }
      }
      for (let k = 0; k < N; k++) {
        const cos = Math.cos(theta[k]);
        const sin = Math.sin(theta[k]);
        // λ = r e^{iθ}, r = exp(−exp(nu_log)): ∂r/∂nu_log = −r·exp(nu_log); θ = exp(theta_log).
        const dL_dr = dL_dlambda_re[k] * cos + dL_dlambda_im[k] * sin;
        const dL_dtheta = r[k] * (dL_dlambda_im[k] * cos - dL_dlambda_re[k] * sin);
        g.nu_log[k] += dL_dr * -r[k] * Math.exp(p.nu_log[k]);
        g.theta_log[k] += dL_dtheta * theta[k];
        g.gamma_log[k] += dL_dgamma[k] * gamma[k];
      }
      return dL_dv;
    },
  };
};
