/**
 * Finite-difference checks of every successor kind beyond the six PyTorch cases: 1 and 2 layers,
 * both losses and readouts, with and without truncation, loop and scan; each named array and
 * ∂L/∂x to 1e-6 relative. Under truncation
 * the oracle is the sum over chunks of each chunk's own gradient, its start state held constant
 * (helpers.ts), so nothing in it ever detaches.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, LossKind, Readout } from '../../src/engine/batch';
import { Rng } from '../../src/engine/rng';
import { successorForward, successorLossAndGradients, type SuccessorRunOptions } from '../../src/engine/successors/block';
import { isRecurrentKind, SUCCESSOR_KINDS, type SuccessorKind, type SuccessorModel } from '../../src/engine/successors/spec';
import { relativeError } from '../helpers';
import { randomBatch } from '../randomBatch';
import { randomSuccessorModel, successorSpec, truncatedPieces } from './helpers';

/**
 * Some gradients here are tiny beside the loss (A_log's, through exp(ΔA) with Δ ≈ 0.01: ~1e-5 for a
 * loss of ~8), where a plain central difference drowns in rounding (ε·L/δ). The five-point stencil
 * allows a large δ: its error is O(δ⁴), about 1e-12 at δ = 1e-3, and rounding stays near 1e-12 too.
 */
const DELTA = 1e-3;

/** The five-point central difference of `loss` in the entry i of `a`. */
function centralDifference(a: Float64Array, i: number, loss: () => number): number {
  const keep = a[i];
  const at = (h: number) => {
    a[i] = keep + h;
    const l = loss();
    a[i] = keep;
    return l;
  };
  return (8 * (at(DELTA) - at(-DELTA)) - (at(2 * DELTA) - at(-2 * DELTA))) / (12 * DELTA);
}

/** ∂L/∂θ for every parameter and ∂L/∂x, by central differences of the (piecewise, if truncated) loss. */
function finiteDifferences(model: SuccessorModel, batch: Batch, opts: SuccessorRunOptions): { grads: Record<string, number[]>; inputGrads: Float64Array } {
  const pieces = truncatedPieces(model, batch, opts);
  const grads: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(model.params)) {
    grads[name] = Array.from(t.data, (_, i) => pieces.reduce((sum, piece) => sum + centralDifference(t.data, i, () => successorForward(model, piece.batch, piece.opts).loss), 0));
  }
  const D = batch.inputSize;
  const inputGrads = new Float64Array(batch.x.length); // (T, B, D)
  for (const piece of pieces) {
    const x = piece.batch.x;
    for (let i = 0; i < x.length; i++) inputGrads[piece.from * batch.B * D + i] = centralDifference(x, i, () => successorForward(model, piece.batch, piece.opts).loss);
  }
  return { grads, inputGrads };
}

function expectGradientsMatch(model: SuccessorModel, batch: Batch, opts: SuccessorRunOptions): void {
  const r = successorLossAndGradients(model, batch, opts);
  // attention carries no state, so truncation cuts nothing there: its oracle is the whole sequence
  const fd = finiteDifferences(model, batch, isRecurrentKind(model.spec.cell) ? opts : { ...opts, truncation: null });
  for (const name of Object.keys(model.params)) expect(relativeError(Array.from(r.grads[name].data), fd.grads[name]), name).toBeLessThan(1e-6);
  expect(relativeError(Array.from(r.inputGrads), Array.from(fd.inputGrads)), 'inputGrads').toBeLessThan(1e-6);
}

type Config = [SuccessorKind, number, LossKind, Readout, number | null];
const CONFIGS: Config[] = SUCCESSOR_KINDS.flatMap((cell) => [
  [cell, 1, 'mse', 'every_step', null],
  [cell, 2, 'cross_entropy', 'every_step', null],
  [cell, 1, 'cross_entropy', 'final_step', null],
  [cell, 2, 'mse', 'final_step', null],
  [cell, 1, 'mse', 'every_step', 2],
  [cell, 2, 'cross_entropy', 'every_step', 3],
  [cell, 2, 'mse', 'final_step', 2],
]);

describe('successor gradients match finite differences', () => {
  it.each(CONFIGS)('%s, %i layer(s), %s, %s, truncation %s', (cell, numLayers, loss, readout, truncation) => {
    const spec = successorSpec(cell, { numLayers });
    const model = randomSuccessorModel(spec, 11 + numLayers);
    const batch = randomBatch(new Rng(5), spec, 2, 7, loss, readout);
    for (const scan of ['loop', 'parallel'] as const) expectGradientsMatch(model, batch, { loss, readout, truncation, scan });
  });

  it('hiddenGrads is ∂L/∂o_t of the top layer: a probe added to o_t moves the loss by it', () => {
    // o_t feeds only the readout, so ∂L/∂o_t = W_outᵀ ∂L/∂ŷ_t; check it against a perturbed readout input.
    const spec = successorSpec('mamba', { numLayers: 2 });
    const model = randomSuccessorModel(spec, 3);
    const batch = randomBatch(new Rng(2), spec, 2, 5, 'mse', 'every_step');
    const opts: SuccessorRunOptions = { loss: 'mse', readout: 'every_step', truncation: null };
    const r = successorLossAndGradients(model, batch, opts);
    const W = model.params['readout.weight'].data;
    const Y = spec.outputSize;
    const H = spec.hiddenSize;
    const yhat = successorForward(model, batch, opts).outputs; // (T, B, Y)
    const dL_dy = Float64Array.from(yhat, (y, i) => (y - batch.target[i]) / batch.B); // MSE: (ŷ − y)/B
    for (let row = 0; row < batch.T * batch.B; row++)
      for (let h = 0; h < H; h++) {
        let s = 0;
        for (let k = 0; k < Y; k++) s += dL_dy[row * Y + k] * W[k * H + h];
        expect(r.hiddenGrads[row * H + h]).toBeCloseTo(s, 12);
      }
  });

  it('attention has no state: truncation leaves its gradients unchanged', () => {
    const spec = successorSpec('attention', { numLayers: 2 });
    const model = randomSuccessorModel(spec, 4);
    const batch = randomBatch(new Rng(4), spec, 2, 6, 'mse', 'every_step');
    const full = successorLossAndGradients(model, batch, { loss: 'mse', readout: 'every_step', truncation: null });
    const cut = successorLossAndGradients(model, batch, { loss: 'mse', readout: 'every_step', truncation: 2 });
    for (const name of Object.keys(full.grads)) expect(Array.from(cut.grads[name].data)).toEqual(Array.from(full.grads[name].data));
  });

  it('a carried state (stateful chunks) gives the same outputs as the whole sequence', () => {
    for (const cell of SUCCESSOR_KINDS.filter((k) => k !== 'attention')) {
      const spec = successorSpec(cell, { numLayers: 2 });
      const model = randomSuccessorModel(spec, 9);
      const batch = randomBatch(new Rng(9), spec, 2, 6, 'mse', 'every_step');
      const opts: SuccessorRunOptions = { loss: 'mse', readout: 'every_step', truncation: null };
      const whole = successorForward(model, batch, opts);
      const [first, second] = truncatedPieces(model, batch, { ...opts, truncation: 3 });
      const a = successorForward(model, first.batch, first.opts);
      const b = successorForward(model, second.batch, { ...second.opts, initialState: a.finalState });
      expect(relativeError([...a.outputs, ...b.outputs], Array.from(whole.outputs)), cell).toBeLessThan(1e-14);
    }
  });
});
