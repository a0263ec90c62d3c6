/** The encoder–decoder: gradients of both halves against finite differences, and free running. */
import { describe, expect, it } from 'vitest';
import type { Params } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { greedyDecode, initSeq2Seq, seq2seqLossAndGradients, type Seq2SeqModel } from '../src/engine/seq2seq';
import { makeOptimizer } from '../src/engine/optim';
import { attend } from '../src/engine/seq2seqAttention';
import { freeRunning, Seq2SeqLearner, seq2seqParams } from '../src/engine/seq2seqTrain';
import { makeSeq2Seq } from '../src/engine/tasks';
import { relativeError } from './helpers';

function fdCheck(m: Seq2SeqModel, grads: (r: ReturnType<typeof seq2seqLossAndGradients>) => Params, params: Params, batch: Parameters<typeof seq2seqLossAndGradients>[1]) {
  const r = seq2seqLossAndGradients(m, batch);
  const delta = 1e-5;
  for (const [name, t] of Object.entries(params)) {
    const fd = Array.from(t.data, (_, i) => {
      const keep = t.data[i];
      t.data[i] = keep + delta;
      const up = seq2seqLossAndGradients(m, batch).loss;
      t.data[i] = keep - delta;
      const down = seq2seqLossAndGradients(m, batch).loss;
      t.data[i] = keep;
      return (up - down) / (2 * delta);
    });
    expect(relativeError(Array.from(grads(r)[name].data), fd), name).toBeLessThan(1e-6);
  }
}

describe('seq2seq', () => {
  const task = makeSeq2Seq({ kind: 'seq2seq', mode: 'reverse', n: 4, K: 5 });
  it.each(['rnn', 'lstm', 'gru'] as const)('%s: encoder and decoder gradients match finite differences', (cell) => {
    const rng = new Rng(21);
    const m = initSeq2Seq({ cell, nonlinearity: 'tanh', hiddenSize: 4, numLayers: 2, sourceSize: 5, decoderInputSize: 6 }, { scheme: 'pytorch' }, rng);
    const batch = task.batch(rng, 3);
    fdCheck(m, (r) => r.encoderGrads, m.encoder.params, batch);
    fdCheck(m, (r) => r.decoderGrads, m.decoder.params, batch);
  });

  it.each(['rnn', 'lstm', 'gru'] as const)('%s with attention: every gradient (encoder, decoder, W_c, b_c) matches finite differences', (cell) => {
    const rng = new Rng(22);
    const m = initSeq2Seq({ cell, nonlinearity: 'tanh', hiddenSize: 4, numLayers: 2, sourceSize: 5, decoderInputSize: 6, attention: true }, { scheme: 'pytorch' }, rng);
    const batch = task.batch(rng, 3);
    // Larger states than the init gives, so the softmax over s is not near uniform and its
    // backward (the ∂e_{t,s} terms) is really exercised.
    for (const half of [m.encoder, m.decoder]) for (const t of Object.values(half.params)) for (let i = 0; i < t.data.length; i++) t.data[i] *= 3;
    const r = seq2seqLossAndGradients(m, batch);
    const alpha = r.alpha as Float64Array;
    expect(Math.max(...alpha) - Math.min(...alpha)).toBeGreaterThan(0.01);
    for (let row = 0; row < alpha.length / 4; row++) expect(alpha.subarray(row * 4, row * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    fdCheck(m, (r) => r.encoderGrads, m.encoder.params, batch);
    fdCheck(m, (r) => r.decoderGrads, m.decoder.params, batch);
    fdCheck(m, (r) => r.attentionGrads as Params, m.attention as Params, batch);
  });

  it('attention weights: each context c_t is Σ_s α_{t,s} h_s with α from softmax of s_t · h_s (a 1-unit closed form)', () => {
    // H = 1, W_c = [1, 0], b_c = 0: h̃_t = tanh(c_t); with enc states h_s and decoder state s_t the
    // weights are softmax(s_t h_s) by hand.
    const p = { 'attn_combine.weight': { shape: [1, 2], data: new Float64Array([1, 0]) }, 'attn_combine.bias': { shape: [1], data: new Float64Array([0]) } };
    const enc = new Float64Array([0.5, -1, 2]); // (Tsrc = 3, B = 1, H = 1)
    const dec = new Float64Array([0.7]); // (T = 1, B = 1, H = 1)
    const out = attend(p, enc, dec, 1, 3, 1, 1);
    const e = [0.35, -0.7, 1.4].map(Math.exp);
    const z = e.reduce((a, b) => a + b, 0);
    const alpha = e.map((x) => x / z);
    expect(relativeError(Array.from(out.alpha), alpha)).toBeLessThan(1e-15);
    const c = alpha[0] * 0.5 - alpha[1] + 2 * alpha[2];
    expect(out.combined[0]).toBeCloseTo(Math.tanh(c), 15);
  });

  it('free running equals teacher forcing fed with its own guesses', () => {
    const rng = new Rng(4);
    const m = initSeq2Seq({ cell: 'gru', nonlinearity: 'tanh', hiddenSize: 6, numLayers: 1, sourceSize: 5, decoderInputSize: 6 }, { scheme: 'pytorch' }, rng);
    const batch = task.batch(rng, 4);
    const { ids, logits } = greedyDecode(m, batch.source, batch.B, batch.Tsrc, batch.Ttgt);
    // Build the decoder input from the guesses: start symbol, then each previous guess.
    const x = new Float64Array(batch.decoderInput.length);
    for (let t = 0; t < batch.Ttgt; t++) for (let b = 0; b < batch.B; b++) x[(t * batch.B + b) * 6 + (t === 0 ? 5 : ids[(t - 1) * batch.B + b])] = 1;
    const forced = seq2seqLossAndGradients(m, { ...batch, decoderInput: x });
    expect(relativeError(Array.from(forced.outputs), Array.from(logits))).toBeLessThan(1e-14);
  });

  it('with attention, free running equals teacher forcing fed with its own guesses (logits and α)', () => {
    const rng = new Rng(5);
    const m = initSeq2Seq({ cell: 'lstm', nonlinearity: 'tanh', hiddenSize: 6, numLayers: 2, sourceSize: 5, decoderInputSize: 6, attention: true }, { scheme: 'pytorch' }, rng);
    const batch = task.batch(rng, 4);
    const { ids, logits, alpha } = greedyDecode(m, batch.source, batch.B, batch.Tsrc, batch.Ttgt);
    const x = new Float64Array(batch.decoderInput.length);
    for (let t = 0; t < batch.Ttgt; t++) for (let b = 0; b < batch.B; b++) x[(t * batch.B + b) * 6 + (t === 0 ? 5 : ids[(t - 1) * batch.B + b])] = 1;
    const forced = seq2seqLossAndGradients(m, { ...batch, decoderInput: x });
    expect(relativeError(Array.from(forced.outputs), Array.from(logits))).toBeLessThan(1e-14);
    expect(relativeError(Array.from(forced.alpha as Float64Array), Array.from(alpha as Float64Array))).toBeLessThan(1e-14);
  });
});

describe('seq2seq training (engine)', () => {
  const task = makeSeq2Seq({ kind: 'seq2seq', mode: 'reverse', n: 4, K: 5 });
  const spec = { cell: 'gru', nonlinearity: 'tanh', hiddenSize: 6, numLayers: 1, sourceSize: 5, decoderInputSize: 6, attention: true } as const;

  it('a step is clipping then torch.optim.Adam on every tensor (makeOptimizer on the same gradients)', () => {
    const rng = new Rng(7);
    const a = initSeq2Seq(spec, { scheme: 'pytorch' }, new Rng(3));
    const b = initSeq2Seq(spec, { scheme: 'pytorch' }, new Rng(3));
    const learner = new Seq2SeqLearner(a, { name: 'adam', lr: 0.01 }, { kind: 'norm', max: 0.5 });
    const opt = makeOptimizer({ name: 'adam', lr: 0.01 });
    for (let s = 0; s < 3; s++) {
      const batch = task.batch(rng, 4);
      const r = seq2seqLossAndGradients(b, batch);
      const grads: Params = {};
      for (const [k, t] of Object.entries(r.encoderGrads)) grads[`encoder.${k}`] = t;
      for (const [k, t] of Object.entries(r.decoderGrads)) grads[`decoder.${k}`] = t;
      Object.assign(grads, r.attentionGrads);
      const scale = Math.min(1, 0.5 / (r.gradNorm + 1e-6));
      for (const t of Object.values(grads)) for (let i = 0; i < t.data.length; i++) t.data[i] *= scale;
      opt.step(seq2seqParams(b), grads);
      const stats = learner.step(batch);
      expect(stats.applied).toBe(true);
      expect(stats.clipped).toBe(r.gradNorm > 0.5);
      expect(stats.loss).toBe(r.loss);
    }
    expect(relativeError(Object.values(seq2seqParams(a)).map((t) => Array.from(t.data)), Object.values(seq2seqParams(b)).map((t) => Array.from(t.data)))).toBeLessThan(1e-14);
  });

  it.each([NaN, Infinity, 1e300])('a weight of %s: the step is refused and nothing changes', (bad) => {
    const m = initSeq2Seq(spec, { scheme: 'pytorch' }, new Rng(3));
    m.encoder.params['weight_hh_l0'].data[0] = bad;
    const learner = new Seq2SeqLearner(m, { name: 'sgd', lr: 1e10 }, null);
    const before = Object.values(seq2seqParams(m)).map((t) => Array.from(t.data));
    const stats = learner.step(task.batch(new Rng(1), 4));
    const after = Object.values(seq2seqParams(m)).map((t) => Array.from(t.data));
    if (!stats.applied) {
      expect(after).toEqual(before);
      expect(learner.t).toBe(0);
    } else {
      // a huge but finite weight may give a finite step: then every weight is finite
      expect(after.flat().every(Number.isFinite)).toBe(true);
    }
    if (Number.isNaN(bad)) expect(stats.applied).toBe(false);
  });

  it('an update that would overflow a weight is refused and leaves every weight as it was', () => {
    const m = initSeq2Seq(spec, { scheme: 'pytorch' }, new Rng(3));
    m.decoder.params['readout.bias'].data[0] = 1.7e308; // any update of this weight beyond ±1e292 overflows
    const learner = new Seq2SeqLearner(m, { name: 'sgd', lr: -1e300 }, null);
    const before = Object.values(seq2seqParams(m)).map((t) => Array.from(t.data));
    const batch = task.batch(new Rng(1), 4);
    expect(learner.step(batch).applied).toBe(false);
    expect(Object.values(seq2seqParams(m)).map((t) => Array.from(t.data))).toEqual(before);
  });

  it('with attention it learns to reverse 4 symbols: free running above 90 % within 300 steps', () => {
    const m = initSeq2Seq({ ...spec, hiddenSize: 16 }, { scheme: 'pytorch' }, new Rng(3));
    const learner = new Seq2SeqLearner(m, { name: 'adam', lr: 0.01 }, { kind: 'norm', max: 1 });
    const rng = new Rng(9);
    for (let s = 0; s < 300; s++) expect(learner.step(task.batch(rng, 16)).applied).toBe(true);
    const held = freeRunning(m, task.batch(new Rng(99), 200));
    expect(held.accuracy).toBeGreaterThan(0.9);
    expect(held.perPosition.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(held.accuracy, 12);
  });
});
