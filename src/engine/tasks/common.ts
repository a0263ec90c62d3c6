/**
 * Helpers shared by the task generators: knob checking, one-hot writing and the metrics
 * (cross-entropy, accuracy, MSE) over time-major buffers with an optional mask.
 */

/** An integer knob with a default, rejected with a readable message when out of range. */
export function intKnob(name: string, value: number | undefined, fallback: number, min: number, max = 1e7): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

/** A real knob with a default, rejected when outside [min, max]. */
export function realKnob(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${v}`);
  }
  return v;
}

/** Throws when the readout buffer does not have the expected length (a wiring bug, not data). */
export function checkLength(what: string, buf: ArrayLike<number>, expected: number): void {
  if (buf.length !== expected) throw new RangeError(`${what}: expected length ${expected}, got ${buf.length}`);
}

/** log softmax(z)[k] for the K logits z = out[off .. off+K), stable for large or −∞ logits. */
export function logSoftmaxAt(out: ArrayLike<number>, off: number, K: number, k: number): number {
  let m = -Infinity;
  for (let j = 0; j < K; j++) if (out[off + j] > m) m = out[off + j];
  let s = 0;
  for (let j = 0; j < K; j++) s += Math.exp(out[off + j] - m);
  return out[off + k] - m - Math.log(s);
}

/** Index of the largest of out[off .. off+K); the first one on ties, so all-equal logits mean class 0. */
export function argmaxAt(out: ArrayLike<number>, off: number, K: number): number {
  let best = 0;
  for (let j = 1; j < K; j++) if (out[off + j] > out[off + best]) best = j;
  return best;
}

/**
 * Mean cross-entropy in nats over the scored rows.
 * outputs (R, K) logits, target (R) class ids, mask (R) or undefined; R = T·B or B.
 */
export function meanCrossEntropy(
  outputs: ArrayLike<number>,
  target: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  K: number,
): number {
  const R = target.length;
  checkLength('outputs', outputs, R * K);
  let sum = 0;
  let weight = 0;
  for (let r = 0; r < R; r++) {
    const w = mask ? mask[r] : 1;
    if (w === 0) continue; // skip, so that −∞ logits at unscored rows cannot make 0·∞ = NaN
    sum -= w * logSoftmaxAt(outputs, r * K, K, target[r]);
    weight += w;
  }
  return weight > 0 ? sum / weight : NaN;
}

/** Fraction of scored rows whose argmax is the target class. Shapes as in meanCrossEntropy. */
export function accuracy(
  outputs: ArrayLike<number>,
  target: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  K: number,
): number {
  const R = target.length;
  checkLength('outputs', outputs, R * K);
  let hits = 0;
  let weight = 0;
  for (let r = 0; r < R; r++) {
    const w = mask ? mask[r] : 1;
    if (w === 0) continue;
    if (argmaxAt(outputs, r * K, K) === target[r]) hits += w;
    weight += w;
  }
  return weight > 0 ? hits / weight : NaN;
}

/**
 * Mean squared error per scored row, Σ_k (ŷ_k − y_k)² without the loss's ½ (the usual MSE).
 * outputs and target (R, Y), mask (R) or undefined.
 */
export function meanSquaredError(
  outputs: ArrayLike<number>,
  target: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  Y: number,
): number {
  checkLength('outputs', outputs, target.length);
  const R = target.length / Y;
  let sum = 0;
  let weight = 0;
  for (let r = 0; r < R; r++) {
    const w = mask ? mask[r] : 1;
    if (w === 0) continue;
    let s = 0;
    for (let k = 0; k < Y; k++) {
      const d = outputs[r * Y + k] - target[r * Y + k];
      s += d * d;
    }
    sum += w * s;
    weight += w;
  }
  return weight > 0 ? sum / weight : NaN;
}
