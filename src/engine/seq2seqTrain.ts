/**
 * Training the encoder–decoder in float64: one step is the teacher-forced loss and gradients
 * (./seq2seq.ts), clipping (./clip.ts) and the optimizer's update (./plan.ts, the formulas every
 * backend uses), over every tensor of both halves and the attention. A step whose loss, gradient
 * or updated weights are not finite is refused and leaves the weights and the optimizer's moments
 * as they were, so training can never carry a NaN forward.
 */
import { clipGradients, type ClipSpec } from './clip';
import type { Params } from './model';
import type { OptimizerSpec } from './optim';
import { applyOptimizer, updatePlan } from './plan';
import { greedyDecode, seq2seqLossAndGradients, type Seq2SeqModel, type Seq2SeqResult } from './seq2seq';
import type { Seq2SeqBatch } from './tasks/seq2seq';

/** Every tensor of the model under one name each (`encoder.`, `decoder.` prefixes; `attn_combine.*`), the same arrays. */
export function seq2seqParams(m: Seq2SeqModel): Params {
  return joinHalves(m.encoder.params, m.decoder.params, m.attention);
}

function joinHalves(encoder: Params, decoder: Params, attention: Params | null): Params {
  const all: Params = {};
  for (const [k, t] of Object.entries(encoder)) all[`encoder.${k}`] = t;
  for (const [k, t] of Object.entries(decoder)) all[`decoder.${k}`] = t;
  if (attention) Object.assign(all, attention);
  return all;
}

export interface Seq2SeqStepStats {
  /** false: the loss, the gradient or the update was not finite, and nothing changed */
  applied: boolean;
  /** the teacher-forced loss: cross-entropy summed over the target's steps, averaged over the batch */
  loss: number;
  gradNormBefore: number;
  gradNormAfter: number;
  clipped: boolean;
  /** the forward pass the step trained on (teacher-forced logits, α, the handed-over state) */
  result: Seq2SeqResult;
}

function allFinite(params: Params): boolean {
  for (const t of Object.values(params)) for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) return false;
  return true;
}

/** The optimizer's state over every tensor of one model; `step` trains it in place. */
export class Seq2SeqLearner {
  /** per tensor name: the optimizer's two moment buffers (same shape as the tensor) */
  private moments = new Map<string, [Float64Array, Float64Array]>();
  /** updates applied so far (Adam's bias correction counts these) */
  t = 0;

  constructor(
    readonly model: Seq2SeqModel,
    public optimizer: OptimizerSpec,
    public clip: ClipSpec,
  ) {}

  step(batch: Seq2SeqBatch): Seq2SeqStepStats {
    const result = seq2seqLossAndGradients(this.model, batch);
    const refused = { applied: false, loss: result.loss, gradNormBefore: result.gradNorm, gradNormAfter: result.gradNorm, clipped: false, result };
    if (!Number.isFinite(result.loss) || !Number.isFinite(result.gradNorm)) return refused;
    const grads = joinHalves(result.encoderGrads, result.decoderGrads, result.attentionGrads);
    const clip = clipGradients(grads, this.clip);
    const params = seq2seqParams(this.model);
    // Kept until the update is known to be finite (a huge learning rate can overflow a weight).
    const before = new Map<string, [Float64Array, Float64Array, Float64Array]>();
    const plan = updatePlan(this.optimizer, this.clip, this.t + 1);
    for (const [name, p] of Object.entries(params)) {
      let s = this.moments.get(name);
      if (!s) this.moments.set(name, (s = [new Float64Array(p.data.length), new Float64Array(p.data.length)]));
      before.set(name, [p.data.slice(), s[0].slice(), s[1].slice()]);
      applyOptimizer(plan, p.data, grads[name].data, s[0], s[1], 0, p.data.length);
    }
    if (!allFinite(params)) {
      for (const [name, [w, m, v]] of before) {
        params[name].data.set(w);
        const s = this.moments.get(name) as [Float64Array, Float64Array];
        s[0].set(m);
        s[1].set(v);
      }
      return refused;
    }
    this.t++;
    return { applied: true, loss: result.loss, gradNormBefore: clip.normBefore, gradNormAfter: clip.normAfter, clipped: clip.clipped, result };
  }
}

export interface FreeRunning {
  /** (Ttgt, B) the decoder's own guesses, each fed back as its next input */
  ids: Int32Array;
  /** fraction of the Ttgt·B guesses equal to the target */
  accuracy: number;
  /** (Ttgt) accuracy at each output position, over the batch */
  perPosition: Float64Array;
  /** (Ttgt, B, Tsrc) the attention weights while running free, or null */
  alpha: Float64Array | null;
}

/** Free running (greedy) on a batch and its accuracy against the target. */
export function freeRunning(m: Seq2SeqModel, batch: Seq2SeqBatch): FreeRunning {
  const { B, Ttgt } = batch;
  const { ids, alpha } = greedyDecode(m, batch.source, B, batch.Tsrc, Ttgt);
  const perPosition = new Float64Array(Ttgt); // (Ttgt)
  let right = 0;
  for (let t = 0; t < Ttgt; t++) {
    let r = 0;
    for (let b = 0; b < B; b++) if (ids[t * B + b] === batch.target[t * B + b]) r++;
    perPosition[t] = r / B;
    right += r;
  }
  return { ids, accuracy: right / (Ttgt * B), perPosition, alpha };
}
