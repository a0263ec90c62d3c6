/**
 * Sequence to sequence: an encoder RNN reads the source, its final state (every layer) starts a
 * decoder RNN of the same cell and size, and the decoder's readout writes the target. Training uses
 * teacher forcing (the decoder reads the true previous symbol); showing uses free running (it reads
 * its own previous guess). The gradient reaches the encoder only through the handed-over state.
 */
import { backpropLayers, globalNorm, readoutAndLoss, runLayers } from './bptt';
import { initModel, type InitSpec } from './init';
import { addColumnSums, addMatMul, addMatMulAT } from './linalg';
import { zeroParams, type CellKind, type Model, type ModelSpec, type Nonlinearity, type Params } from './model';
import type { Rng } from './rng';
import type { Seq2SeqBatch } from './tasks/seq2seq';

export interface Seq2SeqSpec {
  cell: CellKind;
  nonlinearity: Nonlinearity;
  hiddenSize: number;
  numLayers: number;
  /** K: one-hot size of a source symbol; also the decoder's number of output classes */
  sourceSize: number;
  /** K + 1: the decoder reads the symbols plus a start symbol */
  decoderInputSize: number;
}

export interface Seq2SeqModel {
  spec: Seq2SeqSpec;
  /** unidirectional, no readout (outputSize 0) */
  encoder: Model;
  /** unidirectional, readout to K classes */
  decoder: Model;
}

export interface Seq2SeqResult {
  /** (Ttgt, B, K) decoder logits under teacher forcing */
  outputs: Float64Array;
  loss: number;
  /** encoder gradients, then decoder gradients, by state_dict name */
  encoderGrads: Params;
  decoderGrads: Params;
  gradNorm: number;
}

function halfSpec(s: Seq2SeqSpec, inputSize: number, outputSize: number): ModelSpec {
  return { cell: s.cell, nonlinearity: s.nonlinearity, inputSize, hiddenSize: s.hiddenSize, numLayers: s.numLayers, bidirectional: false, outputSize, initialState: 'zero' };
}

export function initSeq2Seq(spec: Seq2SeqSpec, init: InitSpec, rng: Rng): Seq2SeqModel {
  return {
    spec,
    encoder: initModel(halfSpec(spec, spec.sourceSize, 0), init, rng),
    decoder: initModel(halfSpec(spec, spec.decoderInputSize, spec.sourceSize), init, rng),
  };
}

/** Teacher-forced loss (cross-entropy at every decoder step) and gradients of both halves. */
export function seq2seqLossAndGradients(m: Seq2SeqModel, batch: Seq2SeqBatch): Seq2SeqResult {
  const { B, Tsrc, Ttgt } = batch;
  const { encoder, decoder } = m;
  const H = m.spec.hiddenSize;
  const K = m.spec.sourceSize;
  const enc = runLayers(encoder, batch.source, B, Tsrc);
  const dec = runLayers(decoder, batch.decoderInput, B, Ttgt, enc.finalState);
  const top = dec.layerOutputs[m.spec.numLayers - 1]; // (Ttgt, B, H)
  const decBatch = { B, T: Ttgt, inputSize: batch.decoderInputSize, x: batch.decoderInput, target: batch.target };
  const opts = { loss: 'cross_entropy', readout: 'every_step', truncation: null } as const;
  const { outputs, loss, dL_dy } = readoutAndLoss(decoder, top, decBatch, opts);
  const decoderGrads = zeroParams(decoder.spec);
  addMatMulAT(decoderGrads['readout.weight'].data, dL_dy, top, Ttgt * B, K, H);
  addColumnSums(decoderGrads['readout.bias'].data, dL_dy, Ttgt * B, K);
  const dL_dtop = new Float64Array(Ttgt * B * H); // (Ttgt, B, H)
  addMatMul(dL_dtop, dL_dy, decoder.params['readout.weight'].data, Ttgt * B, K, H);
  // The decoder's start state is the encoder's final state: its gradient goes back to the encoder.
  const decBack = backpropLayers(decoder, dec, dL_dtop, decoderGrads, B, Ttgt, null, null, false);
  const encoderGrads = zeroParams(encoder.spec);
  backpropLayers(encoder, enc, new Float64Array(Tsrc * B * H), encoderGrads, B, Tsrc, null, decBack.dL_dinitial, true);
  const gradNorm = Math.hypot(globalNorm(encoderGrads), globalNorm(decoderGrads));
  return { outputs, loss, encoderGrads, decoderGrads, gradNorm };
}

/**
 * Free running: the decoder reads the start symbol, then its own previous argmax, one step at a
 * time from the encoder's final state. Returns (Ttgt, B) predicted ids and (Ttgt, B, K) logits.
 */
export function greedyDecode(m: Seq2SeqModel, source: Float64Array, B: number, Tsrc: number, Ttgt: number): { ids: Int32Array; logits: Float64Array } {
  const K = m.spec.sourceSize;
  const Din = m.spec.decoderInputSize;
  const H = m.spec.hiddenSize;
  let state = runLayers(m.encoder, source, B, Tsrc).finalState;
  const ids = new Int32Array(Ttgt * B); // (Ttgt, B)
  const logits = new Float64Array(Ttgt * B * K); // (Ttgt, B, K)
  const W = m.decoder.params['readout.weight'].data; // (K, H)
  const bias = m.decoder.params['readout.bias'].data; // (K)
  let prev = new Int32Array(B).fill(K); // the start symbol's id is K
  for (let t = 0; t < Ttgt; t++) {
    const x = new Float64Array(B * Din); // (1, B, Din)
    for (let b = 0; b < B; b++) x[b * Din + prev[b]] = 1;
    const step = runLayers(m.decoder, x, B, 1, state);
    state = step.finalState;
    const h = step.layerOutputs[m.spec.numLayers - 1]; // (1, B, H)
    const next = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      let best = 0;
      for (let k = 0; k < K; k++) {
        let s = bias[k];
        for (let j = 0; j < H; j++) s += W[k * H + j] * h[b * H + j];
        logits[(t * B + b) * K + k] = s;
        if (s > logits[(t * B + b) * K + best]) best = k;
      }
      next[b] = best;
      ids[t * B + b] = best;
    }
    prev = next;
  }
  return { ids, logits };
}
