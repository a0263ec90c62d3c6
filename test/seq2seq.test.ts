/** The encoder–decoder: gradients of both halves against finite differences, and free running. */
import { describe, expect, it } from 'vitest';
import type { Params } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { greedyDecode, initSeq2Seq, seq2seqLossAndGradients, type Seq2SeqModel } from '../src/engine/seq2seq';
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
});
