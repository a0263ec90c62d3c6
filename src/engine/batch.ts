/**
 * A batch: what a task hands the engine. Everything is time-major, because BPTT walks time.
 *
 * Dimension letters, used in every shape comment of the engine:
 *   B batch, T steps, D input size, H hidden size, Y output size, G gates per cell.
 */
export type LossKind = 'mse' | 'cross_entropy';
export type Readout = 'every_step' | 'final_step';

export interface Batch {
  B: number;
  T: number;
  inputSize: number;
  /** (T, B, D) */
  x: Float64Array;
  /**
   * MSE: real targets, (T, B, Y) for an every-step readout, (B, Y) for a final-step one.
   * Cross-entropy: class ids stored as numbers, (T, B) or (B).
   */
  target: Float64Array;
  /**
   * Optional weight of each scored step, (T, B) for every-step readouts: 1 where the step is scored,
   * 0 where it is not (e.g. the blank part of copy memory). Absent means every step counts.
   */
  mask?: Float64Array;
}

/** Nested arrays `[B][T][D]` (the case format, batch-first) to a time-major buffer (T, B, D). */
export function timeMajor3(nested: number[][][]): { B: number; T: number; D: number; data: Float64Array } {
  const B = nested.length;
  const T = nested[0]?.length ?? 0;
  const D = nested[0]?.[0]?.length ?? 0;
  const data = new Float64Array(T * B * D); // (T, B, D)
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) for (let k = 0; k < D; k++) data[(t * B + b) * D + k] = nested[b][t][k];
  return { B, T, D, data };
}

/** Nested `[B][T]` to a time-major buffer (T, B). */
export function timeMajor2(nested: number[][]): Float64Array {
  const B = nested.length;
  const T = nested[0]?.length ?? 0;
  const data = new Float64Array(T * B); // (T, B)
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) data[t * B + b] = nested[b][t];
  return data;
}

/** A time-major buffer (T, B, D) back to nested `[B][T][D]`. */
export function batchFirst3(data: ArrayLike<number>, T: number, B: number, D: number): number[][][] {
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const row: number[][] = [];
    for (let t = 0; t < T; t++) row.push(Array.from({ length: D }, (_, k) => data[(t * B + b) * D + k]));
    out.push(row);
  }
  return out;
}

/** A buffer (R, C) to nested `[R][C]`. */
export function nested2(data: ArrayLike<number>, R: number, C: number): number[][] {
  return Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => data[r * C + c]));
}
