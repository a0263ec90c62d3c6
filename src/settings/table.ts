/**
 * Every setting of the playground, one row each: what kind of value it is, its range and default,
 * whether it applies at the next step or restarts the run, its key in a link, its label and
 * one-line explanation, whether a classroom link may hide it, and when its control is shown.
 * The config's defaults, the live/restart rule, the link codec (store/urlState.ts), the controls
 * (ui/controls) and the classroom menu are all read from here. Pure data, no DOM.
 */
import type { LayerKind } from '../engine/anyModel';
import type { InitialState, Nonlinearity } from '../engine/model';
import { LRU_RING } from '../engine/successors/init';
import type { ScanMode } from '../engine/successors/scan';
import { hasStateSize, isRecurrentKind, isSuccessorKind } from '../engine/successors/spec';
import type { InitScheme } from '../engine/init';
import { MAX_HIDDEN_SIZE, MAX_LAYERS } from '../engine/limits';
import type { OptimizerSpec } from '../engine/optim';
import { RECALL_KEYS } from '../engine/tasks/associativeRecall';
import { SELECTIVE_COPY_TOKENS } from '../engine/tasks/selectiveCopy';
import type { TaskSpec } from '../engine/tasks/types';
import type { BackendName } from '../kernels/types';

/** Every task a plain Batch trains on (a new one in the engine's TaskSpec must be given a row option, a length variant and a spec here),
 *  and sequence to sequence, which trains its own encoder–decoder (worker/seq2seqTrainer.ts). */
export type TaskKind = TaskSpec['kind'] | 'seq2seq';
export type OptimizerName = OptimizerSpec['name'];
export type ClipKind = 'off' | 'norm' | 'value';
export type BackendChoice = 'auto' | BackendName;

/** Every setting in one flat record: what the URL carries, the controls edit and the worker trains from. */
export interface PlaygroundConfig {
  task: TaskKind;
  /** the task's length knob: T for most tasks, the delay for copy memory, the bits for parity, the
   *  noise steps for selective copying, the pairs for associative recall */
  length: number;
  /** delayed echo's lag L */
  lag: number;
  /** K: symbols for echo, future tagging and sequence to sequence */
  symbols: number;
  /** sequence to sequence: write the source reversed or sorted */
  seq2seqMode: 'reverse' | 'sort';
  /** sequence to sequence: the decoder attends over the encoder's states (else only the final state is handed over) */
  attention: boolean;
  /** an RNN cell (rnn, lstm, gru) or a successor block's mixer (lru, mamba, rwkv, mingru, attention) */
  cell: LayerKind;
  nonlinearity: Nonlinearity;
  hiddenSize: number;
  numLayers: number;
  /** N: the state per layer (lru) or per channel (mamba) */
  stateSize: number;
  /** attention heads (they must divide H) */
  numHeads: number;
  bidirectional: boolean;
  initialState: InitialState;
  init: InitScheme;
  /** orthogonal gain, identity scale, or the Gaussian's spectral radius ρ */
  gain: number;
  /** rescale every W_hh to this spectral radius after init; 0 = leave it */
  spectralRadius: number;
  /** LSTM forget-gate bias */
  forgetBias: number;
  /** LRU: the ring r_min ≤ |λ| ≤ r_max its eigenvalues start on (Orvieto et al. 2023) */
  ringMin: number;
  ringMax: number;
  /** LRU: the largest phase θ_max of λ at init, in units of π (2: the whole circle) */
  ringPhase: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  batchSize: number;
  clip: ClipKind;
  clipMax: number;
  /** truncated BPTT window k; 0 = full BPTT */
  truncation: number;
  /** how a linear recurrence (lru, mamba, rwkv, mingru) trains: a loop over t or a parallel scan */
  recurrence: ScanMode;
  seed: number;
  backend: BackendChoice;
}

export type SettingKey = keyof PlaygroundConfig;
export type Group = 'Task' | 'Model' | 'Initialization' | 'Training' | 'Run';

interface Common<V> {
  /** the query-string key in a link */
  link: string;
  /** the control's label */
  label: string;
  /** the setting in words, for sentences ("hidden size"): never an identifier */
  name: string;
  /** one line shown on hover and read to screen readers */
  hint: string;
  group: Group;
  default: V;
  /** true: applies at the next step; false: a change starts a new run from the seed */
  live: boolean;
  /** a classroom link may hide this control */
  hideable: boolean;
  /** the control's test id (`ctl-…`) */
  testId: string;
  /** when the control is shown (absent: always) */
  visible?: (c: PlaygroundConfig) => boolean;
  /** a label and hint that depend on the other settings (the length knob means a delay for copy memory) */
  variant?: (c: PlaygroundConfig) => { label: string; hint: string };
}

/** Numbers: `int` whole, `real` any, `log` any, edited on a logarithmic slider (spans decades). */
export type NumberKind = 'int' | 'real' | 'log';

/** A row's shape follows its value: a choice lists its options, a number has a range. */
export type Row<V> = Common<V> &
  ([V] extends [boolean]
    ? { kind: 'bool' }
    : [V] extends [number]
      ? { kind: NumberKind; min: number; max: number }
      : { kind: 'choice'; options: readonly (readonly [V, string])[] });

/** Any row, for code that walks the table without caring which setting it is. */
export type AnyRow = Common<unknown> & { key: SettingKey } & (
    | { kind: 'bool' }
    | { kind: NumberKind; min: number; max: number }
    | { kind: 'choice'; options: readonly (readonly [string, string])[] }
  );

const isEchoOrTag = (c: PlaygroundConfig) => c.task === 'echo' || c.task === 'future_tag';
const isSeq2Seq = (c: PlaygroundConfig) => c.task === 'seq2seq';
/** The RNN cells' own settings (direction, start state, W_hh's initialization) mean nothing to a successor block. */
const isRnnCell = (c: PlaygroundConfig) => !isSuccessorKind(c.cell);
/** The LRU's ring initialization (engine/successors/init.ts) means nothing to any other kind. */
const isLru = (c: PlaygroundConfig) => c.cell === 'lru';

/**
 * What the length knob means for each task. `min` and `max` narrow the row's range for one task
 * (temporal order needs room for its windows, associative recall has RECALL_KEYS keys for its
 * distinct pairs); a rule in check.ts refuses what falls outside, naming the knob by `name` in `unit`s.
 */
export interface LengthVariant {
  label: string;
  hint: string;
  /** the knob in words for that task ("pairs"); absent: the row's name */
  name?: string;
  /** what the knob counts, for a sentence (default "steps") */
  unit?: string;
  min?: number;
  max?: number;
}

export const LENGTH_VARIANT: Record<TaskKind, LengthVariant> = {
  echo: { label: 'Sequence length T', hint: 'Steps per sequence.' },
  adding: { label: 'Sequence length T', hint: 'Steps per sequence; the two marked numbers can be far apart.' },
  copy_memory: { label: 'Delay T', hint: 'Blank steps to wait between the symbols and the recall (sequence is T + 20).' },
  selective_copy: {
    label: 'Noise steps S',
    hint: `Noise steps among which the ${SELECTIVE_COPY_TOKENS} symbols sit at random (sequence is S + ${2 * SELECTIVE_COPY_TOKENS}).`,
  },
  associative_recall: {
    label: 'Pairs n',
    hint: `Key–value pairs before the query, at most ${RECALL_KEYS} (one per key, each shown with its value in one step; sequence is n + 1).`,
    name: 'pairs',
    unit: 'pairs',
    max: RECALL_KEYS,
  },
  temporal_order: { label: 'Sequence length T', hint: 'Steps per sequence (at least 10); the two relevant symbols sit early and mid-way.', min: 10 },
  parity: { label: 'Bits', hint: 'Number of bits whose parity is asked at the end.' },
  future_tag: { label: 'Sequence length T', hint: 'Steps per sequence.' },
  sines: { label: 'Chunk length T', hint: 'Steps per chunk of the endless stream; the state carries over between chunks.' },
  char_lm: { label: 'Window T', hint: 'Characters per training window.' },
  // the float64 engine trains the encoder–decoder in the worker: 40 keeps a step well under a second
  seq2seq: { label: 'Sequence length n', hint: 'Symbols the encoder reads; the decoder writes as many back.', name: 'sequence length', unit: 'symbols', max: 40 },
};

const GAIN_VARIANT: Partial<Record<InitScheme, { label: string; hint: string }>> = {
  orthogonal: { label: 'Gain', hint: 'W_hh = gain · Q with Q orthogonal: every singular value equals the gain.' },
  identity: { label: 'Scale', hint: 'W_hh = scale · I (IRNN): the state is copied forward unchanged at scale 1.' },
  gaussian: { label: 'Spectral radius ρ', hint: 'W_hh Gaussian, rescaled so its largest |eigenvalue| is exactly ρ.' },
};

/** The table, in the order the controls show it (task → model → initialization → training → run). */
export const SETTINGS: { readonly [K in SettingKey]: Row<PlaygroundConfig[K]> } = {
  task: {
    kind: 'choice',
    options: [
      ['echo', 'Delayed echo'],
      ['adding', 'Adding problem'],
      ['copy_memory', 'Copy memory'],
      ['selective_copy', 'Selective copying'],
      ['associative_recall', 'Associative recall'],
      ['temporal_order', 'Temporal order'],
      ['parity', 'Parity'],
      ['future_tag', 'Tagging (future matters)'],
      ['sines', 'Streaming sines'],
      ['char_lm', 'Character language model'],
      ['seq2seq', 'Seq2seq: reverse, sort'],
    ],
    link: 'task', label: 'Task', name: 'task', group: 'Task', default: 'echo', live: false, hideable: true, testId: 'ctl-task',
    hint: 'What the network must learn; each has a baseline a memoryless guess reaches.',
  },
  length: {
    kind: 'int', min: 2, max: 400,
    link: 'len', label: 'Sequence length T', name: 'sequence length', group: 'Task', default: 20, live: false, hideable: true, testId: 'ctl-length',
    hint: 'Steps per sequence.',
    variant: (c) => LENGTH_VARIANT[c.task], // the label and hint; its min and max are a rule in check.ts
  },
  lag: {
    kind: 'int', min: 1, max: 399,
    link: 'lag', label: 'Lag L', name: 'lag', group: 'Task', default: 5, live: false, hideable: true, testId: 'ctl-lag',
    hint: 'The target at step t is the input at t − L: how far back the network must remember (less than T).',
    visible: (c) => c.task === 'echo',
  },
  symbols: {
    kind: 'int', min: 2, max: 16,
    link: 'sym', label: 'Symbols K', name: 'symbols', group: 'Task', default: 4, live: false, hideable: false, testId: 'ctl-symbols',
    hint: 'Number of distinct symbols (chance accuracy is about 1/K).',
    visible: (c) => isEchoOrTag(c) || isSeq2Seq(c),
  },
  seq2seqMode: {
    kind: 'choice',
    options: [['reverse', 'reverse'], ['sort', 'sort']],
    link: 'mode', label: 'Write back', name: 'what the decoder writes', group: 'Task', default: 'reverse', live: false, hideable: true, testId: 'ctl-seq2seq-mode',
    hint: 'The decoder writes the source reversed, or sorted smallest first.',
    visible: isSeq2Seq,
  },
  attention: {
    kind: 'bool',
    link: 'att', label: 'Decoder attends', name: 'decoder attention', group: 'Model', default: false, live: false, hideable: true, testId: 'ctl-attention',
    hint: "Off: the encoder's final state is all the decoder gets. On: at every step the decoder also reads a weighted mix of every encoder state (Bahdanau et al. 2015).",
    visible: isSeq2Seq,
  },
  cell: {
    kind: 'choice',
    options: [['rnn', 'RNN'], ['lstm', 'LSTM'], ['gru', 'GRU'], ['lru', 'LRU (linear recurrent unit)'], ['mamba', 'Mamba (selective SSM)'], ['rwkv', 'RWKV-4'], ['mingru', 'minGRU'], ['attention', 'Attention (causal)']],
    link: 'cell', label: 'Cell', name: 'cell', group: 'Model', default: 'rnn', live: false, hideable: true, testId: 'ctl-cell',
    hint: 'Vanilla RNN, a gated cell (LSTM, GRU) that keeps information longer, or a successor block: linear recurrences (LRU, Mamba, minGRU, RWKV) or attention.',
  },
  nonlinearity: {
    kind: 'choice',
    options: [['tanh', 'tanh'], ['relu', 'ReLU'], ['linear', 'linear']],
    link: 'act', label: 'Nonlinearity', name: 'nonlinearity', group: 'Model', default: 'tanh', live: false, hideable: true, testId: 'ctl-nonlinearity',
    hint: 'tanh saturates; ReLU does not; linear gives exact closed forms.',
    visible: (c) => c.cell === 'rnn',
  },
  hiddenSize: {
    kind: 'int', min: 1, max: MAX_HIDDEN_SIZE,
    link: 'h', label: 'Hidden units H', name: 'hidden size', group: 'Model', default: 32, live: false, hideable: true, testId: 'ctl-hidden',
    hint: 'Size of the hidden state h_t.',
  },
  numLayers: {
    kind: 'int', min: 1, max: MAX_LAYERS,
    link: 'layers', label: 'Layers', name: 'layers', group: 'Model', default: 1, live: false, hideable: true, testId: 'ctl-layers',
    hint: 'Stacked recurrent layers; each reads the one below.',
  },
  stateSize: {
    kind: 'int', min: 1, max: 64,
    link: 'n', label: 'State size N', name: 'state size', group: 'Model', default: 16, live: false, hideable: false, testId: 'ctl-state-size',
    hint: 'LRU: complex state entries per layer; Mamba: state entries per channel.',
    visible: (c) => isSuccessorKind(c.cell) && hasStateSize(c.cell),
  },
  numHeads: {
    kind: 'int', min: 1, max: 16,
    link: 'heads', label: 'Heads', name: 'attention heads', group: 'Model', default: 2, live: false, hideable: false, testId: 'ctl-heads',
    hint: 'Attention heads, each of width H / heads (they must divide H).',
    visible: (c) => c.cell === 'attention',
  },
  bidirectional: {
    kind: 'bool',
    link: 'bidi', label: 'Bidirectional', name: 'bidirectional', group: 'Model', default: false, live: false, hideable: false, testId: 'ctl-bidirectional',
    hint: 'A second direction reads the sequence backwards, so each step sees the future too.',
    visible: (c) => isRnnCell(c) && !isSeq2Seq(c), // the encoder hands one direction's final state to the decoder
  },
  initialState: {
    kind: 'choice',
    options: [['zero', 'zero'], ['learned', 'learned']],
    link: 'h0', label: 'Initial state', name: 'initial state', group: 'Model', default: 'zero', live: false, hideable: false, testId: 'ctl-initial-state',
    hint: 'h_0 fixed at zero, or a learned parameter.',
    visible: (c) => isRnnCell(c) && !isSeq2Seq(c), // the encoder starts at zero, the decoder from the encoder
  },
  init: {
    kind: 'choice',
    options: [['pytorch', 'PyTorch default'], ['xavier', 'Xavier / Glorot'], ['orthogonal', 'Orthogonal × gain'], ['identity', 'Identity × scale (IRNN)'], ['gaussian', 'Gaussian at radius ρ']],
    link: 'init', label: 'Scheme', name: 'initialization', group: 'Initialization', default: 'pytorch', live: false, hideable: true, testId: 'ctl-init',
    hint: 'How W_hh starts: its eigenvalues decide whether gradients vanish or explode.',
    visible: isRnnCell,
  },
  gain: {
    kind: 'real', min: 0, max: 10,
    link: 'gain', label: 'Gain / scale / ρ', name: 'gain', group: 'Initialization', default: 1, live: false, hideable: true, testId: 'ctl-gain',
    hint: 'The orthogonal gain, the identity scale or the Gaussian spectral radius ρ.',
    visible: (c) => isRnnCell(c) && GAIN_VARIANT[c.init] !== undefined,
    variant: (c) => GAIN_VARIANT[c.init] ?? { label: 'Gain', hint: '' },
  },
  spectralRadius: {
    kind: 'real', min: 0, max: 10,
    link: 'rho', label: 'Rescale ρ(W_hh)', name: 'rescaled spectral radius', group: 'Initialization', default: 0, live: false, hideable: false, testId: 'ctl-rho',
    hint: 'After init, rescale W_hh to this spectral radius (0 = leave it).',
    visible: isRnnCell,
  },
  forgetBias: {
    kind: 'real', min: -10, max: 10,
    link: 'fb', label: 'Forget-gate bias', name: 'forget-gate bias', group: 'Initialization', default: 1, live: false, hideable: false, testId: 'ctl-forget-bias',
    hint: 'LSTM: a positive bias keeps the forget gate open at the start (Jozefowicz et al.).',
    visible: (c) => c.cell === 'lstm',
  },
  ringMin: {
    kind: 'real', min: 0, max: 1,
    link: 'rmin', label: 'Ring r_min', name: 'smallest ring radius', group: 'Initialization', default: LRU_RING.r_min, live: false, hideable: false, testId: 'ctl-ring-min',
    hint: "LRU: the smallest |λ| at init. The recurrence's eigenvalues λ start uniform by area on the ring r_min ≤ |λ| ≤ r_max; a mode keeps |λ|^k of an input k steps back.",
    visible: isLru,
  },
  ringMax: {
    kind: 'real', min: 0, max: 1,
    link: 'rmax', label: 'Ring r_max', name: 'largest ring radius', group: 'Initialization', default: LRU_RING.r_max, live: false, hideable: false, testId: 'ctl-ring-max',
    hint: 'LRU: the largest |λ| at init, below 1 so the state stays bounded; near 1 a mode remembers for about 1/(1 − |λ|) steps, and B is scaled by γ = √(1 − |λ|²) so the state keeps unit size.',
    visible: isLru,
  },
  ringPhase: {
    kind: 'real', min: 0.001, max: 2,
    link: 'phase', label: 'Max phase θ_max / π', name: 'largest phase', group: 'Initialization', default: LRU_RING.maxPhase / Math.PI, live: false, hideable: false, testId: 'ctl-ring-phase',
    hint: "LRU: λ's phase is uniform in [0, θ_max], here in units of π (2: the whole circle); a small θ_max keeps every mode slowly turning, smooth in time.",
    visible: isLru,
  },
  optimizer: {
    kind: 'choice',
    options: [['adam', 'Adam'], ['sgd', 'SGD + momentum'], ['rmsprop', 'RMSprop']],
    link: 'opt', label: 'Optimizer', name: 'optimizer', group: 'Training', default: 'adam', live: true, hideable: true, testId: 'ctl-optimizer',
    hint: 'SGD with momentum, Adam or RMSprop, as PyTorch defines them.',
  },
  learningRate: {
    kind: 'log', min: 1e-5, max: 1,
    link: 'lr', label: 'Learning rate', name: 'learning rate', group: 'Training', default: 0.01, live: true, hideable: true, testId: 'ctl-lr',
    hint: 'Step size; applies at the next step.',
  },
  momentum: {
    kind: 'real', min: 0, max: 0.999,
    link: 'mom', label: 'Momentum', name: 'momentum', group: 'Training', default: 0.9, live: true, hideable: false, testId: 'ctl-momentum',
    hint: "SGD's momentum μ.",
    visible: (c) => c.optimizer === 'sgd',
  },
  batchSize: {
    kind: 'int', min: 1, max: 512,
    link: 'batch', label: 'Batch size', name: 'batch size', group: 'Training', default: 32, live: true, hideable: false, testId: 'ctl-batch',
    hint: 'Sequences per step.',
  },
  clip: {
    kind: 'choice',
    options: [['off', 'off'], ['norm', 'by norm'], ['value', 'by value']],
    link: 'clip', label: 'Clipping', name: 'clipping', group: 'Training', default: 'norm', live: true, hideable: true, testId: 'ctl-clip',
    hint: 'Norm: rescale the whole gradient to at most c. Value: clamp each entry to ±c.',
  },
  clipMax: {
    kind: 'real', min: 1e-6, max: 1e6,
    link: 'cmax', label: 'Threshold c', name: 'clipping threshold', group: 'Training', default: 1, live: true, hideable: false, testId: 'ctl-clip-max',
    hint: 'The clipping threshold.',
    visible: (c) => c.clip !== 'off',
  },
  truncation: {
    kind: 'int', min: 0, max: 400,
    link: 'k', label: 'Truncation k', name: 'truncation', group: 'Training', default: 0, live: true, hideable: true, testId: 'ctl-truncation',
    hint: 'Truncated BPTT: no gradient crosses more than k steps back (0 = full BPTT).',
    visible: (c) => c.cell !== 'attention' && !isSeq2Seq(c), // attention keeps no state to detach; seq2seq trains full BPTT
  },
  recurrence: {
    kind: 'choice',
    options: [['loop', 'sequential loop'], ['parallel', 'parallel scan']],
    link: 'scan', label: 'Recurrence', name: 'recurrence', group: 'Training', default: 'loop', live: false, hideable: true, testId: 'ctl-recurrence',
    hint: 'A linear recurrence runs one step after another, or as a parallel scan: ⌈log₂ T⌉ rounds of independent combines, the same numbers. WebAssembly and WebGPU run loops only, so a scan trains elsewhere.',
    visible: (c) => isSuccessorKind(c.cell) && isRecurrentKind(c.cell), // an RNN's step is nonlinear in h_{t−1}; attention has no recurrence
  },
  seed: {
    kind: 'int', min: 0, max: 2 ** 31 - 1,
    link: 'seed', label: 'Seed', name: 'seed', group: 'Run', default: 1, live: false, hideable: true, testId: 'ctl-seed',
    hint: 'The same seed gives the same weights and data, bit for bit.',
  },
  backend: {
    kind: 'choice',
    options: [['auto', 'auto'], ['reference', 'float64 reference'], ['wasm', 'WebAssembly SIMD'], ['webgpu', 'WebGPU'], ['gpujs', 'WebGL2 (gpu.js)']],
    link: 'backend', label: 'Backend', name: 'backend', group: 'Run', default: 'auto', live: true, hideable: true, testId: 'ctl-backend',
    hint: 'Where training runs: auto picks the fastest real one; the float64 reference is exact but slow.',
  },
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Every row with its key, in table order. */
export const ROWS: readonly AnyRow[] = SETTING_KEYS.map((key) => ({ ...(SETTINGS[key] as unknown as AnyRow), key }));

export function rowOf(key: SettingKey): AnyRow {
  return ROWS.find((r) => r.key === key)!;
}

export const DEFAULT_CONFIG: PlaygroundConfig = Object.fromEntries(ROWS.map((r) => [r.key, r.default])) as unknown as PlaygroundConfig;

/** Settings that apply at the next step; every other change rebuilds the model (a new run). */
export const LIVE_KEYS: ReadonlySet<SettingKey> = new Set(ROWS.filter((r) => r.live).map((r) => r.key));

/** The controls a classroom link may hide, in table order. */
export const HIDEABLE_KEYS: readonly SettingKey[] = ROWS.filter((r) => r.hideable).map((r) => r.key);

/** The keys whose change needs a new run, among those that differ between two configs. */
export function resetKeys(a: PlaygroundConfig, b: PlaygroundConfig): SettingKey[] {
  return SETTING_KEYS.filter((k) => a[k] !== b[k] && !LIVE_KEYS.has(k));
}

/** Settings in words, for a sentence: ["hiddenSize", "cell"] → "hidden size, cell". */
export function describeKeys(keys: readonly SettingKey[]): string {
  return keys.map((k) => rowOf(k).name).join(', ');
}

/** The label and hint the control shows for these settings. */
export function labelOf(row: AnyRow, c: PlaygroundConfig): { label: string; hint: string } {
  return row.variant ? row.variant(c) : { label: row.label, hint: row.hint };
}

/** A number as a reader writes it: 0.00001, 2147483647, 1000000. */
export function formatNumber(v: number): string {
  return Math.abs(v) >= 1e-6 || v === 0 ? String(Number(v.toPrecision(12))) : String(v);
}

/** Why a value does not fit the row (a clause after its name: "must be a whole number from 1 to 512"), or null. */
export function whyNot(row: AnyRow, value: unknown): string | null {
  switch (row.kind) {
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be on or off';
    case 'choice':
      return row.options.some(([v]) => v === value) ? null : `must be one of ${row.options.map(([v]) => v).join(', ')}`;
    default: {
      const whole = row.kind === 'int';
      const ok = typeof value === 'number' && Number.isFinite(value) && value >= row.min && value <= row.max && (!whole || Number.isInteger(value));
      return ok ? null : `must be ${whole ? 'a whole number' : 'a number'} from ${formatNumber(row.min)} to ${formatNumber(row.max)}`;
    }
  }
}

/** A sentence starting with the setting's name: "Hidden size 2.5: must be a whole number from 1 to 512." */
export function sentence(row: AnyRow, shown: string, why: string): string {
  return `${row.name[0].toUpperCase()}${row.name.slice(1)} ${shown}: ${why}.`;
}

/**
 * What a number typed into a control means: the value, or a message naming the typed text and
 * the range. Typed text is read as a person types numbers ("1e3", " 12 "), unlike a link.
 */
export function readTyped(row: AnyRow, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  const v = trimmed === '' ? NaN : Number(trimmed);
  const shown = trimmed === '' ? '(empty)' : trimmed.length > 20 ? `${trimmed.slice(0, 17)}...` : trimmed;
  const why = whyNot(row, v);
  return why === null ? { ok: true, value: v } : { ok: false, message: sentence(row, shown, why) };
}
