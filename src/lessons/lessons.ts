/**
 * Lessons: presets with narration that a lecturer opens from a link (`?lesson=ID`). Each sets up
 * an experiment, says in two or three sentences what to watch, and shows it within a minute on a
 * 2-core laptop without a GPU (the settings were chosen by timing them on such a machine). A lesson
 * that compares runs the variants side by side, on the same seed and data.
 */
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../worker/config';

export interface Variant {
  label: string;
  config: Partial<PlaygroundConfig>;
}

export interface Lesson {
  id: string;
  title: string;
  /** what to watch, two or three sentences */
  narration: string;
  /** the playground's settings (the first variant's, when comparing) */
  config: Partial<PlaygroundConfig>;
  /** two or more variants trained side by side */
  compare?: Variant[];
}

export const LESSONS: Lesson[] = [
  {
    id: 'vanishing',
    title: 'Vanishing gradients',
    narration:
      'A tanh RNN whose W_hh has spectral radius ρ = 0.5 must echo a symbol seen 30 steps ago. Watch the gradient norm by time step: it falls by orders of magnitude towards the early steps, so the loss cannot reach them and the accuracy stalls at the 25 % baseline. Raise ρ towards 1, or shorten the lag, and try again.',
    config: { task: 'echo', length: 40, lag: 30, cell: 'rnn', nonlinearity: 'tanh', init: 'gaussian', gain: 0.5, hiddenSize: 32, learningRate: 0.01 },
  },
  {
    id: 'exploding',
    title: 'Exploding gradients and clipping',
    narration:
      'A ReLU RNN with ρ = 1.5 on the adding problem, trained by SGD with momentum. Without clipping the first updates explode and training stops on a NaN (the playground catches it and keeps the last finite weights). With the gradient norm clipped at c = 1 the same run trains well below the 0.167 baseline.',
    config: { task: 'adding', length: 30, cell: 'rnn', nonlinearity: 'relu', init: 'gaussian', gain: 1.5, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, hiddenSize: 32, clip: 'off' },
    compare: [
      { label: 'no clipping', config: { clip: 'off' } },
      { label: 'norm clipping, c = 1', config: { clip: 'norm', clipMax: 1 } },
    ],
  },
  {
    id: 'irnn',
    title: 'Identity initialization (IRNN)',
    narration:
      'The adding problem over 100 steps. A ReLU RNN started at W_hh = I copies its state forward unchanged, so gradients neither vanish nor explode, and it gets far below the 0.167 baseline. A tanh RNN with the default initialization stays near the baseline: its gradient from the last step is gone long before the marked numbers.',
    config: { task: 'adding', length: 100, cell: 'rnn', nonlinearity: 'relu', init: 'identity', gain: 1, hiddenSize: 64, learningRate: 0.001 },
    compare: [
      { label: 'IRNN (ReLU, W_hh = I)', config: { nonlinearity: 'relu', init: 'identity', gain: 1 } },
      { label: 'tanh, default init', config: { nonlinearity: 'tanh', init: 'pytorch' } },
    ],
  },
  {
    id: 'gated',
    title: 'LSTM and GRU against a vanilla RNN',
    narration:
      'Copy memory: remember 10 symbols through 30 blank steps. The memoryless baseline is 10·ln 8/(T + 20) ≈ 0.42 nats per step. The GRU, whose update gate can keep its state unchanged, leaves the baseline; the vanilla RNN stays close to it. (Try the LSTM too: it gets there, a little slower.)',
    config: { task: 'copy_memory', length: 30, cell: 'gru', hiddenSize: 64, learningRate: 0.005 },
    compare: [
      { label: 'GRU', config: { cell: 'gru' } },
      { label: 'vanilla RNN (tanh)', config: { cell: 'rnn', nonlinearity: 'tanh' } },
    ],
  },
  {
    id: 'truncation',
    title: 'Truncated BPTT',
    narration:
      'Delayed echo with lag 8. With the gradient truncated every k = 4 steps, no gradient ever connects an output to the input it must repeat, so the accuracy stays at chance. With full BPTT the same GRU learns it. Watch the gradient norm: it drops to zero at every cut.',
    config: { task: 'echo', length: 20, lag: 8, cell: 'gru', hiddenSize: 32, learningRate: 0.01, truncation: 4 },
    compare: [
      { label: 'truncated, k = 4', config: { truncation: 4 } },
      { label: 'full BPTT', config: { truncation: 0 } },
    ],
  },
  {
    id: 'bidirectional',
    title: 'Bidirectional tagging',
    narration:
      'Each position must be tagged with the next marker that appears later in the sequence: the answer lies in the future. A left-to-right GRU cannot beat its memoryless baseline; a bidirectional one, which also reads the sequence backwards, tags perfectly.',
    config: { task: 'future_tag', length: 20, cell: 'gru', hiddenSize: 32, learningRate: 0.01, bidirectional: true },
    compare: [
      { label: 'one direction', config: { bidirectional: false } },
      { label: 'bidirectional', config: { bidirectional: true } },
    ],
  },
  {
    id: 'char-lm',
    title: 'A character-level language model',
    narration:
      'An LSTM reads the Book of Genesis one character at a time and learns to predict the next. Watch bits per character fall below the 4.36 bits of a memoryless guess. Then paste your own text on the left and train on it.',
    config: { task: 'char_lm', length: 64, cell: 'lstm', hiddenSize: 128, learningRate: 0.005, batchSize: 32, clip: 'norm', clipMax: 5 },
  },
  {
    id: 'streaming',
    title: 'Streaming prediction',
    narration:
      'A noisy sum of sines arrives as an endless stream. The network predicts one step ahead, chunk after chunk, carrying its state across chunks (constant memory per step) while the gradient is cut at each chunk. The error falls towards the noise floor.',
    config: { task: 'sines', length: 50, cell: 'gru', hiddenSize: 32, learningRate: 0.005 },
  },
  {
    id: 'init-lab',
    title: 'Initialization lab',
    narration:
      'Before any training: the singular values of the state Jacobians J_t for a Gaussian, an orthogonal and an identity W_hh at the same scale. The orthogonal and identity ones keep every singular value near 1 (dynamical isometry), so signals and gradients keep their size over time; the Gaussian spreads them out. Change the gain and watch.',
    config: { task: 'adding', length: 50, cell: 'rnn', nonlinearity: 'tanh', init: 'orthogonal', gain: 1, hiddenSize: 64 },
    compare: [
      { label: 'Gaussian, ρ = 1', config: { init: 'gaussian', gain: 1 } },
      { label: 'orthogonal, gain 1', config: { init: 'orthogonal', gain: 1 } },
      { label: 'identity', config: { init: 'identity', gain: 1, nonlinearity: 'linear' } },
    ],
  },
];

export function lessonById(id: string | null): Lesson | null {
  return LESSONS.find((l) => l.id === id) ?? null;
}

/** The full settings a lesson starts from (its first variant's, when it compares). */
export function lessonConfig(id: string | null): PlaygroundConfig {
  const lesson = lessonById(id);
  return { ...DEFAULT_CONFIG, ...(lesson?.config ?? {}), ...(lesson?.compare?.[0].config ?? {}) };
}
