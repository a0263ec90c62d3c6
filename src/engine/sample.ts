/**
 * Generating text from a character-level model: warm the state up on a prompt, then draw one
 * character at a time from softmax(ŷ / temperature), feeding each back in (the state carries over;
 * no gradient is involved).
 */
import { runLayers, type RecurrentState } from './bptt';
import type { Model } from './model';
import type { Rng } from './rng';
import { sampleFromLogits, type CharLmTask } from './tasks/charLm';

/** One-hot rows (T, 1, V) for a run of character ids. */
function oneHot(ids: ArrayLike<number>, V: number): Float64Array {
  const x = new Float64Array(ids.length * V); // (T, 1, V)
  for (let t = 0; t < ids.length; t++) x[t * V + ids[t]] = 1;
  return x;
}

/** ŷ (V) of the readout at the top layer's last state, (1, H) → (V). */
function readoutLast(model: Model, top: Float64Array): Float64Array {
  const H = model.spec.hiddenSize;
  const V = model.spec.outputSize;
  const W = model.params['readout.weight'].data; // (V, H)
  const b = model.params['readout.bias'].data; // (V)
  const h = top.subarray(top.length - H); // (H)
  const logits = new Float64Array(V); // (V)
  for (let k = 0; k < V; k++) {
    let s = b[k];
    for (let j = 0; j < H; j++) s += W[k * H + j] * h[j];
    logits[k] = s;
  }
  return logits;
}

export function sampleText(model: Model, task: CharLmTask, prompt: string, length: number, temperature: number, rng: Rng): string {
  if (model.spec.bidirectional) throw new RangeError('a bidirectional model cannot generate text: it would need the future');
  const V = model.spec.outputSize;
  const promptIds = task.encode(prompt.length ? prompt : '\n');
  let run = runLayers(model, oneHot(promptIds, V), 1, promptIds.length);
  let state: RecurrentState = run.finalState;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const logits = readoutLast(model, run.layerOutputs[model.spec.numLayers - 1]);
    const id = sampleFromLogits(logits, temperature, rng);
    out.push(id);
    run = runLayers(model, oneHot([id], V), 1, 1, state);
    state = run.finalState;
  }
  return task.decode(Int32Array.from(out));
}
