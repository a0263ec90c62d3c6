/**
 * What a model costs against sequence length, in closed form: the memory a trained model needs to
 * generate step t (a recurrent kind keeps a fixed state; attention keeps every earlier key and
 * value), the multiply-adds of a forward pass (attention's scores grow as T², everything else as
 * T), and the depth and work of a linear recurrence run as a loop or as a parallel scan. The page
 * measures the time per step beside these (src/worker/costs.ts); test/engine-costs.test.ts checks
 * each against a count of what the engine really does.
 */
import { isSuccessorSpec, type AnyModelSpec, type LayerKind } from './anyModel';
import { stateSize } from './analysis/stateJacobian';
import { directionsOf, gatesOf, layerInputSize } from './model';
import { blockInputSize } from './successors/spec';

/** Floats a model carries from generated step t to step t + 1, over all its layers (t from 0). */
export function stateFloatsAt(spec: AnyModelSpec, t: number): number {
  const H = spec.hiddenSize;
  const L = spec.numLayers;
  if (!isSuccessorSpec(spec)) return L * directionsOf(spec) * stateSize(spec.cell, H); // h (and c)
  const N = spec.stateSize;
  const perLayer = { lru: 2 * N, mamba: H * N, rwkv: 2 * H, mingru: H, attention: 2 * H * (t + 1) }[spec.cell]; // complex x; x[h, n]; a and b; h; keys and values so far
  return L * perLayer;
}

/** Causal (query, key) pairs one head scores in a sequence of T steps: step t reads t + 1 keys. */
export function attentionPairs(T: number): number {
  return (T * (T + 1)) / 2;
}

/**
 * Multiply-adds of one sequence's forward pass over T steps in its products: the linear maps (an
 * RNN's W_ih x_t and W_hh h_{t−1}; a block's in_proj, gate_proj and its mixer's maps), attention's
 * scores q·k and weighted sums α·val (d per pair and head each: the T² part), and the readout at
 * every step. Elementwise work (gates, a recurrence's a ⊙ x + b, Mamba's Σ_n C x) is a fixed amount
 * per step and left out, as in engine/flops.ts. FLOPs are twice this.
 */
export function forwardMacs(spec: AnyModelSpec, T: number): number {
  const H = spec.hiddenSize;
  if (!isSuccessorSpec(spec)) {
    const dirs = directionsOf(spec);
    let perStep = H * dirs * spec.outputSize; // readout
    for (let l = 0; l < spec.numLayers; l++) perStep += dirs * gatesOf(spec.cell) * H * (layerInputSize(spec, l) + H);
    return T * perStep;
  }
  const N = spec.stateSize;
  // LRU's B (re, im: N×H each) and C (H×N each); Mamba's dt_proj, B_proj, C_proj; RWKV's key,
  // value, receptance; minGRU's z and h maps; attention's q, k, v and o maps.
  const maps = { lru: 4 * N * H, mamba: H * H + 2 * N * H, rwkv: 3 * H * H, mingru: 2 * H * H, attention: 4 * H * H }[spec.cell];
  let perStep = H * spec.outputSize;
  for (let l = 0; l < spec.numLayers; l++) perStep += 2 * H * blockInputSize(spec, l) + maps;
  // Every pair costs d for its score and d for its share of the sum, in each of H / d heads.
  const pairs = spec.cell === 'attention' ? spec.numLayers * 2 * H * attentionPairs(T) : 0;
  return T * perStep + pairs;
}

/** Combines a loop runs over T steps, one after another: each waits for the one before. */
export function loopSteps(T: number): number {
  return Math.max(0, T - 1);
}

/** Rounds of the Hillis–Steele scan over T steps: the distance doubles each round until it reaches T. */
export function scanRounds(T: number): number {
  return T <= 1 ? 0 : Math.ceil(Math.log2(T));
}

/** Combines of the scan over T steps: round d = 1, 2, 4, … combines T − d pairs, Σ = T·r − (2^r − 1). */
export function scanCombines(T: number): number {
  const r = scanRounds(T);
  return T * r - (2 ** r - 1);
}

/** The closed forms at each length, per kind of layer: what the lesson's claims and the page's chart read. */
export interface CostCurves {
  lengths: number[];
  kinds: { cell: LayerKind; forwardFlops: number[]; stateFloats: number[] }[];
  /** per channel of a linear recurrence: sequential steps of the loop, rounds and combines of the scan */
  scan: { loopSteps: number[]; rounds: number[]; combines: number[] };
}

/** Each spec's FLOPs per sequence of T steps and the floats it carries after generating T steps. */
export function costCurves(specs: readonly AnyModelSpec[], lengths: readonly number[]): CostCurves {
  return {
    lengths: [...lengths],
    kinds: specs.map((spec) => ({
      cell: spec.cell,
      forwardFlops: lengths.map((T) => 2 * forwardMacs(spec, T)),
      stateFloats: lengths.map((T) => stateFloatsAt(spec, T - 1)),
    })),
    scan: { loopSteps: lengths.map(loopSteps), rounds: lengths.map(scanRounds), combines: lengths.map(scanCombines) },
  };
}
