/**
 * The wasm backend's orchestration: src/engine/bptt.ts step for step, on float32 buffers in the
 * module's linear memory (./layout.ts), with the work in SIMD kernels (./assembly). What differs
 * from the engine is only where the products are batched:
 *
 *   forward   a_t = W_ih x_t + b for all T steps at once, one (T·B)-row product per layer and
 *             direction; then per step a_t += W_hh h_{t−1} and the cell's elementwise step.
 *   backward  per step the cell's backward and ∂L/∂h_{t−1} = ∂L/∂a_t · W_hh; ∂L/∂a is kept for
 *             every step, so that ∂W_ih, ∂W_hh, the bias gradients and ∂L/∂x (the layer below's
 *             output gradient) are each one product over all T·B rows after the sweep.
 *
 * Truncation detaches in each direction's own processing order (isDetachedAt), a learned h0/c0
 * collects what reaches the start state, a stateful initialState is a constant.
 */
import type { Batch } from '../../engine/batch';
import { isDetachedAt, timeOf, type RecurrentState, type RunOptions } from '../../engine/bptt';
import type { ClipSpec } from '../../engine/clip';
import type { Model, Params } from '../../engine/model';
import type { OptimizerSpec } from '../../engine/optim';
import { batchLayout, modelLayout, type BatchLayout, type LayerDirCache, type LayerDirSlots, type ModelLayout } from './layout';
import type { WasmKernels } from './loader';
import { lossAndGradientInto } from '../../engine/loss';

const ACTIVATION = { tanh: 0, relu: 1, linear: 2 } as const;
const PAGE = 65536;

export class WasmTrainer {
  private view: Float32Array;
  private m: ModelLayout | null = null;
  private b: BatchLayout | null = null;
  /** rows of the readout in the last run: T·B (every step) or B (final step), from row `readRow` */
  private N = 0;
  private readRow = 0;
  private optimizer: { name: OptimizerSpec['name']; t: number } | null = null;

  constructor(private readonly k: WasmKernels) {
    this.view = new Float32Array(k.memory.buffer);
  }

  /** Float32 view of the whole memory, renewed after the memory grew (which detaches the old one). */
  private get f(): Float32Array {
    if (this.view.buffer !== this.k.memory.buffer) this.view = new Float32Array(this.k.memory.buffer);
    return this.view;
  }

  private model(): ModelLayout {
    if (!this.m) throw new Error('wasm backend: setModel first');
    return this.m;
  }

  private batch(): BatchLayout {
    if (!this.b) throw new Error('wasm backend: run a batch first');
    return this.b;
  }

  private reserve(endBytes: number): void {
    const have = this.k.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(endBytes / PAGE);
    if (need <= have) return;
    try {
      this.k.memory.grow(need - have);
    } catch {
      throw new Error(`wasm backend: this model and batch need ${Math.ceil(endBytes / 2 ** 20)} MiB, more memory than WebAssembly gives here`);
    }
  }

  get hasModel(): boolean {
    return this.m !== null;
  }

  /** Lays out and uploads the weights; resets the optimizer. */
  setModel(model: Model): void {
    const m = modelLayout(model.spec, Math.max(this.k.heap_base(), 1024));
    this.reserve(m.end);
    const f = this.f;
    f.fill(0, m.params >> 2, m.end >> 2);
    for (const t of m.tensors) {
      const src = model.params[t.name];
      if (!src || src.data.length !== t.size) throw new Error(`wasm backend: parameter ${t.name} is missing or has the wrong size`);
      f.set(src.data, (m.params >> 2) + t.offset);
    }
    this.m = m;
    this.b = null;
    this.optimizer = null;
    this.refreshTransposes();
  }

  /** W_ihᵀ, W_hhᵀ, W_outᵀ from the weights, after an upload or an update. */
  private refreshTransposes(): void {
    const m = this.model();
    const GH = m.G * m.H;
    for (const s of m.layers) {
      this.k.transpose(s.W_ihT, m.ldT, s.W_ih, GH, s.D);
      this.k.transpose(s.W_hhT, m.ldT, s.W_hh, GH, m.H);
    }
    this.k.transpose(m.W_outT, m.Y, m.W_out, m.Y, m.Hd);
  }

  private tensors(block: number): Params {
    const m = this.model();
    const f = this.f;
    const out: Params = {};
    for (const t of m.tensors) {
      const o = (block >> 2) + t.offset;
      out[t.name] = { shape: [...t.shape], data: new Float64Array(f.subarray(o, o + t.size)) };
    }
    return out;
  }

  readParams(): Params {
    return this.tensors(this.model().params);
  }

  grads(): Params {
    return this.tensors(this.model().grads);
  }

  /** Forward, loss and BPTT; the gradients are left in the gradient block. Returns the loss. */
  run(batch: Batch, opts: RunOptions): number {
    const m = this.model();
    const { Y } = m;
    const { B, T } = batch;
    this.validate(batch, opts);
    if (!this.b || this.b.B !== B || this.b.T !== T) {
      const b = batchLayout(m, B, T);
      this.reserve(b.end);
      this.b = b;
    }
    const b = this.b;
    const f = this.f;
    f.set(batch.x, b.x >> 2);
    const every = opts.readout === 'every_step';
    this.N = every ? T * B : B;
    this.readRow = every ? 0 : (T - 1) * B;
    this.forward(opts);
    const mask = every ? (batch.mask ?? null) : null;
    const outputs = f.subarray(b.outputs >> 2, (b.outputs >> 2) + this.N * Y);
    const dL_dy = f.subarray(b.dL_dy >> 2, (b.dL_dy >> 2) + this.N * Y);
    const loss = lossAndGradientInto(opts.loss, outputs, batch.target, mask, this.N, Y, B, dL_dy);
    this.backward(opts);
    return loss;
  }

  private validate(batch: Batch, opts: RunOptions): void {
    const { spec, Y, dirs, H } = this.model();
    const { B, T } = batch;
    if (!(Number.isInteger(B) && B >= 1 && Number.isInteger(T) && T >= 1)) throw new Error(`wasm backend: bad batch size B=${B}, T=${T}`);
    if (batch.inputSize !== spec.inputSize || batch.x.length !== T * B * spec.inputSize)
      throw new Error(`wasm backend: the batch has ${batch.inputSize} inputs per step; the model takes ${spec.inputSize}`);
    const N = opts.readout === 'every_step' ? T * B : B;
    if (batch.target.length !== N * (opts.loss === 'mse' ? Y : 1)) throw new Error('wasm backend: the targets do not fit the readout and loss');
    if (opts.truncation !== null && !(Number.isInteger(opts.truncation) && opts.truncation >= 1))
      throw new Error('wasm backend: truncation must be null or a whole number ≥ 1');
    const s = opts.initialState;
    if (s) {
      const n = spec.numLayers * dirs;
      if (s.h.length !== n || s.h.some((h) => h.length !== B * H)) throw new Error('wasm backend: initialState.h must hold (B, H) per layer and direction');
      if (spec.cell === 'lstm' && (!s.c || s.c.length !== n || s.c.some((c) => c.length !== B * H)))
        throw new Error('wasm backend: an LSTM initialState needs c, (B, H) per layer and direction');
    }
  }

  /** The state before the first step: the carried stream state, the learned h0/c0, or zeros. */
  private initState(opts: RunOptions, i: number, s: LayerDirSlots, c: LayerDirCache, B: number): void {
    const { H, spec } = this.model();
    const f = this.f;
    const lstm = spec.cell === 'lstm';
    const fill = (dst: number, src: number): void => {
      if (src) for (let b = 0; b < B; b++) f.copyWithin((dst >> 2) + b * H, src >> 2, (src >> 2) + H);
      else f.fill(0, dst >> 2, (dst >> 2) + B * H);
    };
    if (opts.initialState) {
      f.set(opts.initialState.h[i], c.h_init >> 2);
      if (lstm) f.set((opts.initialState.c as Float64Array[])[i], c.c_init >> 2);
    } else {
      fill(c.h_init, s.h0);
      if (lstm) fill(c.c_init, s.c0);
    }
  }

  private forward(opts: RunOptions): void {
    const m = this.model();
    const b = this.batch();
    const k = this.k;
    const { spec, G, H, Hd, Y, ldT } = m;
    const { B, T } = b;
    const GH = G * H;
    const TB = T * B;
    const lstm = spec.cell === 'lstm';
    const gru = spec.cell === 'gru';
    const act = ACTIVATION[spec.nonlinearity];
    const zeroInit = !opts.initialState && spec.initialState !== 'learned';
    m.layers.forEach((s, i) => {
      const c = b.caches[i];
      const { l, dir, D } = s;
      const input = l === 0 ? b.x : b.out[l - 1]; // (T, B, D)
      const out = b.out[l]; // (T, B, H·dirs)
      // a = W_ih x + b_ih (+ b_hh, except GRU, whose b_hh sits inside r ⊙ (·)) for every step at once
      k.fill_rows(c.gates, TB, GH, GH, s.b_ih, gru ? 0 : s.b_hh);
      k.gemm_nn(TB, GH, D, input, D, s.W_ihT, ldT, c.gates, GH);
      this.initState(opts, i, s, c, B);
      for (let p = 0; p < T; p++) {
        const t = timeOf(p, dir, T);
        const tp = timeOf(p - 1, dir, T);
        const hprev = p === 0 ? c.h_init : out + (tp * B * Hd + dir * H) * 4; // (B, H), row stride ldp
        const ldp = p === 0 ? H : Hd;
        const skip = p === 0 && zeroInit; // W_hh · 0
        const a_t = c.gates + t * B * GH * 4; // (B, G·H)
        const h_t = out + (t * B * Hd + dir * H) * 4; // (B, H), row stride H·dirs
        if (gru) {
          k.fill_rows(b.gh, B, GH, GH, s.b_hh, 0);
          if (!skip) k.gemm_nn(B, GH, H, hprev, ldp, s.W_hhT, ldT, b.gh, GH);
          k.gru_fwd(B, H, a_t, b.gh, hprev, ldp, c.hn + t * B * H * 4, h_t, Hd);
        } else {
          if (!skip) k.gemm_nn(B, GH, H, hprev, ldp, s.W_hhT, ldT, a_t, GH);
          if (lstm) {
            const cprev = p === 0 ? c.c_init : c.c + tp * B * H * 4;
            k.lstm_fwd(B, H, a_t, cprev, c.c + t * B * H * 4, c.tc + t * B * H * 4, h_t, Hd);
          } else k.rnn_fwd(act, B, H, a_t, h_t, Hd);
        }
      }
    });
    // ŷ = W_out h + b_out, at every step or at the last one
    const readIn = b.out[spec.numLayers - 1] + this.readRow * Hd * 4; // (N, H·dirs)
    k.fill_rows(b.outputs, this.N, Y, Y, m.b_out, 0);
    k.gemm_nn(this.N, Y, Hd, readIn, Hd, m.W_outT, Y, b.outputs, Y);
  }

  private backward(opts: RunOptions): void {
    const m = this.model();
    const b = this.batch();
    const k = this.k;
    const f = this.f;
    const { spec, G, H, Hd, Y } = m;
    const { B, T } = b;
    const GH = G * H;
    const TB = T * B;
    const N = this.N;
    const lstm = spec.cell === 'lstm';
    const gru = spec.cell === 'gru';
    const act = ACTIVATION[spec.nonlinearity];
    const zeroInit = !opts.initialState && spec.initialState !== 'learned';
    const h0Grad = !opts.initialState && spec.initialState === 'learned';
    const zero = (p: number, floats: number): void => void f.fill(0, p >> 2, (p >> 2) + floats);
    zero(m.grads, m.P);

    // Readout: ∂W_out, ∂b_out, and the direct ∂L/∂h of the top layer's output.
    const top = spec.numLayers - 1;
    const readIn = b.out[top] + this.readRow * Hd * 4; // (N, H·dirs)
    k.gemm_tn(Y, Hd, N, b.dL_dy, Y, readIn, Hd, m.gW_out, Hd);
    k.col_sums(m.gb_out, b.dL_dy, N, Y, Y);
    zero(b.dOut[top], TB * Hd);
    k.gemm_nn(N, Hd, Y, b.dL_dy, Y, m.W_out, Hd, b.dOut[top] + this.readRow * Hd * 4, Hd);

    for (let l = top; l >= 0; l--) {
      const dIn = l > 0 ? b.dOut[l - 1] : 0; // (T, B, D_l): ∂L/∂ of this layer's input
      if (dIn) zero(dIn, TB * Hd);
      const out = b.out[l];
      const dOut = b.dOut[l];
      for (let dir = 0; dir < m.dirs; dir++) {
        const i = l * m.dirs + dir;
        const s = m.layers[i];
        const c = b.caches[i];
        const D = s.D;
        const input = l === 0 ? b.x : b.out[l - 1];
        const dgh = gru ? b.dgh : b.dA; // what W_hh and b_hh see
        zero(b.dnext, B * H);
        if (lstm) zero(b.dcnext, B * H);
        for (let p = T - 1; p >= 0; p--) {
          const t = timeOf(p, dir, T);
          const tp = timeOf(p - 1, dir, T);
          const hprev = p === 0 ? c.h_init : out + (tp * B * Hd + dir * H) * 4;
          const ldp = p === 0 ? H : Hd;
          const a_t = c.gates + t * B * GH * 4;
          const dA_t = b.dA + t * B * GH * 4;
          const dOut_t = dOut + (t * B * Hd + dir * H) * 4;
          if (gru) k.gru_bwd(B, H, a_t, c.hn + t * B * H * 4, hprev, ldp, dOut_t, Hd, b.dnext, dA_t, b.dgh + t * B * GH * 4);
          else if (lstm) {
            const cprev = p === 0 ? c.c_init : c.c + tp * B * H * 4;
            k.lstm_bwd(B, H, a_t, cprev, c.tc + t * B * H * 4, dOut_t, Hd, b.dnext, b.dcnext, dA_t);
          } else k.rnn_bwd(act, B, H, a_t, dOut_t, Hd, b.dnext, dA_t);
          if (isDetachedAt(p, opts.truncation)) {
            // The state entering this step was detached: no gradient crosses the chunk boundary.
            zero(b.dnext, B * H);
            if (lstm) zero(b.dcnext, B * H);
          } else if (p > 0 || h0Grad) {
            k.gemm_nn(B, H, GH, dgh + t * B * GH * 4, GH, s.W_hh, H, b.dnext, H);
          }
        }
        // What reaches the start state trains the learned initial state, summed over the batch.
        if (h0Grad) {
          k.col_sums(s.gh0, b.dnext, B, H, H);
          if (lstm) k.col_sums(s.gc0, b.dcnext, B, H, H);
        }
        // Weight and bias gradients over all T·B rows at once.
        k.gemm_tn(GH, D, TB, b.dA, GH, input, D, s.gW_ih, D);
        if (T > 1) {
          // ∂a_t pairs with h_{t−1} (forward) or h_{t+1} (reverse): the same rows shifted by one step.
          if (dir === 0) k.gemm_tn(GH, H, (T - 1) * B, dgh + B * GH * 4, GH, out + dir * H * 4, Hd, s.gW_hh, H);
          else k.gemm_tn(GH, H, (T - 1) * B, dgh, GH, out + (B * Hd + dir * H) * 4, Hd, s.gW_hh, H);
        }
        if (!zeroInit) k.gemm_tn(GH, H, B, dgh + timeOf(0, dir, T) * B * GH * 4, GH, c.h_init, H, s.gW_hh, H);
        k.col_sums(s.gb_ih, b.dA, TB, GH, GH);
        k.col_sums(s.gb_hh, dgh, TB, GH, GH);
        if (dIn) k.gemm_nn(TB, D, GH, b.dA, GH, s.W_ih, D, dIn, D);
      }
    }
  }

  /** ‖g‖₂ over every parameter, before clipping */
  gradNorm(): number {
    const m = this.model();
    return Math.sqrt(this.k.sumsq(m.grads, m.P));
  }

  /** Clips the gradients in place, as src/engine/clip.ts. */
  clip(clip: ClipSpec, normBefore: number): { clipped: boolean; normAfter: number } {
    const m = this.model();
    if (clip === null) return { clipped: false, normAfter: normBefore };
    let clipped = false;
    if (clip.kind === 'norm') {
      const scale = clip.max / (normBefore + 1e-6);
      if (scale < 1) {
        clipped = true;
        this.k.scale(m.grads, m.P, scale);
      }
    } else {
      clipped = this.k.clamp(m.grads, m.P, clip.max) > 0;
    }
    return { clipped, normAfter: clipped ? this.gradNorm() : normBefore };
  }

  /** Before a training step, as the reference backend does: a new optimizer kind starts from fresh state. */
  useOptimizer(spec: OptimizerSpec): void {
    const m = this.model();
    if (this.optimizer && this.optimizer.name === spec.name) return;
    this.f.fill(0, m.moment1 >> 2, (m.moment1 >> 2) + m.P);
    this.f.fill(0, m.moment2 >> 2, (m.moment2 >> 2) + m.P);
    this.optimizer = { name: spec.name, t: 0 };
  }

  /** One optimizer update from the gradient block; the state carries over, the learning rate is read now. */
  update(spec: OptimizerSpec): void {
    const m = this.model();
    const k = this.k;
    this.useOptimizer(spec);
    const t = ++(this.optimizer as { t: number }).t;
    if (spec.name === 'sgd') k.sgd(m.params, m.grads, m.moment1, m.P, spec.lr, spec.momentum ?? 0, t === 1 ? 1 : 0);
    else if (spec.name === 'adam') {
      const [beta1, beta2] = spec.betas ?? [0.9, 0.999];
      const bc1 = 1 - Math.pow(beta1, t);
      const bc2 = 1 - Math.pow(beta2, t);
      k.adam(m.params, m.grads, m.moment1, m.moment2, m.P, spec.lr, beta1, beta2, spec.eps ?? 1e-8, bc1, Math.sqrt(bc2));
    } else k.rmsprop(m.params, m.grads, m.moment1, m.P, spec.lr, spec.alpha ?? 0.99, spec.eps ?? 1e-8);
    this.refreshTransposes();
  }

  /** (N, Y) the last run's outputs */
  outputs(): Float64Array {
    const b = this.batch();
    const o = b.outputs >> 2;
    return new Float64Array(this.f.subarray(o, o + this.N * this.model().Y));
  }

  /** (T, B, H·dirs) total ∂L/∂h_t of the top layer, from the last run */
  hiddenGrads(): Float64Array {
    const b = this.batch();
    const o = b.dOut[this.model().spec.numLayers - 1] >> 2;
    return new Float64Array(this.f.subarray(o, o + b.T * b.B * this.model().Hd));
  }

  /** (T, B, H·dirs) the top layer's hidden states, from the last run */
  hiddenStates(): Float64Array {
    const b = this.batch();
    const o = b.out[this.model().spec.numLayers - 1] >> 2;
    return new Float64Array(this.f.subarray(o, o + b.T * b.B * this.model().Hd));
  }

  /** The state after each direction's last step, per layer and direction (l·dirs + dir): what a
   *  stream's next chunk starts from. */
  finalState(): RecurrentState {
    const b = this.batch();
    const m = this.model();
    const { B, T } = b;
    const H = m.spec.hiddenSize;
    const dirs = m.spec.bidirectional ? 2 : 1;
    const lstm = m.spec.cell === 'lstm';
    const f = this.f;
    const state: RecurrentState = { h: [], c: lstm ? [] : null };
    for (let l = 0; l < m.spec.numLayers; l++)
      for (let dir = 0; dir < dirs; dir++) {
        const t = timeOf(T - 1, dir, T);
        const h = new Float64Array(B * H); // (B, H)
        const out = b.out[l] >> 2; // (T, B, H·dirs)
        for (let bb = 0; bb < B; bb++) h.set(f.subarray(out + (t * B + bb) * m.Hd + dir * H, out + (t * B + bb) * m.Hd + dir * H + H), bb * H);
        state.h.push(h);
        if (state.c) {
          const c = b.caches[l * dirs + dir].c >> 2; // (T, B, H)
          state.c.push(new Float64Array(f.subarray(c + t * B * H, c + (t + 1) * B * H)));
        }
      }
    return state;
  }
}
