/**
 * Lessons: presets with narration that a lecturer opens from a link (`?lesson=ID`). Each sets up
 * an experiment, says in two or three sentences what to watch, and lists what it asserts as
 * claims: checks on the run's figures (./claims.ts) that the page ticks, `npm run lesson` prints
 * and test/lessons-claims.test.ts asserts on several seeds. A sentence that states a number uses
 * the same constant as its check. A lesson that compares runs the variants side by side, on the
 * same seed and data.
 *
 * `steps` is about two minutes of a lecture. The rates behind it were measured with the wasm
 * backend in Node on a 2-core machine while another run trained beside it (as a comparing lesson's
 * two workers do on a 2-core laptop), less a quarter for the page's analysis and drawing:
 * steps ≈ 120 s × that rate. The claims were checked at that count and beyond (see the report in
 * test/lessons-claims.test.ts); the unit tests use shorter runs that already show the phenomenon.
 */
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../worker/config';
import { SELECTIVE_COPY_SYMBOLS, SELECTIVE_COPY_TOKENS } from '../engine/tasks/selectiveCopy';
import { RECALL_KEYS, RECALL_VALUES } from '../engine/tasks/associativeRecall';
import type { LayerKind } from '../engine/anyModel';
import { attentionPairs, loopSteps, scanCombines, scanRounds } from '../engine/costs';
import { finalAverage, metricUpTo, only, trailingMeans, variant, type Claim, type LessonFigures, type Role, type VariantFigures } from './claims';

export interface Variant {
  label: string;
  /** which run the narration expects to work, and which to fail */
  role: Role;
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
  /** a single-run lesson's role (a comparing lesson gives one per variant) */
  role?: Role;
  /** the label of a single-run lesson's run */
  label?: string;
  /** a single-run lesson about costs: the page shows the cost view (ui/lessons/CostLessonView) in place of the panels */
  view?: 'costs';
  /** updates per run that the claims are made for: about two minutes of a lecture (see above) */
  steps: number;
  /** what the narration asserts, as checks on the run's figures */
  claims: Claim[];
}

/** The echo lag of `vanishing`, its spectral radius and alphabet. */
const VANISH = { lag: 30, rho: 0.5, K: 4, gradDrop: 1e-4, near: 0.02 };
const LN_K = Math.log(VANISH.K);
/** The adding problem's memoryless baseline, 1/6. */
const ADDING_BASELINE = 1 / 6;
const EXPLODE = { rho: 1.5, clip: 1, below: 1 / 3, stuck: 0.9 };
const IRNN = { T: 100, below: 0.1, near: 0.5 };
/** Copy memory's delay, and its baseline 10·ln 8/(delay + 20) nats per step. */
const COPY = { delay: 30, below: 0.5, near: 0.9 };
const COPY_BASELINE = (10 * Math.log(8)) / (COPY.delay + 20);
const TRUNC = { lag: 8, k: 4, full: 0.8, truncatedBelow: 0.5 };
const BIDI = { perfect: 0.98, above: 0.01 };
/** Unigram entropy of the shipped Genesis text, bits per character, to two decimals (checked against the task). */
const GENESIS_BITS = 4.36;
const CHAR = { below: 1 };
/** The sines' noise σ = 0.1 makes σ² = 0.01 a floor no predictor can beat. */
const SINES = { floorTimes: 3 };
const INIT = { spreadMax: 1.4, spreadMin: 0.1, orthBelow: 0.5, orthShare: 0.95 };

/**
 * Selective copying (Gu & Dao 2023, §3.1): N symbols of K among S noise steps (the task's N and K),
 * and Table 1's accuracies at 4 096 steps, 16 tokens: S4 (no gate) 18.3 %, S6 (no gate) 97.0 %.
 * `steps` is under a minute here, not two: Mamba, the slower run, trains ~83 steps/s (wasm, Node,
 * 2 cores, alone; the LRU ~220), so 2 000 steps take ~25 s alone and ~40 s beside the LRU with the
 * page's drawing; Mamba passes 80 % at steps 1 100–1 500. The LRU keeps climbing slowly past them
 * (0.64 by step 6 000 on seed 2), so its claims name the first 2 000 steps.
 */
const SELECT = { S: 64, steps: 2_000, N: SELECTIVE_COPY_TOKENS, K: SELECTIVE_COPY_SYMBOLS, mambaAbove: 0.8, lruBelow: 0.6, gap: 0.4, window: 100, paperS4: 18.3, paperS6: 97.0 };
/** 1/K as the task states it, 12.5 % (pct would round it). */
const SELECT_BASELINE = `${(100 / SELECT.K).toFixed(1)} %`;
/**
 * The price of attention, in closed form (engine/costs.ts, each checked against a count of what
 * the engine does in test/engine-costs.test.ts): one layer at H = 32, N = 16, 2 heads, every kind
 * at these settings, T from `from` to `T`. Nothing here depends on the seed or the machine.
 */
const PRICE = { H: 32, N: 16, heads: 2, from: 16, T: 256 };
const PRICE_RNNS: LayerKind[] = ['rnn', 'lstm', 'gru', 'lru', 'mamba', 'rwkv', 'mingru'];
/** What each recurrent kind carries from one generated step to the next, at PRICE's sizes. */
const PRICE_STATE: Partial<Record<LayerKind, number>> = { rnn: PRICE.H, lstm: 2 * PRICE.H, lru: 2 * PRICE.N, mamba: PRICE.H * PRICE.N };
const grouped = (x: number): string => x.toLocaleString('en');
/** A kind's closed-form curves in a single-run lesson's figures, and the index of length T. */
function costsOf(f: LessonFigures, cell: LayerKind) {
  const c = only(f).costs;
  const k = c?.kinds.find((x) => x.cell === cell);
  if (!c || !k) throw new Error(`no costs for ${cell}`);
  return { ...k, at: (T: number) => c.lengths.indexOf(T), lengths: c.lengths, scan: c.scan };
}
/**
 * Associative recall, one pair a step (engine/tasks/associativeRecall.ts says why): attention, an
 * LSTM and Mamba, all H = 16 and one layer. `params` and `state` are what the narration says of
 * them (test/lessons-recall.test.ts checks them against the engine's counts): parameters, and the
 * floats carried from one step to the next (the LSTM's h and c; Mamba's 16 × N; attention's keys
 * and values, at the query). Measured over 2 500 steps, seeds 1–8 (wasm, Node): attention's
 * 100-step mean passes 90 % at steps 600–850 and is 0.99–1.00 from there; Mamba (N = 2) ends
 * 0.35–0.45, still creeping up; the LSTM 0.28–0.35. With N = 4 Mamba reached 0.62/0.74 by step
 * 3 000 (seeds 1, 3), with N = 8 0.76/0.93: the bigger its state, the further it gets. Speed
 * (wasm, Node, 2 busy cores): ~200–300 steps/s each, so the page's three runs pass step 1 000
 * well inside a minute.
 */
const RECALL = {
  pairs: 16, H: 16, heads: 2, N: 2, lr: 0.01, steps: 2_000,
  passBy: 1_000, pass: 0.9, attentionAbove: 0.95, recurrentBelow: 0.6, window: 100,
  params: { attention: 2_472, lstm: 3_848, mamba: 1_832 },
  state: { lstm: 32, mamba: 32, attention: 544 },
};
/** 1/V, 12.5 % (pct would round it). */
const RECALL_BASELINE = `${(100 / RECALL_VALUES).toFixed(1)} %`;
const RECALL_LABELS = { attention: 'attention', lstm: 'LSTM', mamba: `Mamba (N = ${RECALL.N})` };
const thousands = (x: number): string => x.toLocaleString('en');
/**
 * Long memory without vanishing (Orvieto et al. 2023): copy memory at delay 200 (T = 220), an LRU
 * whose λ start on the ring 0.9 ≤ |λ| ≤ 0.999 against a tanh RNN of about its size; `params` is
 * what the narration says of them (test/lessons-long-memory.test.ts checks the engine's counts).
 * Batches of 16 halve a step's cost beside the default 32 and learn as fast per step here.
 * Measured (wasm, Node): per CPU-second the LRU trains ~95 steps and the RNN ~60 (each also
 * computing ∂L/∂x every step), so on the page's two workers the 2 000 steps take ~30 s and ~45 s.
 * Loss over the baseline at 2 000 steps, seeds 2–6: LRU 0.66–0.90, RNN 1.006–1.9 (seed 2's RNN
 * ends on a spike); at 1 000 steps, seeds 1, 4, 11–13: LRU 0.55–0.89. The LRU learns a symbol at
 * a time (each is a tenth of the baseline) and can hold a level for thousands of steps (seed 1:
 * ~0.82 from step 1 000 to 5 000, 0.68 by 8 000). Symbol reach at the end: LRU 0.4–2.8, RNN
 * 1e-5–2e-4.
 */
export const LONG_MEMORY = {
  delay: 200, rMin: 0.9, rMax: 0.999, H: 32, N: 32, rnnH: 64, lr: 0.005, batch: 16, steps: 2_000,
  lruBelow: 0.95, rnnAbove: 0.99, rnnReach: 0.01, lruReach: 0.1, symbols: 10,
  params: { lru: 5_225, rnn: 5_449 },
};
const LONG_T = LONG_MEMORY.delay + 2 * LONG_MEMORY.symbols;
const LONG_BASELINE = (LONG_MEMORY.symbols * Math.log(8)) / LONG_T;
const LONG_LABELS = { lru: `LRU, ${LONG_MEMORY.rMin} ≤ |λ| ≤ ${LONG_MEMORY.rMax}`, rnn: `tanh RNN, H = ${LONG_MEMORY.rnnH}` };
/** The gradient that reaches the symbols: the median of ‖∂L/∂x_t‖ over the first `symbols` steps,
 *  over ‖∂L/∂x_t‖ at the last step (the median, since the first step also carries its own
 *  output's loss). NaN before any gradient. */
export function symbolReach(inputGradNorms: readonly number[], symbols: number): number {
  const g = inputGradNorms;
  if (g.length <= symbols || !(g[g.length - 1] > 0)) return NaN;
  const s = g.slice(0, symbols).sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return median / g[g.length - 1];
}
const reachOf = (f: LessonFigures, label: string): number => {
  const v = variant(f, label);
  return v.inputGradNorms.length === LONG_T ? symbolReach(v.inputGradNorms, LONG_MEMORY.symbols) : NaN;
};
const fmt = (x: number, digits = 2): string => x.toFixed(digits);
const pct = (x: number): string => `${Math.round(x * 100)} %`;
const allSingularValues = (v: VariantFigures): number[] => (v.initialJacobianSingularValues ?? []).flat();

/**
 * Sequence to sequence (reverse n symbols of K), a GRU encoder and decoder of H units in the float64
 * engine (worker/seq2seqTrainer.ts): n = 4 without attention, n = 16 without and with it. The
 * claims are on the teacher-forced per-token accuracy (the runs' metric); the panel also draws the
 * free-running one. Bahdanau, Cho & Bengio 2015, Table 1 (BLEU, whole English–French test set):
 * RNNencdec-50 17.82, RNNsearch-50 26.75; their Fig. 2 draws the fall of RNNencdec with sentence
 * length while RNNsearch-50 holds past 50 words.
 */
const S2S = { K: 8, short: 4, long: 16, H: 32, batch: 16, lr: 0.01, steps: 400, shortAbove: 0.9, attentionAbove: 0.9, bottleneckBelow: 0.6, window: 50, paperEncdec50: 17.82, paperSearch50: 26.75 };
const S2S_LABELS = { short: `n = ${S2S.short}, final state only`, long: `n = ${S2S.long}, final state only`, attention: `n = ${S2S.long}, attention` };
/** 1/K as the task states it, 12.5 %. */
const S2S_BASELINE = `${(100 / S2S.K).toFixed(1)} %`;

export const LESSONS: Lesson[] = [
  {
    id: 'vanishing',
    title: 'Vanishing gradients',
    narration:
      `A tanh RNN whose W_hh starts at spectral radius ρ = ${VANISH.rho} must echo a symbol seen ${VANISH.lag} steps ago, trained by plain SGD with momentum. ` +
      `Watch the gradient norm by time step: it falls by more than four orders of magnitude from the last step back to the first, so no gradient reaches the input that matters. ` +
      `The accuracy stays at the ${pct(1 / VANISH.K)} of a guess and the loss at ln ${VANISH.K} ≈ ${fmt(LN_K)} nats per scored step, while ρ stays below 1 throughout. Raise ρ towards 1, or shorten the lag, and try again.`,
    config: { task: 'echo', length: VANISH.lag + 10, lag: VANISH.lag, symbols: VANISH.K, cell: 'rnn', nonlinearity: 'tanh', init: 'gaussian', gain: VANISH.rho, hiddenSize: 32, optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 },
    label: 'tanh RNN, ρ = 0.5',
    role: 'fails',
    steps: 70_000,
    claims: [
      { text: `ρ(W_hh) starts at ${VANISH.rho} and stays below 1 for the whole run`, check: (f) => Math.abs(only(f).spectralRadius!.start - VANISH.rho) < 1e-3 && only(f).history.spectralRadius!.every((r) => r < 1) },
      {
        text: `‖∂L/∂h_t‖ at the first step is less than 10⁻⁴ of its value at the last`,
        check: (f) => {
          const g = only(f).gradNormByStep;
          return g[g.length - 1] > 0 && g[0] / g[g.length - 1] < VANISH.gradDrop;
        },
      },
      { text: `the accuracy stays within ${VANISH.near * 100} points of the ${pct(1 / VANISH.K)} baseline throughout`, check: (f) => trailingMeans(only(f).history.metric, 500).every((a) => Math.abs(a - 1 / VANISH.K) < VANISH.near) && Math.abs(only(f).metric.final - 1 / VANISH.K) < VANISH.near },
      { text: `the loss ends within ${VANISH.near} of ln ${VANISH.K} ≈ ${fmt(LN_K)} nats per scored step`, check: (f) => Math.abs(only(f).loss.final - LN_K) < VANISH.near },
    ],
  },
  {
    id: 'exploding',
    title: 'Exploding gradients and clipping',
    narration:
      `A ReLU RNN with ρ = ${EXPLODE.rho} on the adding problem, trained by SGD with momentum. Without clipping the first updates explode: the run either stops on a NaN or Inf (the playground catches it and keeps the last finite weights), ` +
      `or its weights jump so far that its units die and it ends at the ${fmt(ADDING_BASELINE, 3)} baseline (above ${pct(EXPLODE.stuck)} of it). ` +
      `With the gradient norm clipped at c = ${EXPLODE.clip} the same run never diverges and ends below a third of the baseline.`,
    config: { task: 'adding', length: 30, cell: 'rnn', nonlinearity: 'relu', init: 'gaussian', gain: EXPLODE.rho, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, hiddenSize: 32, clip: 'off' },
    compare: [
      { label: 'no clipping', role: 'fails', config: { clip: 'off' } },
      { label: `norm clipping, c = ${EXPLODE.clip}`, role: 'succeeds', config: { clip: 'norm', clipMax: EXPLODE.clip } },
    ],
    steps: 120_000,
    claims: [
      {
        text: `without clipping the run diverges, or ends above ${pct(EXPLODE.stuck)} of the baseline`,
        check: (f) => variant(f, 'no clipping').diverged || variant(f, 'no clipping').metric.final > EXPLODE.stuck * ADDING_BASELINE,
      },
      { text: `clipped at c = ${EXPLODE.clip} it never diverges`, check: (f) => !variant(f, `norm clipping, c = ${EXPLODE.clip}`).diverged },
      { text: `clipped, its mean squared error ends below a third of the ${fmt(ADDING_BASELINE, 3)} baseline`, check: (f) => variant(f, `norm clipping, c = ${EXPLODE.clip}`).metric.final < EXPLODE.below * ADDING_BASELINE },
    ],
  },
  {
    id: 'irnn',
    title: 'Identity initialization (IRNN)',
    narration:
      `The adding problem over ${IRNN.T} steps. A ReLU RNN started at W_hh = I copies its state forward unchanged, so gradients neither vanish nor explode, and it ends below a tenth of the ${fmt(ADDING_BASELINE, 3)} baseline. ` +
      `A tanh RNN with the default initialization stays above half the baseline: its gradient from the last step fades over the ${IRNN.T} steps back to the marked numbers.`,
    config: { task: 'adding', length: IRNN.T, cell: 'rnn', nonlinearity: 'relu', init: 'identity', gain: 1, hiddenSize: 64, learningRate: 0.001 },
    compare: [
      { label: 'IRNN (ReLU, W_hh = I)', role: 'succeeds', config: { nonlinearity: 'relu', init: 'identity', gain: 1 } },
      { label: 'tanh, default init', role: 'fails', config: { nonlinearity: 'tanh', init: 'pytorch' } },
    ],
    steps: 13_000,
    claims: [
      { text: `the IRNN ends below a tenth of the ${fmt(ADDING_BASELINE, 3)} baseline`, check: (f) => variant(f, 'IRNN (ReLU, W_hh = I)').metric.final < IRNN.below * ADDING_BASELINE },
      { text: 'the tanh RNN stays above half the baseline', check: (f) => variant(f, 'tanh, default init').metric.final > IRNN.near * ADDING_BASELINE },
      { text: 'neither run diverges', check: (f) => f.variants.every((v) => !v.diverged) },
    ],
  },
  {
    id: 'gated',
    title: 'A gated cell (GRU) against a vanilla RNN',
    narration:
      `Copy memory: remember 10 symbols through ${COPY.delay} blank steps. The memoryless baseline is 10·ln 8/(T + 20) ≈ ${fmt(COPY_BASELINE)} nats per step. ` +
      `The GRU, whose update gate can keep its state unchanged, ends below half of it; the vanilla RNN stays above ${pct(COPY.near)} of it.`,
    config: { task: 'copy_memory', length: COPY.delay, cell: 'gru', hiddenSize: 64, learningRate: 0.01 },
    compare: [
      { label: 'GRU', role: 'succeeds', config: { cell: 'gru' } },
      { label: 'vanilla RNN (tanh)', role: 'fails', config: { cell: 'rnn', nonlinearity: 'tanh' } },
    ],
    steps: 10_000,
    claims: [
      { text: `the baseline is ${fmt(COPY_BASELINE)} nats per step`, check: (f) => f.variants.every((v) => Math.abs(v.metric.baseline - COPY_BASELINE) < 1e-12) },
      { text: 'the GRU ends below half the baseline', check: (f) => variant(f, 'GRU').metric.final < COPY.below * COPY_BASELINE },
      { text: `the vanilla RNN stays above ${pct(COPY.near)} of the baseline`, check: (f) => variant(f, 'vanilla RNN (tanh)').metric.final > COPY.near * COPY_BASELINE },
    ],
  },
  {
    id: 'truncation',
    title: 'Truncated BPTT',
    narration:
      `Delayed echo with lag ${TRUNC.lag}: the output at step t must repeat the input of step t − ${TRUNC.lag}. With the gradient truncated every k = ${TRUNC.k} steps, no gradient ever connects an output to the input it must repeat, so the recurrent weights are never trained to keep it; ` +
      `whatever the truncated GRU gets above chance (${pct(1 / 4)}) it keeps by accident, and it stays below ${pct(TRUNC.truncatedBelow)}, while the same GRU with full BPTT goes above ${pct(TRUNC.full)}. ` +
      `Watch the gradient norm by time step: under truncation it is exactly zero on the first ${TRUNC.lag} steps (their windows hold no scored output), and nothing crosses a cut.`,
    config: { task: 'echo', length: 20, lag: TRUNC.lag, cell: 'gru', hiddenSize: 32, learningRate: 0.01, truncation: TRUNC.k },
    compare: [
      { label: `truncated, k = ${TRUNC.k}`, role: 'fails', config: { truncation: TRUNC.k } },
      { label: 'full BPTT', role: 'succeeds', config: { truncation: 0 } },
    ],
    steps: 55_000,
    claims: [
      { text: `truncated at k = ${TRUNC.k}, the accuracy ends below ${pct(TRUNC.truncatedBelow)}`, check: (f) => variant(f, `truncated, k = ${TRUNC.k}`).metric.final < TRUNC.truncatedBelow },
      { text: `with full BPTT it ends above ${pct(TRUNC.full)}`, check: (f) => variant(f, 'full BPTT').metric.final > TRUNC.full },
      { text: `truncated, ‖∂L/∂h_t‖ is exactly 0 for t < ${TRUNC.lag}`, check: (f) => variant(f, `truncated, k = ${TRUNC.k}`).gradNormByStep.slice(0, TRUNC.lag).every((g) => g === 0) },
      { text: 'with full BPTT, ‖∂L/∂h_t‖ is above 0 at every step', check: (f) => variant(f, 'full BPTT').gradNormByStep.every((g) => g > 0) },
    ],
  },
  {
    id: 'bidirectional',
    title: 'Bidirectional tagging',
    narration:
      'Each position must be tagged with the next marker that appears later in the sequence: the answer lies in the future. ' +
      `A left-to-right GRU cannot beat its memoryless baseline (it ends within ${BIDI.above * 100} point of it at most); a bidirectional one, which also reads the sequence backwards, tags above ${pct(BIDI.perfect)}.`,
    config: { task: 'future_tag', length: 20, cell: 'gru', hiddenSize: 32, learningRate: 0.01, bidirectional: true },
    compare: [
      { label: 'one direction', role: 'fails', config: { bidirectional: false } },
      { label: 'bidirectional', role: 'succeeds', config: { bidirectional: true } },
    ],
    steps: 55_000,
    claims: [
      { text: `one direction ends no more than ${BIDI.above * 100} point above its baseline`, check: (f) => variant(f, 'one direction').metric.final < variant(f, 'one direction').metric.baseline + BIDI.above },
      { text: `bidirectional ends above ${pct(BIDI.perfect)}`, check: (f) => variant(f, 'bidirectional').metric.final > BIDI.perfect },
    ],
  },
  {
    id: 'char-lm',
    title: 'A character-level language model',
    narration:
      `An LSTM reads the Book of Genesis one character at a time and learns to predict the next. Watch bits per character fall below the ${GENESIS_BITS} bits of a memoryless guess (each character at its frequency in the text), and more than ${CHAR.below} bit below it within two minutes. ` +
      'Then paste your own text on the left and train on it.',
    config: { task: 'char_lm', length: 64, cell: 'lstm', hiddenSize: 128, learningRate: 0.005, batchSize: 32, clip: 'norm', clipMax: 5 },
    label: 'LSTM, 128 units',
    role: 'succeeds',
    steps: 2_200,
    claims: [
      { text: `the memoryless baseline is ${GENESIS_BITS} bits per character`, check: (f) => only(f).metric.baseline.toFixed(2) === GENESIS_BITS.toFixed(2) },
      { text: `bits per character end more than ${CHAR.below} bit below it`, check: (f) => only(f).metric.final < only(f).metric.baseline - CHAR.below },
      { text: 'it never diverges', check: (f) => !only(f).diverged },
    ],
  },
  {
    id: 'streaming',
    title: 'Streaming prediction',
    narration:
      'A noisy sum of sines arrives as an endless stream. The network predicts one step ahead, chunk after chunk, carrying its state across chunks (constant memory per step) while the gradient is cut at each chunk. ' +
      `The error falls from the signal's variance (the memoryless baseline) towards the noise floor σ² = 0.01, ending within ${SINES.floorTimes}× of it.`,
    config: { task: 'sines', length: 50, cell: 'gru', hiddenSize: 32, learningRate: 0.005 },
    label: 'GRU, 32 units',
    role: 'succeeds',
    steps: 46_000,
    claims: [
      { text: `the error ends below ${SINES.floorTimes}× the noise floor σ² = 0.01`, check: (f) => only(f).metric.final < SINES.floorTimes * 0.01 },
      { text: 'it never diverges', check: (f) => !only(f).diverged },
    ],
  },
  {
    id: 'init-lab',
    title: 'Initialization lab',
    narration:
      'Before any training: the singular values of the state Jacobians J_t = diag(φ′)·W_hh for a Gaussian, an orthogonal and an identity W_hh, all at spectral radius 1. ' +
      `The identity with a linear unit keeps every singular value at exactly 1, and the orthogonal one keeps every one at most 1 and nearly all above ${INIT.orthBelow} (only tanh′ = 1 − h² shrinks them): signals and gradients keep their size over time. ` +
      `The Gaussian spreads them out, from below ${INIT.spreadMin} to above ${INIT.spreadMax}.`,
    config: { task: 'adding', length: 50, cell: 'rnn', nonlinearity: 'tanh', init: 'orthogonal', gain: 1, hiddenSize: 64 },
    compare: [
      { label: 'Gaussian, ρ = 1', role: 'fails', config: { init: 'gaussian', gain: 1 } },
      { label: 'orthogonal, gain 1', role: 'succeeds', config: { init: 'orthogonal', gain: 1 } },
      { label: 'identity', role: 'succeeds', config: { init: 'identity', gain: 1, nonlinearity: 'linear' } },
    ],
    steps: 0,
    claims: [
      { text: 'every W_hh starts at spectral radius 1', check: (f) => f.variants.every((v) => Math.abs(v.spectralRadius!.start - 1) < 1e-6) },
      { text: 'identity: every singular value of every J_t is 1', check: (f) => allSingularValues(variant(f, 'identity')).every((s) => Math.abs(s - 1) < 1e-9) },
      {
        text: `orthogonal: none above 1, and ${pct(INIT.orthShare)} of them above ${INIT.orthBelow}`,
        check: (f) => {
          const sv = allSingularValues(variant(f, 'orthogonal, gain 1'));
          return sv.length > 0 && sv.every((s) => s <= 1 + 1e-9) && sv.filter((s) => s > INIT.orthBelow).length >= INIT.orthShare * sv.length;
        },
      },
      {
        text: `Gaussian: from below ${INIT.spreadMin} to above ${INIT.spreadMax}`,
        check: (f) => {
          const sv = allSingularValues(variant(f, 'Gaussian, ρ = 1'));
          return sv.length > 0 && Math.min(...sv) < INIT.spreadMin && Math.max(...sv) > INIT.spreadMax;
        },
      },
    ],
  },
  {
    id: 'selective-copy',
    title: 'Selective copying: LRU against Mamba',
    narration:
      `${SELECT.N} symbols (of ${SELECT.K}) sit at random steps among ${SELECT.S} noise steps, and must be recalled in order at the end. Where they sit changes with every sequence, so a network must choose what to keep by what it reads. ` +
      `Mamba's step size Δ depends on the input, so it can let noise pass without touching its state; it ends above ${pct(SELECT.mambaAbove)}. The LRU, same width and state size N, decays the same way at every step whatever it reads (a time-invariant filter), so it keeps a fixed blend of symbols and noise alike: it climbs slowly, stays below ${pct(SELECT.lruBelow)} for the ${SELECT.steps} steps (the baseline is ${SELECT_BASELINE}) and is more than ${SELECT.gap * 100} points behind Mamba at the end of them. ` +
      `A larger run shows the same split: at 4 096 steps Gu and Dao's Table 1 has the time-invariant S4 layer at ${SELECT.paperS4} % and the selective S6 at ${SELECT.paperS6} %.`,
    config: { task: 'selective_copy', length: SELECT.S, cell: 'mamba', hiddenSize: 32, stateSize: 8, numLayers: 2, learningRate: 0.005 },
    compare: [
      { label: 'Mamba', role: 'succeeds', config: { cell: 'mamba' } },
      { label: 'LRU', role: 'fails', config: { cell: 'lru' } },
    ],
    steps: SELECT.steps,
    claims: [
      { text: `the memoryless baseline is ${SELECT_BASELINE}`, check: (f) => f.variants.every((v) => Math.abs(v.metric.baseline - 1 / SELECT.K) < 1e-12) },
      { text: `Mamba ends above ${pct(SELECT.mambaAbove)}`, check: (f) => variant(f, 'Mamba').metric.final > SELECT.mambaAbove },
      { text: `over its first ${SELECT.steps} steps the LRU stays below ${pct(SELECT.lruBelow)} (mean of every ${SELECT.window} steps)`, check: (f) => trailingMeans(metricUpTo(variant(f, 'LRU'), SELECT.steps), SELECT.window).every((a) => a < SELECT.lruBelow) },
      {
        text: `at step ${SELECT.steps} Mamba is more than ${SELECT.gap * 100} points above the LRU (each averaged over the last 5 % of those steps)`,
        check: (f) => {
          const reached = f.variants.every((v) => v.history.step[v.history.step.length - 1] >= SELECT.steps);
          return reached && finalAverage(metricUpTo(variant(f, 'Mamba'), SELECT.steps)) - finalAverage(metricUpTo(variant(f, 'LRU'), SELECT.steps)) > SELECT.gap;
        },
      },
      { text: 'neither run diverges', check: (f) => f.variants.every((v) => !v.diverged) },
    ],
  },
  {
    id: 'associative-recall',
    title: 'Associative recall: attention against an LSTM and Mamba',
    narration:
      `${RECALL.pairs} key–value pairs go by, one a step (a key out of ${RECALL_KEYS} with its value, one of ${RECALL_VALUES}); then a key comes again, alone: answer its value (the baseline is ${RECALL_BASELINE}). ` +
      `Attention answers by lookup: the query is compared with every step so far and the match's value comes back, so one layer passes ${pct(RECALL.pass)} within ${thousands(RECALL.passBy)} steps and ends above ${pct(RECALL.attentionAbove)}. ` +
      `The LSTM and Mamba must squeeze all ${RECALL.pairs} pairs into the ${RECALL.state.lstm} numbers they carry from step to step (the LSTM's h and c; Mamba's ${RECALL.H} channels × N = ${RECALL.N}) where attention keeps every key and value (${RECALL.state.attention} numbers at the query): both stay below ${pct(RECALL.recurrentBelow)} over the first ${thousands(RECALL.steps)} steps, creeping up slowly; a larger N takes Mamba further. ` +
      `Sizes alike, all H = ${RECALL.H}: ${thousands(RECALL.params.attention)} parameters for attention, ${thousands(RECALL.params.lstm)} for the LSTM, ${thousands(RECALL.params.mamba)} for Mamba. ` +
      `At scale the split stays: Zoology (Arora et al. 2023) finds that recurrent and gated-convolution models need more state as the pairs grow while attention does not, and that a 70-million-parameter attention model beats a 1.4-billion-parameter gated-convolution model on associative recall.`,
    config: { task: 'associative_recall', length: RECALL.pairs, cell: 'attention', hiddenSize: RECALL.H, numLayers: 1, numHeads: RECALL.heads, stateSize: RECALL.N, learningRate: RECALL.lr },
    compare: [
      { label: RECALL_LABELS.attention, role: 'succeeds', config: { cell: 'attention' } },
      { label: RECALL_LABELS.lstm, role: 'fails', config: { cell: 'lstm' } },
      { label: RECALL_LABELS.mamba, role: 'fails', config: { cell: 'mamba' } },
    ],
    steps: RECALL.steps,
    claims: [
      { text: `the memoryless baseline is ${RECALL_BASELINE}`, check: (f) => f.variants.every((v) => Math.abs(v.metric.baseline - 1 / RECALL_VALUES) < 1e-12) },
      {
        text: `attention passes ${pct(RECALL.pass)} (mean of ${RECALL.window} steps) within its first ${thousands(RECALL.passBy)} steps`,
        check: (f) => trailingMeans(metricUpTo(variant(f, RECALL_LABELS.attention), RECALL.passBy), RECALL.window).some((a) => a > RECALL.pass),
      },
      { text: `attention ends above ${pct(RECALL.attentionAbove)}`, check: (f) => variant(f, RECALL_LABELS.attention).metric.final > RECALL.attentionAbove },
      {
        text: `over their first ${thousands(RECALL.steps)} steps the LSTM and Mamba stay below ${pct(RECALL.recurrentBelow)} (mean of every ${RECALL.window} steps)`,
        check: (f) => [RECALL_LABELS.lstm, RECALL_LABELS.mamba].every((label) => trailingMeans(metricUpTo(variant(f, label), RECALL.steps), RECALL.window).every((a) => a < RECALL.recurrentBelow)),
      },
      { text: 'no run diverges', check: (f) => f.variants.every((v) => !v.diverged) },
    ],
  },
  {
    id: 'attention-cost',
    title: 'The price of attention',
    narration:
      `Attention reads every earlier step directly, so nothing fades along a chain of steps; the price is that step t compares itself with all t + 1 steps so far, so its FLOPs grow as T² where those of the RNN, LSTM, GRU, LRU, Mamba, RWKV and minGRU grow in proportion to T. ` +
      'To generate the next step attention keeps every earlier key and value (2·H·t floats), a recurrent model a state of fixed size. ' +
      'The linear recurrences (LRU, Mamba, RWKV, minGRU) can also train by a parallel scan (the Recurrence setting): ⌈log₂ T⌉ rounds instead of T − 1 steps one after another, doing more work for the same numbers, which pays where a round runs at once, on a GPU. ' +
      'The charts are these closed forms at this run’s settings; Measure times a training step of each kind on this machine.',
    view: 'costs',
    config: { task: 'echo', length: 64, lag: 5, cell: 'attention', hiddenSize: PRICE.H, numHeads: PRICE.heads, stateSize: PRICE.N, numLayers: 1 },
    label: `attention, H = ${PRICE.H}, ${PRICE.heads} heads`,
    role: 'succeeds',
    steps: 0,
    claims: [
      {
        text: `the recurrent kinds' FLOPs per sequence grow exactly in proportion to T (×${PRICE.T / PRICE.from} from T = ${PRICE.from} to ${PRICE.T})`,
        check: (f) =>
          PRICE_RNNS.every((cell) => {
            const k = costsOf(f, cell);
            return k.lengths.every((T, i) => Math.abs(k.forwardFlops[i] / T / (k.forwardFlops[0] / k.lengths[0]) - 1) < 1e-12) && k.at(PRICE.from) >= 0 && k.at(PRICE.T) >= 0;
          }),
      },
      {
        text: `attention's FLOPs per step rise with every longer T: it scores T(T + 1)/2 pairs per head, ${grouped(attentionPairs(PRICE.T))} at T = ${PRICE.T}`,
        check: (f) => {
          const k = costsOf(f, 'attention');
          const perStep = k.forwardFlops.map((x, i) => x / k.lengths[i]);
          return perStep.every((x, i) => i === 0 || x > perStep[i - 1]) && k.forwardFlops[k.at(PRICE.T)] / k.forwardFlops[k.at(PRICE.from)] > PRICE.T / PRICE.from;
        },
      },
      {
        text: `to generate the next step after ${PRICE.T}, attention keeps ${grouped(2 * PRICE.H * PRICE.T)} floats (2·H·t, growing), Mamba ${grouped(PRICE.H * PRICE.N)}, the LSTM ${2 * PRICE.H}, the RNN and the LRU ${PRICE.H} at every step`,
        check: (f) => {
          const a = costsOf(f, 'attention');
          const grows = a.lengths.every((T, i) => a.stateFloats[i] === 2 * PRICE.H * T);
          const fixed = Object.entries(PRICE_STATE).every(([cell, n]) => costsOf(f, cell as LayerKind).stateFloats.every((x) => x === n));
          return grows && fixed;
        },
      },
      {
        text: `a parallel scan over ${PRICE.T} steps takes ${scanRounds(PRICE.T)} rounds where the loop takes ${loopSteps(PRICE.T)} steps, and does ${grouped(scanCombines(PRICE.T))} combines per channel where the loop does ${loopSteps(PRICE.T)}`,
        check: (f) => {
          const { scan, at } = costsOf(f, 'mamba');
          const i = at(PRICE.T);
          return scan.rounds[i] === scanRounds(PRICE.T) && scan.rounds[i] === Math.log2(PRICE.T) && scan.loopSteps[i] === PRICE.T - 1 && scan.combines[i] === scanCombines(PRICE.T) && scan.combines[i] > scan.loopSteps[i];
        },
      },
    ],
  },
  {
    id: 'seq2seq-attention',
    title: 'Sequence to sequence: the bottleneck, and attention',
    narration:
      `An encoder GRU reads the symbols (of ${S2S.K}); its final state, ${S2S.H} numbers, is all a decoder GRU starts from, and the decoder writes them back reversed (baseline ${S2S_BASELINE}). ` +
      `${S2S.short} symbols fit: above ${pct(S2S.shortAbove)}. ${S2S.long} do not: below ${pct(S2S.bottleneckBelow)} for the ${S2S.steps} steps (means of ${S2S.window}). Attention, each output reading a softmax-weighted mix of every encoder state, removes the bottleneck: ${S2S.long} symbols end above ${pct(S2S.attentionAbove)}. ` +
      `Bahdanau, Cho and Bengio (2015) saw it at scale: the encoder–decoder's BLEU falls as sentences grow (their Fig. 2) while the attending RNNsearch-50 holds past 50 words; ${S2S.paperEncdec50} against ${S2S.paperSearch50} BLEU over the whole test set.`,
    config: { task: 'seq2seq', seq2seqMode: 'reverse', symbols: S2S.K, length: S2S.long, cell: 'gru', hiddenSize: S2S.H, numLayers: 1, batchSize: S2S.batch, learningRate: S2S.lr, attention: false },
    compare: [
      { label: S2S_LABELS.short, role: 'succeeds', config: { length: S2S.short, attention: false } },
      { label: S2S_LABELS.long, role: 'fails', config: { length: S2S.long, attention: false } },
      { label: S2S_LABELS.attention, role: 'succeeds', config: { length: S2S.long, attention: true } },
    ],
    steps: S2S.steps,
    claims: [
      { text: `the memoryless baseline is ${S2S_BASELINE}`, check: (f) => f.variants.every((v) => Math.abs(v.metric.baseline - 1 / S2S.K) < 1e-12) },
      { text: `with ${S2S.short} symbols the final state is enough: above ${pct(S2S.shortAbove)} at the end`, check: (f) => variant(f, S2S_LABELS.short).metric.final > S2S.shortAbove },
      {
        text: `with ${S2S.long} symbols and only the final state it stays below ${pct(S2S.bottleneckBelow)} over the ${S2S.steps} steps (mean of every ${S2S.window} steps)`,
        check: (f) => trailingMeans(metricUpTo(variant(f, S2S_LABELS.long), S2S.steps), S2S.window).every((a) => a < S2S.bottleneckBelow),
      },
      { text: `with ${S2S.long} symbols and attention it ends above ${pct(S2S.attentionAbove)}`, check: (f) => variant(f, S2S_LABELS.attention).metric.final > S2S.attentionAbove },
      { text: 'no run diverges', check: (f) => f.variants.every((v) => !v.diverged) },
    ],
  },
  {
    id: 'long-memory',
    title: 'Long memory without vanishing: LRU against a tanh RNN',
    narration:
      `Copy memory: ${LONG_MEMORY.symbols} symbols, a wait of ${LONG_MEMORY.delay} steps, then the symbols written back (${LONG_T} steps; a memoryless guess scores ${fmt(LONG_BASELINE, 4)} nats per step). A tanh RNN (H = ${LONG_MEMORY.rnnH}, ${LONG_MEMORY.params.rnn.toLocaleString('en')} parameters) against an LRU (H = ${LONG_MEMORY.H}, N = ${LONG_MEMORY.N}, ${LONG_MEMORY.params.lru.toLocaleString('en')}) whose eigenvalues λ start on the ring ${LONG_MEMORY.rMin} ≤ |λ| ≤ ${LONG_MEMORY.rMax}. ` +
      `Watch ‖∂L/∂x_t‖, the gradient that reaches each input: the RNN multiplies it by W_hhᵀ·diag(tanh′) at every step back, and by the end of the run the median over the symbols is under ${pct(LONG_MEMORY.rnnReach)} of the last step's, and it ends above ${pct(LONG_MEMORY.rnnAbove)} of the baseline; the LRU scales it by λ^k, k steps back (${LONG_MEMORY.rMax}^${LONG_MEMORY.delay} ≈ ${fmt(LONG_MEMORY.rMax ** LONG_MEMORY.delay)}), over ${pct(LONG_MEMORY.lruReach)} reaches the symbols, and it ends below ${pct(LONG_MEMORY.lruBelow)} of the baseline. ` +
      `A longer LRU run improves in steps (each symbol recalled is a tenth of the baseline; seed 1: near 0.82 from step 1 000 to 5 000, 0.68 by 8 000). Orvieto et al. (2023) start the LRU on such a ring, and it matches deep state-space models on the Long Range Arena (89.0 % on sequential CIFAR-10, 1 024 steps).`,
    config: { task: 'copy_memory', length: LONG_MEMORY.delay, cell: 'lru', hiddenSize: LONG_MEMORY.H, stateSize: LONG_MEMORY.N, ringMin: LONG_MEMORY.rMin, ringMax: LONG_MEMORY.rMax, learningRate: LONG_MEMORY.lr, batchSize: LONG_MEMORY.batch },
    compare: [
      { label: LONG_LABELS.lru, role: 'succeeds', config: { cell: 'lru' } },
      { label: LONG_LABELS.rnn, role: 'fails', config: { cell: 'rnn', nonlinearity: 'tanh', hiddenSize: LONG_MEMORY.rnnH } },
    ],
    steps: LONG_MEMORY.steps,
    claims: [
      { text: `the baseline is ${fmt(LONG_BASELINE, 4)} nats per step`, check: (f) => f.variants.every((v) => Math.abs(v.metric.baseline - LONG_BASELINE) < 1e-12) },
      { text: `the LRU ends below ${pct(LONG_MEMORY.lruBelow)} of the baseline`, check: (f) => variant(f, LONG_LABELS.lru).metric.final < LONG_MEMORY.lruBelow * LONG_BASELINE },
      { text: `the tanh RNN ends above ${pct(LONG_MEMORY.rnnAbove)} of it`, check: (f) => variant(f, LONG_LABELS.rnn).metric.final > LONG_MEMORY.rnnAbove * LONG_BASELINE },
      {
        text: `at the last step, the median of ‖∂L/∂x_t‖ over the ${LONG_MEMORY.symbols} symbols is more than ${pct(LONG_MEMORY.lruReach)} of its value at the last input for the LRU, less than ${pct(LONG_MEMORY.rnnReach)} for the RNN`,
        check: (f) => reachOf(f, LONG_LABELS.lru) > LONG_MEMORY.lruReach && reachOf(f, LONG_LABELS.rnn) < LONG_MEMORY.rnnReach,
      },
      { text: 'neither run diverges', check: (f) => f.variants.every((v) => !v.diverged) },
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

/** A lesson's runs with their full settings (seed and backend as the lesson leaves them). */
export function lessonVariants(lesson: Lesson): { label: string; role: Role; config: PlaygroundConfig }[] {
  const base = { ...DEFAULT_CONFIG, ...lesson.config };
  if (!lesson.compare) return [{ label: lesson.label ?? lesson.title, role: lesson.role ?? 'succeeds', config: base }];
  return lesson.compare.map((v) => ({ label: v.label, role: v.role, config: { ...base, ...v.config } }));
}
