/**
 * Character-level language model: read a text one character at a time and predict the next one.
 *
 * The text arrives as a string (the engine reads no files). Characters are Unicode code points;
 * "\r\n" and lone "\r" become "\n" so that a file's line endings do not double the vocabulary. The
 * vocabulary is the sorted set of characters; when a text has more than `maxVocab` distinct ones,
 * the maxVocab − 1 most frequent are kept and every other character becomes U+FFFD (�), which then
 * takes the last slot. A batch is B windows of T + 1 characters starting at uniform random offsets:
 * x_t = one-hot(c_{s+t}), y_t = c_{s+t+1}.
 *
 * Metric: bits per character, the cross-entropy in nats / ln 2. Baseline: the unigram entropy
 * H = −Σ_c p(c) log₂ p(c) of the (mapped) text, the score of always predicting the character
 * frequencies — the best memoryless guess. (Windows weigh the first and last T characters of the
 * text slightly less; the difference is O(T/N), far below what a student could see.)
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { intKnob, meanCrossEntropy } from './common';
import type { CharLmSpec, Task, TaskInfo } from './types';

export const REPLACEMENT_CHAR = '\uFFFD';
export const DEFAULT_MAX_VOCAB = 96;
/** Fewer characters than this give too few distinct windows to learn anything. */
export const MIN_TEXT_CHARS = 200;
/** About 1 MB: one-hot batches and the vocabulary scan stay fast in a browser worker. */
export const MAX_TEXT_CHARS = 1_000_000;

export interface CharLmTask extends Task {
  /** The vocabulary, sorted by code point: id ↦ character. */
  vocab: string[];
  /** p(c) of every vocabulary entry in the mapped text, (V). */
  unigram: Float64Array;
  /** Text → ids; characters outside the vocabulary become U+FFFD when it is in the vocabulary, else are dropped. */
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}

/** ok false: `message` says why the text cannot be used. ok true: `message` is '' or a warning. */
export interface TextCheck {
  ok: boolean;
  message: string;
}

function normalize(text: string): string[] {
  return Array.from(text.replace(/\r\n?/g, '\n'));
}

/** Counts of each distinct character. */
function countChars(chars: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

const byCodePoint = (a: string, b: string): number => a.codePointAt(0)! - b.codePointAt(0)!;

/** Vocabulary as described above; `replaced` counts the characters of the text that became U+FFFD. */
function buildVocab(counts: Map<string, number>, maxVocab: number): { vocab: string[]; replaced: number } {
  if (counts.size <= maxVocab) return { vocab: [...counts.keys()].sort(byCodePoint), replaced: 0 };
  // Most frequent first; ties by code point so that the result does not depend on Map order.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  const kept = ranked.slice(0, maxVocab - 1).map(([c]) => c);
  const replaced = ranked.slice(maxVocab - 1).reduce((n, [c, k]) => n + (c === REPLACEMENT_CHAR ? 0 : k), 0);
  if (!kept.includes(REPLACEMENT_CHAR)) kept.push(REPLACEMENT_CHAR);
  return { vocab: kept.sort(byCodePoint), replaced };
}

/** Whether a user's text can train the model, with a message a person can act on. */
export function validateUserText(text: string, opts: { T?: number; maxVocab?: number } = {}): TextCheck {
  const T = opts.T ?? 64;
  const maxVocab = opts.maxVocab ?? DEFAULT_MAX_VOCAB;
  if (text.trim().length === 0) return { ok: false, message: 'The text is empty.' };
  // Quick reject before splitting: a code point takes at most 2 UTF-16 units.
  if (text.length > 2 * MAX_TEXT_CHARS)
    return { ok: false, message: `The text is too large: the limit is ${MAX_TEXT_CHARS.toLocaleString('en')} characters (about 1 MB).` };
  const chars = normalize(text);
  const N = chars.length;
  const min = Math.max(MIN_TEXT_CHARS, T + 2);
  if (N < min)
    return { ok: false, message: `The text is too short: ${N} characters, at least ${min} are needed.` };
  if (N > MAX_TEXT_CHARS)
    return {
      ok: false,
      message: `The text is too large: ${N.toLocaleString('en')} characters, the limit is ${MAX_TEXT_CHARS.toLocaleString('en')} (about 1 MB).`,
    };
  const counts = countChars(chars);
  if (counts.size < 2) return { ok: false, message: 'The text uses a single character: there is nothing to predict.' };
  if (counts.size > maxVocab) {
    const { replaced } = buildVocab(counts, maxVocab);
    const pct = ((100 * replaced) / N).toFixed(2);
    return {
      ok: true,
      message:
        `The text uses ${counts.size} distinct characters; the ${maxVocab - 1} most frequent are kept and the ` +
        `other ${replaced} characters (${pct}% of the text) are shown as ${REPLACEMENT_CHAR}.`,
    };
  }
  return { ok: true, message: '' };
}

export function makeCharLm(spec: CharLmSpec): CharLmTask {
  const T = intKnob('char_lm: T', spec.T, 64, 1);
  const maxVocab = intKnob('char_lm: maxVocab', spec.maxVocab, DEFAULT_MAX_VOCAB, 2, 4096);
  const check = validateUserText(spec.text, { T, maxVocab });
  if (!check.ok) throw new RangeError(`char_lm: ${check.message}`);

  const chars = normalize(spec.text);
  const counts = countChars(chars);
  const { vocab } = buildVocab(counts, maxVocab);
  const V = vocab.length;
  const index = new Map(vocab.map((c, i) => [c, i]));
  const unknown = index.get(REPLACEMENT_CHAR) ?? -1;
  const ids = Int32Array.from(chars, (c) => index.get(c) ?? unknown); // (N): the whole text
  const N = ids.length;

  const unigram = new Float64Array(V); // (V)
  for (let i = 0; i < N; i++) unigram[ids[i]]++;
  for (let v = 0; v < V; v++) unigram[v] /= N; // counts → frequencies, divided once to keep them exact
  let entropy = 0; // bits
  for (let v = 0; v < V; v++) if (unigram[v] > 0) entropy -= unigram[v] * Math.log2(unigram[v]);

  const info: TaskInfo = {
    id: 'char_lm',
    name: 'Character language model',
    description:
      `Read a text (${N.toLocaleString('en')} characters, ${V} distinct) one character at a time and predict ` +
      `the next. Each sequence is a random window of ${T} characters.`,
    inputSize: V,
    outputSize: V,
    T,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'cross-entropy', unit: 'bits per character', higherIsBetter: false },
    baseline: {
      value: entropy,
      explanation:
        `Predicting every character with its frequency in the text, whatever came before, scores the ` +
        `unigram entropy: ${entropy.toFixed(3)} bits per character (uniform guessing would score log₂ ${V} = ${Math.log2(V).toFixed(3)}).`,
    },
    vocab,
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * V); // (T, B, V)
    const target = new Float64Array(T * B); // (T, B)
    for (let b = 0; b < B; b++) {
      const s = rng.int(N - T); // the window c_s .. c_{s+T} fits: s + T ≤ N − 1
      for (let t = 0; t < T; t++) {
        x[(t * B + b) * V + ids[s + t]] = 1;
        target[t * B + b] = ids[s + t + 1];
      }
    }
    return { B, T, inputSize: V, x, target };
  }

  // outputs (T, B, V) logits; nats → bits.
  const metric = (outputs: Float64Array, b: Batch): number =>
    meanCrossEntropy(outputs, b.target, undefined, V) / Math.LN2;

  function encode(text: string): Int32Array {
    const out: number[] = [];
    for (const c of normalize(text)) {
      const id = index.get(c) ?? unknown;
      if (id >= 0) out.push(id);
    }
    return Int32Array.from(out);
  }

  const decode = (list: ArrayLike<number>): string => Array.from(list, (id) => vocab[id] ?? REPLACEMENT_CHAR).join('');

  return { info, batch, metric, vocab, unigram, encode, decode };
}

/**
 * A class id drawn from softmax(logits / temperature). Temperature → 0 is argmax (a temperature
 * ≤ 1e-6 is treated as exactly 0, where division would overflow); 1 samples the model as it is;
 * above 1 flattens the distribution.
 */
export function sampleFromLogits(logits: Float64Array, temperature: number, rng: Rng): number {
  const K = logits.length;
  let best = 0;
  for (let k = 1; k < K; k++) if (logits[k] > logits[best]) best = k;
  if (!(temperature > 1e-6)) return best;
  const p = new Float64Array(K); // (K) unnormalised probabilities, the max shifted to exp(0) = 1
  let sum = 0;
  for (let k = 0; k < K; k++) {
    p[k] = Math.exp((logits[k] - logits[best]) / temperature);
    sum += p[k];
  }
  let u = rng.uniform() * sum;
  for (let k = 0; k < K; k++) {
    u -= p[k];
    if (u < 0) return k;
  }
  return best; // only reached through rounding when u ≈ sum
}
