/**
 * The shared shape of every task generator: what the UI shows about a task (TaskInfo), how the
 * engine gets data (Task.batch) and how a student reads progress (Task.metric).
 *
 * The engine's loss is L = (1/B) Σ_b Σ_t mask_{t,b}·ℓ_t, MSE ℓ = ½Σ_k(ŷ_k−y_k)², cross-entropy
 * ℓ = −log softmax(ŷ)[y]. The metric is reported apart from the loss, in units a student knows.
 */
import type { Batch, LossKind, Readout } from '../batch';
import type { Rng } from '../rng';

export type TaskId =
  | 'adding'
  | 'copy_memory'
  | 'echo'
  | 'temporal_order'
  | 'parity'
  | 'sines'
  | 'char_lm'
  | 'future_tag'
  | 'selective_copy'
  | 'associative_recall'
  | 'seq2seq';

export interface MetricInfo {
  name: string;
  unit?: string;
  higherIsBetter: boolean;
}

/**
 * The metric's score for the best *memoryless* guess: a prediction that may use the step index
 * (and, where said, the current input) but no earlier input. A network that does not beat it has
 * learnt nothing about time.
 */
export interface Baseline {
  value: number;
  explanation: string;
}

export interface TaskInfo {
  id: TaskId;
  name: string;
  description: string;
  /** D: size of one input vector. */
  inputSize: number;
  /** Y: size of the readout ŷ (number of classes for cross-entropy). */
  outputSize: number;
  /** Steps in one batch from `batch()`. */
  T: number;
  loss: LossKind;
  readout: Readout;
  metric: MetricInfo;
  baseline: Baseline;
  /** A second, optional number worth showing (e.g. accuracy next to cross-entropy). */
  secondaryMetric?: MetricInfo;
  /** The best score any model can reach, where it is known and not trivial (e.g. a noise floor). */
  floor?: Baseline;
  /** A character model's vocabulary, class id ↦ character, so a page can show text instead of ids. */
  vocab?: string[];
}

export interface Task {
  info: TaskInfo;
  /** A fresh batch of B independent sequences; all randomness comes from `rng`. */
  batch(rng: Rng, B: number): Batch;
  /**
   * The student-facing score of raw readouts ŷ (logits for cross-entropy):
   * `outputs` is (T, B, Y) for an every-step readout, (B, Y) for a final-step one.
   */
  metric(outputs: Float64Array, batch: Batch): number;
  secondaryMetric?(outputs: Float64Array, batch: Batch): number;
  /** Only for streaming tasks: B endless streams read in consecutive chunks. */
  stream?(rng: Rng, B: number): TaskStream;
}

/** B streams whose state (phase, last value) carries over from one chunk to the next. */
export interface TaskStream {
  readonly B: number;
  /** Steps already handed out by `next`. */
  readonly stepsDone: number;
  /** The next T steps of every stream: x_t is the current value, target_t the following one. */
  next(T?: number): Batch;
}

export interface AddingSpec {
  kind: 'adding';
  /** Sequence length (default 50). */
  T?: number;
}

export interface CopyMemorySpec {
  kind: 'copy_memory';
  /** Arjovsky et al.'s T: blanks to wait through; the sequence has T + 20 steps (default 20). */
  delay?: number;
}

export interface EchoSpec {
  kind: 'echo';
  T?: number; // default 20
  /** L: the target at step t is the input at t − L (default 3). */
  lag?: number;
  /** K: number of symbols (default 4). */
  K?: number;
}

export interface TemporalOrderSpec {
  kind: 'temporal_order';
  /** Sequence length (default 50; Hochreiter & Schmidhuber used 100–110). */
  T?: number;
}

export interface ParitySpec {
  kind: 'parity';
  /** Number of bits (default 8). */
  T?: number;
}

export interface SineComponent {
  amplitude: number;
  /** Period in steps. */
  period: number;
}

export interface SinesSpec {
  kind: 'sines';
  /** Steps per chunk (default 50). */
  T?: number;
  components?: SineComponent[];
  /** σ of the Gaussian noise added to every sample (default 0.1). */
  noiseStd?: number;
}

export interface CharLmSpec {
  kind: 'char_lm';
  /** The corpus itself: the engine never reads files. */
  text: string;
  /** Window length (default 64). */
  T?: number;
  /** Largest vocabulary; rarer characters become U+FFFD (default 96). */
  maxVocab?: number;
}

export interface FutureTagSpec {
  kind: 'future_tag';
  T?: number; // default 30
  /** K: number of marker symbols = number of labels (default 4). */
  K?: number;
  /** q: probability that a step carries a marker rather than noise (default 0.2). */
  markerProb?: number;
}

export interface SelectiveCopySpec {
  kind: 'selective_copy';
  /** S: noise steps among which the symbols are scattered; the sequence has S + 2N steps (default 20). */
  noise?: number;
  /** N: symbols to copy (default 4). */
  tokens?: number;
  /** K: number of data symbols (default 8). */
  K?: number;
}

export interface AssociativeRecallSpec {
  kind: 'associative_recall';
  /** n: key–value pairs before the query, one a step, at most `keys`; the sequence has n + 1 steps (default 8). */
  pairs?: number;
  /** Keys to draw the n distinct keys from (default 32). */
  keys?: number;
  /** V: number of values (default 8). */
  values?: number;
}

export type TaskSpec =
  | AddingSpec
  | CopyMemorySpec
  | EchoSpec
  | TemporalOrderSpec
  | ParitySpec
  | SinesSpec
  | CharLmSpec
  | FutureTagSpec
  | SelectiveCopySpec
  | AssociativeRecallSpec;

export interface Seq2SeqSpec {
  kind: 'seq2seq';
  /** 'reverse' (default) or 'sort' (ascending symbol id). */
  mode?: 'reverse' | 'sort';
  /** n: length of the source and of the target (default 6). */
  n?: number;
  /** K: number of symbols (default 8). */
  K?: number;
}
