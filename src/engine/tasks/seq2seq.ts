/**
 * Sequence to sequence: read n symbols, then write them reversed (default) or sorted.
 *
 * Data for an encoder–decoder with teacher forcing:
 *   source        (n, B, K)     one-hot symbols 0..K−1, read by the encoder;
 *   decoderInput  (n, B, K + 1) one-hot: step 0 is the start symbol (id K), step i > 0 is the
 *                               correct target symbol i − 1 (the target shifted right by one);
 *   target        (n, B)        class ids 0..K−1 the decoder must output at each step.
 * At inference the decoder is fed its own previous output instead of the true one.
 *
 * Metric: per-token accuracy over all n·B decoder steps; secondary: whole-sequence accuracy.
 * Baseline (a guess that knows the output position but not the source): for 'reverse' each target
 * is uniform, 1/K. For 'sort' the i-th target is the i-th order statistic X₍ᵢ₎ of n uniform
 * symbols, which is far from uniform (position 0 is likely a small id), so the best guess is its
 * mode: baseline = (1/n) Σ_i max_k P(X₍ᵢ₎ = k), with
 *   P(X₍ᵢ₎ ≤ k) = P(at least i + 1 of the n symbols are ≤ k) = Σ_{j>i} C(n, j) F^j (1 − F)^(n−j),
 *   F = (k + 1)/K.
 */
import type { Rng } from '../rng';
import { accuracy, argmaxAt, checkLength, intKnob } from './common';
import type { Seq2SeqSpec, TaskInfo } from './types';

export interface Seq2SeqBatch {
  B: number;
  /** Source steps (n). */
  Tsrc: number;
  /** Target steps (n). */
  Ttgt: number;
  /** K: one-hot size of a source step. */
  sourceSize: number;
  /** K + 1: one-hot size of a decoder input step (the symbols plus the start symbol). */
  decoderInputSize: number;
  /** (Tsrc, B, K) */
  source: Float64Array;
  /** (Ttgt, B, K + 1) */
  decoderInput: Float64Array;
  /** (Ttgt, B) class ids */
  target: Float64Array;
}

export interface Seq2SeqTask {
  /** inputSize is the source size K, outputSize K, T the source length n. */
  info: TaskInfo & { mode: 'reverse' | 'sort'; decoderInputSize: number; startId: number };
  batch(rng: Rng, B: number): Seq2SeqBatch;
  /** Per-token accuracy; outputs (Ttgt, B, K) decoder logits. */
  metric(outputs: Float64Array, batch: Seq2SeqBatch): number;
  /** Fraction of sequences with every token right; outputs (Ttgt, B, K). */
  secondaryMetric(outputs: Float64Array, batch: Seq2SeqBatch): number;
}

function binomial(n: number, j: number): number {
  let c = 1;
  for (let i = 1; i <= j; i++) c = (c * (n - j + i)) / i;
  return c;
}

/** P(X₍ᵢ₎ = k) for the sorted sample of n uniform symbols out of K: (n, K), row i = position i. */
export function orderStatisticPmf(n: number, K: number): Float64Array {
  const pmf = new Float64Array(n * K); // (n, K)
  for (let i = 0; i < n; i++) {
    let prevCdf = 0;
    for (let k = 0; k < K; k++) {
      const F = (k + 1) / K;
      let cdf = 0;
      for (let j = i + 1; j <= n; j++) cdf += binomial(n, j) * F ** j * (1 - F) ** (n - j);
      pmf[i * K + k] = cdf - prevCdf;
      prevCdf = cdf;
    }
  }
  return pmf;
}

export function makeSeq2Seq(spec: Seq2SeqSpec): Seq2SeqTask {
  const mode = spec.mode ?? 'reverse';
  if (mode !== 'reverse' && mode !== 'sort') throw new RangeError(`seq2seq: mode must be 'reverse' or 'sort', got ${String(mode)}`);
  const n = intKnob('seq2seq: n', spec.n, 6, 1, 200);
  const K = intKnob('seq2seq: K', spec.K, 8, 2, 64);
  const startId = K;
  const Din = K + 1; // decoder input: K symbols + start

  let baseline = 1 / K;
  if (mode === 'sort') {
    const pmf = orderStatisticPmf(n, K);
    baseline = 0;
    for (let i = 0; i < n; i++) baseline += Math.max(...pmf.subarray(i * K, (i + 1) * K)) / n;
  }

  const info: Seq2SeqTask['info'] = {
    id: 'seq2seq',
    name: mode === 'reverse' ? 'Reverse a sequence' : 'Sort a sequence',
    description:
      `Read ${n} symbols (out of ${K}), then write them ${mode === 'reverse' ? 'in reverse order' : 'sorted, smallest first'}. ` +
      `An encoder reads the source; a decoder writes the answer one symbol at a time.`,
    inputSize: K,
    outputSize: K,
    T: n,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'per-token accuracy', higherIsBetter: true },
    secondaryMetric: { name: 'whole-sequence accuracy', higherIsBetter: true },
    baseline: {
      value: baseline,
      explanation:
        mode === 'reverse'
          ? `Without reading the source every output symbol is a uniform guess: 1/${K}.`
          : `Without reading the source, the best guess at each output position is the most likely value ` +
            `of that order statistic (small ids first): ${(baseline * 100).toFixed(1)}% of tokens.`,
    },
    floor: { value: 1, explanation: 'The target is a fixed function of the source.' },
    mode,
    decoderInputSize: Din,
    startId,
  };

  function batch(rng: Rng, B: number): Seq2SeqBatch {
    const source = new Float64Array(n * B * K); // (n, B, K)
    const decoderInput = new Float64Array(n * B * Din); // (n, B, K + 1)
    const target = new Float64Array(n * B); // (n, B)
    const seq = new Int32Array(n); // (n) one source sequence
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < n; t++) {
        seq[t] = rng.int(K);
        source[(t * B + b) * K + seq[t]] = 1;
      }
      const out = mode === 'reverse' ? seq.slice().reverse() : seq.slice().sort();
      for (let t = 0; t < n; t++) {
        target[t * B + b] = out[t];
        decoderInput[(t * B + b) * Din + (t === 0 ? startId : out[t - 1])] = 1;
      }
    }
    return { B, Tsrc: n, Ttgt: n, sourceSize: K, decoderInputSize: Din, source, decoderInput, target };
  }

  const metric = (outputs: Float64Array, b: Seq2SeqBatch): number => accuracy(outputs, b.target, undefined, K);

  function secondaryMetric(outputs: Float64Array, b: Seq2SeqBatch): number {
    checkLength('outputs', outputs, b.Ttgt * b.B * K);
    let whole = 0;
    for (let j = 0; j < b.B; j++) {
      let allRight = true;
      for (let t = 0; t < b.Ttgt && allRight; t++) allRight = argmaxAt(outputs, (t * b.B + j) * K, K) === b.target[t * b.B + j];
      if (allRight) whole++;
    }
    return whole / b.B;
  }

  return { info, batch, metric, secondaryMetric };
}
