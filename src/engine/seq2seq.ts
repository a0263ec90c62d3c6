/**
 * Sequence to sequence: an encoder RNN reads the source, its final state (every layer) starts a
 * decoder RNN of the same cell and size, and the decoder's readout writes the target. Training uses
 * teacher forcing (the decoder reads the true previous symbol); showing uses free running (it reads
 * its own previous guess). Without attention the gradient reaches the encoder only through the
 * handed-over state: a fixed-size bottleneck however long the source. With attention
 * (./seq2seqAttention.ts) the readout also reads a context c_t fetched from every encoder state, and
 * the gradient reaches each of them directly.
 */
import { backpropLayers, globalNorm, readoutAndLoss, readoutBackward, runLayers } from './bptt';
import { initModel, type InitSpec } from './init';
import { attend, attendBackward, initAttention, type AttentionForward } from './seq2seqAttention';
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
  /** whether the decoder attends over the encoder's top states (default false) */
  attention?: boolean;
}

export interface Seq2SeqModel {
  spec: Seq2SeqSpec;
  /** unidirectional, no readout (outputSize 0) */
  encoder: Model;
  /** unidirectional, readout to K classes */
  decoder: Model;
  /** `attn_combine.*` when the spec asks for attention, else null */
  attention: Params | null;
}

export interface Seq2SeqResult {
  /** (Ttgt, B, K) decoder logits under teacher forcing */
  outputs: Float64Array;
  loss: number;
  /** encoder gradients, then decoder gradients, by state_dict name */
  encoderGrads: Params;
  decoderGrads: Params;
  /** the attention's gradients, or null without attention */
  attentionGrads: Params | null;
  gradNorm: number;
  /** (Ttgt, B, Tsrc) the attention weights α_{t,s} under teacher forcing, or null */
  alpha: Float64Array | null;
  /** per layer, (B, H) the encoder's final state h: what is handed to the decoder */
  handedOver: Float64Array[];
  /** (Tsrc, B, H) total ∂L/∂h_s of the encoder's top layer: without attention it all comes
   *  back through the final state, with attention it also arrives at every s directly */
  encoderHiddenGrads: Float64Array;
}

function halfSpec(s: Seq2SeqSpec, inputSize: number, outputSize: number): ModelSpec {
  return { cell: s.cell, nonlinearity: s.nonlinearity, inputSize, hiddenSize: s.hiddenSize, numLayers: s.numLayers, bidirectional: false, outputSize, initialState: 'zero' };
}

export function initSeq2Seq(spec: Seq2SeqSpec, init: InitSpec, rng: Rng): Seq2SeqModel {
  return {
    spec,
    encoder: initModel(halfSpec(spec, spec.sourceSize, 0), init, rng),
    decoder: initModel(halfSpec(spec, spec.decoderInputSize, spec.sourceSize), init, rng),
    attention: spec.attention ? initAttention(spec.hiddenSize, rng) : null,
  };
}

/** Teacher-forced loss (cross-entropy at every decoder step) and gradients of both halves. */
export function seq2seqLossAndGradients(m: Seq2SeqModel, batch: Seq2SeqBatch): Seq2SeqResult {
  const { B, Tsrc, Ttgt } = batch;
  const { encoder, decoder, attention } = m;
  const H = m.spec.hiddenSize;
  const top = m.spec.numLayers - 1;
  const enc = runLayers(encoder, batch.source, B, Tsrc);
  const dec = runLayers(decoder, batch.decoderInput, B, Ttgt, enc.finalState);
  const encTop = enc.layerOutputs[top]; // (Tsrc, B, H)
  const decTop = dec.layerOutputs[top]; // (Ttgt, B, H)
  const att: AttentionForward | null = attention ? attend(attention, encTop, decTop, B, Tsrc, Ttgt, H) : null;
  const readIn = att ? att.combined : decTop; // (Ttgt, B, H) what the readout reads
  const decBatch = { B, T: Ttgt, inputSize: batch.decoderInputSize, x: batch.decoderInput, target: batch.target };
  const opts = { loss: 'cross_entropy', readout: 'every_step', truncation: null } as const;
  const { outputs, loss, dL_dy } = readoutAndLoss(decoder, readIn, decBatch, opts);
  const decoderGrads = zeroParams(decoder.spec);
  const dL_dreadIn = readoutBackward(decoder, decoderGrads, dL_dy, readIn, Ttgt * B, Ttgt, B, 'every_step'); // (Ttgt, B, H)
  let dL_ddecTop: Float64Array = dL_dreadIn; // (Ttgt, B, H)
  let dL_dencTop: Float64Array = new Float64Array(Tsrc * B * H); // (Tsrc, B, H): without attention only the final state feeds on
  let attentionGrads: Params | null = null;
  if (attention && att) {
    attentionGrads = Object.fromEntries(Object.entries(attention).map(([k, t]) => [k, { shape: [...t.shape], data: new Float64Array(t.data.length) }]));
    const back = attendBackward(attention, attentionGrads, att, encTop, decTop, dL_dreadIn, B, Tsrc, Ttgt, H);
    dL_ddecTop = back.dL_ddec;
    dL_dencTop = back.dL_denc;
  }
  // The decoder's start state is the encoder's final state: its gradient goes back to the encoder.
  const decBack = backpropLayers(decoder, dec, dL_ddecTop, decoderGrads, B, Ttgt, null, null, false);
  const encoderGrads = zeroParams(encoder.spec);
  const encBack = backpropLayers(encoder, enc, dL_dencTop, encoderGrads, B, Tsrc, null, decBack.dL_dinitial, true);
  const gradNorm = Math.hypot(globalNorm(encoderGrads), globalNorm(decoderGrads), attentionGrads ? globalNorm(attentionGrads) : 0);
  return { outputs, loss, encoderGrads, decoderGrads, attentionGrads, gradNorm, alpha: att ? att.alpha : null, handedOver: enc.finalState.h, encoderHiddenGrads: encBack.hiddenGrads };
}

/**
 * Free running: the decoder reads the start symbol, then its own previous argmax, one step at a
 * time from the encoder's final state. Returns (Ttgt, B) predicted ids and (Ttgt, B, K) logits.
 */
export function greedyDecode(m: Seq2SeqModel, source: Float64Array, B: number, Tsrc: number, Ttgt: number): { ids: Int32Array; logits: Float64Array; alpha: Float64Array | null } {
  const K = m.spec.sourceSize;
  const Din = m.spec.decoderInputSize;
  const H = m.spec.hiddenSize;
  const enc = runLayers(m.encoder, source, B, Tsrc);
  const encTop = enc.layerOutputs[m.spec.numLayers - 1]; // (Tsrc, B, H)
  let state = enc.finalState;
  const ids = new Int32Array(Ttgt * B); // (Ttgt, B)
  const logits = new Float64Array(Ttgt * B * K); // (Ttgt, B, K)
  const alpha = m.attention ? new Float64Array(Ttgt * B * Tsrc) : null; // (Ttgt, B, Tsrc)
  const W = m.decoder.params['readout.weight'].data; // (K, H)
  const bias = m.decoder.params['readout.bias'].data; // (K)
  let prev = new Int32Array(B).fill(K); // the start symbol's id is K
  for (let t = 0; t < Ttgt; t++) {
    const x = new Float64Array(B * Din); // (1, B, Din)
    for (let b = 0; b < B; b++) x[b * Din + prev[b]] = 1;
    const step = runLayers(m.decoder, x, B, 1, state);
    state = step.finalState;
    let h = step.layerOutputs[m.spec.numLayers - 1]; // (1, B, H)
    if (m.attention && alpha) {
      const att = attend(m.attention, encTop, h, B, Tsrc, 1, H);
      alpha.set(att.alpha, t * B * Tsrc);
      h = att.combined;
    }
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
  return { ids, logits, alpha };
}
