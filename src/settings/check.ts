/**
 * Whether a whole config can run: each value in its row's range, the rules between settings
 * (echo's lag shorter than the sequence), and the cost of one training step. A config over the
 * cost limit is refused before a run starts, with the cost and the largest hidden size that fits,
 * so a big link or a big setting never leaves a page that silently does nothing.
 */
import { trainingFlops } from '../engine/flops';
import { isSuccessorKind, type SuccessorKind } from '../engine/successors/spec';
import { MAX_HIDDEN_SIZE } from '../engine/limits';
import { makeTask } from '../engine/tasks';
import { DEFAULT_MAX_VOCAB } from '../engine/tasks/charLm';
import { modelSpecOf, taskSpecOf } from './specs';
import { formatNumber, LENGTH_VARIANT, ROWS, rowOf, sentence, whyNot, type AnyRow, type PlaygroundConfig, type SettingKey } from './table';

/** The WebAssembly backend's training speed, GFLOP/s counted as in engine/flops.ts (`npm run bench`
 *  on a 2-core laptop; WebGPU can be faster, but not every machine has it). */
export const WASM_FLOPS_PER_SECOND = 25e9;
/** The longest training step a config may take on WebAssembly: past it, a run looks frozen. */
export const MAX_SECONDS_PER_STEP = 2;
export const MAX_FLOPS_PER_STEP = WASM_FLOPS_PER_SECOND * MAX_SECONDS_PER_STEP;
/** The WebAssembly backend on the successor blocks, GFLOP/s counted as in engine/flops.ts: about
 *  0.8 of what it measured in Node at H = 64, B = 32, T = 50 on a 2-core laptop (LRU 24, Mamba 7.8
 *  (its per-state arithmetic is not in the count), RWKV 26, minGRU 27, attention 22). */
export const SUCCESSOR_WASM_FLOPS_PER_SECOND: Record<SuccessorKind, number> = { lru: 20e9, mamba: 6e9, rwkv: 20e9, mingru: 20e9, attention: 16e9 };

/** How fast WebAssembly trains this config's kind of layer, FLOP/s. */
/** The float64 engine training an encoder–decoder in the worker (worker/seq2seqTrainer.ts), FLOP/s
 *  counted as in engine/flops.ts: ~0.12 GFLOP/s measured at n = 16, H = 32, B = 16 on the shared
 *  2-core machine (free running included); a laptop alone runs it about twice as fast. */
export const SEQ2SEQ_FLOPS_PER_SECOND = 0.25e9;

/** How fast this config's run trains, FLOP/s: WebAssembly on its kind of layer, or the float64 engine for sequence to sequence. */
function flopsPerSecond(c: PlaygroundConfig): number {
  if (c.task === 'seq2seq') return SEQ2SEQ_FLOPS_PER_SECOND;
  return isSuccessorKind(c.cell) ? SUCCESSOR_WASM_FLOPS_PER_SECOND[c.cell] : WASM_FLOPS_PER_SECOND;
}

/** The most FLOPs one step of this config may cost. */
export function maxFlopsPerStep(c: PlaygroundConfig): number {
  return flopsPerSecond(c) * MAX_SECONDS_PER_STEP;
}

/** A rule between settings: the keys it reads, and what is wrong, in words, or null. */
interface Rule {
  keys: SettingKey[];
  check(c: PlaygroundConfig): string | null;
}

export const RULES: readonly Rule[] = [
  {
    keys: ['task', 'lag', 'length'],
    check: (c) => (c.task === 'echo' && c.lag >= c.length ? `Lag ${c.lag}: must be less than the sequence length ${c.length}.` : null),
  },
  { keys: ['task', 'length'], check: lengthProblem },
  {
    // The streaming task carries each layer's state into the next chunk; the successor kernels do
    // not hand theirs over yet, and a stream restarted from zero every chunk would not be this task.
    keys: ['task', 'cell'],
    check: (c) => (c.task === 'sines' && isSuccessorKind(c.cell) ? `${describeValue(rowOf('cell'), c.cell)} does not carry its state from one chunk of a stream to the next yet: choose an RNN cell for streaming sines, or another task.` : null),
  },
  {
    // The encoder–decoder is built from the RNN cells (engine/seq2seq.ts): one direction, a zero
    // start, full BPTT; what the other settings would mean for it is not defined.
    keys: ['task', 'cell', 'bidirectional', 'initialState', 'truncation'],
    check: (c) => (c.task === 'seq2seq' ? seq2seqProblem(c) : null),
  },
  {
    keys: ['numHeads', 'hiddenSize'], // a link's cell stays; its heads or width go back
    check: (c) => (c.cell === 'attention' && c.hiddenSize % c.numHeads !== 0 ? `Heads ${c.numHeads}: must divide the hidden size ${c.hiddenSize}, each head being H / heads wide.` : null),
  },
  {
    // γ = √(1 − |λ|²) is 0 at |λ| = 1, and a state that never decays is unbounded; a ring needs width.
    keys: ['ringMin', 'ringMax'],
    check: (c) =>
      c.cell === 'lru' && !(c.ringMin < c.ringMax && c.ringMax < 1)
        ? `Ring r_min ${formatNumber(c.ringMin)}, r_max ${formatNumber(c.ringMax)}: the LRU's ring needs r_min < r_max < 1 (at |λ| = 1 a state never forgets and grows without bound).`
        : null,
  },
];

/** Why sequence to sequence cannot run with these settings, in words, or null. */
function seq2seqProblem(c: PlaygroundConfig): string | null {
  if (isSuccessorKind(c.cell)) return `${describeValue(rowOf('cell'), c.cell)} is not an encoder–decoder cell here: sequence to sequence runs an RNN, LSTM or GRU encoder and decoder; choose one of them, or another task.`;
  if (c.bidirectional) return 'Bidirectional: sequence to sequence hands one direction’s final state from the encoder to the decoder, which writes left to right; turn bidirectional off.';
  if (c.initialState === 'learned') return 'Initial state learned: the encoder starts from zero and the decoder from the encoder’s final state, so there is no start state to learn; choose zero.';
  if (c.truncation > 0) return `Truncation ${c.truncation}: sequence to sequence trains with full BPTT through the encoder and the decoder; set truncation to 0.`;
  return null;
}

/** The length knob outside the narrower range its task takes (LENGTH_VARIANT's min and max), in
 *  words: "Sequence length 5: temporal order needs at least 10 steps." */
function lengthProblem(c: PlaygroundConfig): string | null {
  const { min, max, name, unit = 'steps' } = LENGTH_VARIANT[c.task];
  const task = describeValue(rowOf('task'), c.task).toLowerCase();
  const why =
    min !== undefined && c.length < min ? `${task} needs at least ${min} ${unit}` : max !== undefined && c.length > max ? `${task} takes at most ${max} ${unit}` : null;
  const row = rowOf('length');
  return why && sentence(name ? { ...row, name } : row, String(c.length), why);
}

/** The settings a step's cost depends on (what to put back when a link costs too much). */
export const COST_KEYS: readonly SettingKey[] = ['task', 'length', 'symbols', 'cell', 'hiddenSize', 'numLayers', 'stateSize', 'bidirectional', 'batchSize'];

/** B, T, the input and readout sizes and the steps read out, for these settings. */
export function taskShape(c: PlaygroundConfig): { B: number; T: number; D: number; Y: number; readSteps: number } {
  // The character model's alphabet comes from its text; DEFAULT_MAX_VOCAB bounds it.
  if (c.task === 'char_lm') return { B: c.batchSize, T: c.length, D: DEFAULT_MAX_VOCAB, Y: DEFAULT_MAX_VOCAB, readSteps: c.length };
  // An encoder and a decoder of the same size over n steps each cost about one network over 2n
  // steps reading K + 1 inputs; attention adds O(n²·H) per sequence, small beside them.
  if (c.task === 'seq2seq') return { B: c.batchSize, T: 2 * c.length, D: c.symbols + 1, Y: c.symbols, readSteps: c.length };
  const info = makeTask(taskSpecOf(c, '')).info;
  return { B: c.batchSize, T: info.T, D: info.inputSize, Y: info.outputSize, readSteps: info.readout === 'every_step' ? info.T : 1 };
}

/** FLOPs of one training step with these settings (forward + backward, matrix products). */
export function stepFlops(c: PlaygroundConfig, shape = taskShape(c)): number {
  return trainingFlops(modelSpecOf(c, { inputSize: shape.D, outputSize: shape.Y }), shape.B, shape.T, shape.readSteps);
}

/** The largest hidden size whose step fits the limit with every other setting as it is; 0 if none. */
export function largestHiddenSize(c: PlaygroundConfig): number {
  const shape = taskShape(c); // the task does not depend on H
  let lo = 0; // fits (0 stands for "none")
  let hi = MAX_HIDDEN_SIZE + 1; // does not fit, or past the range
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (stepFlops({ ...c, hiddenSize: mid }, shape) <= maxFlopsPerStep(c)) lo = mid;
    else hi = mid;
  }
  return c.cell === 'attention' ? lo - (lo % c.numHeads) : lo; // the heads must divide H
}

/** 1.9e12 → "1.9 TFLOP". */
export function formatFlops(f: number): string {
  const [unit, scale] = f >= 1e12 ? ['TFLOP', 1e12] : f >= 1e9 ? ['GFLOP', 1e9] : f >= 1e6 ? ['MFLOP', 1e6] : ['FLOP', 1];
  return `${Number((f / scale).toPrecision(2))} ${unit}`;
}

/** What one step of these settings costs, in a sentence, when it is over the limit; else null. */
function overLimit(c: PlaygroundConfig): string | null {
  const flops = stepFlops(c);
  const max = maxFlopsPerStep(c);
  if (flops <= max) return null;
  const rate = flopsPerSecond(c);
  const seconds = Number((flops / rate).toPrecision(2));
  return (
    `These settings cost ≈ ${formatFlops(flops)} per training step, about ${seconds} s per step on ${c.task === 'seq2seq' ? 'the float64 engine' : 'WebAssembly'} ` +
    `(≈ ${rate / 1e9} GFLOP/s); the limit is ${formatFlops(max)}, about ${MAX_SECONDS_PER_STEP} s.`
  );
}

/** Unreachable within today's ranges (at H = 1 the costliest settings take ≈ 1.3 GFLOP), kept so
 *  that a wider range can never leave a config over the limit without a way out. */
const NOTHING_FITS = 'No hidden size fits with these settings: shorten the sequence, or use fewer layers, one direction or a smaller batch.';

/** The refusal of a config that costs too much per step, naming the cost and the largest hidden
 *  size that fits; null when it fits. */
export function costProblem(c: PlaygroundConfig): string | null {
  const cost = overLimit(c);
  if (!cost) return null;
  const fit = largestHiddenSize(c);
  return `${cost} ${fit > 0 ? `The largest hidden size that fits with these settings is ${fit}.` : NOTHING_FITS}`;
}

/**
 * The first thing wrong with a whole config, in words, or null when it can run. The control path
 * (store/controller.ts setConfig) refuses a change with this message; links use fitConfig.
 * With `prev` (the settings before the change), a cost over the limit refuses the change only
 * when it raises the cost: a config already over it (a loaded model file) can still be edited,
 * and made cheaper, without every unrelated change being refused.
 */
export function checkConfig(next: PlaygroundConfig, prev?: PlaygroundConfig): string | null {
  const problem = shapeProblem(next);
  if (problem) return problem;
  // "raises the cost" in time, not FLOPs: the successor blocks run on a slower backend so far
  if (prev && shapeProblem(prev) === null && stepFlops(next) / maxFlopsPerStep(next) <= stepFlops(prev) / maxFlopsPerStep(prev)) return null;
  return costProblem(next);
}

/** A value out of its range or a rule broken (what would stop the task being built), or null. */
function shapeProblem(c: PlaygroundConfig): string | null {
  for (const row of ROWS) {
    const why = whyNot(row, c[row.key]);
    if (why) return sentence(row, describeValue(row, c[row.key]), why);
  }
  for (const rule of RULES) {
    const problem = rule.check(c);
    if (problem) return problem;
  }
  return null;
}

/** A value as the controls show it: 0.00001, on, LSTM. */
function describeValue(row: AnyRow, v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return (row.kind === 'choice' && row.options.find(([o]) => o === v)?.[1]) || String(v);
}

/**
 * A config a link asked for, made runnable: a rule it breaks puts the link's own values of that
 * rule's settings back to the base's; a cost over the limit lowers the hidden size to the largest
 * that fits (or, if none fits, puts the link's cost settings back to the base's). `base` (the
 * defaults or a lesson's settings) must pass checkConfig. Each change comes with a message.
 */
export function fitConfig(c: PlaygroundConfig, base: PlaygroundConfig, explicit: ReadonlySet<SettingKey>): { config: PlaygroundConfig; problems: string[] } {
  const config = { ...c };
  const problems: string[] = [];
  const restore = (keys: readonly SettingKey[]): string => {
    const back = keys.filter((k) => explicit.has(k) && config[k] !== base[k]);
    for (const k of back) (config as Record<SettingKey, unknown>)[k] = base[k];
    return back.map((k) => `${rowOf(k).name} ${describeValue(rowOf(k), base[k])}`).join(', ');
  };
  // Restoring one rule's settings can break another (a task put back makes the lag matter):
  // repeat until no rule complains; each pass restores more, and the base itself passes.
  for (let pass = 0; pass <= RULES.length; pass++) {
    const broken = RULES.map((rule) => [rule, rule.check(config)] as const).filter(([, problem]) => problem !== null);
    if (!broken.length) break;
    for (const [rule, problem] of broken) problems.push(`${problem} Using ${restore(rule.keys) || 'the settings as they are'} instead.`);
  }
  const cost = overLimit(config);
  if (cost) {
    const fit = largestHiddenSize(config);
    if (fit > 0) {
      problems.push(`${cost} The largest hidden size that fits with these settings is ${fit}; it is used instead of ${config.hiddenSize}.`);
      config.hiddenSize = fit;
    } else problems.push(`${cost} ${NOTHING_FITS} Using ${restore(COST_KEYS)} instead.`);
  }
  return { config, problems };
}
