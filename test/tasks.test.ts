/**
 * The task generators: determinism per seed, shapes, targets recomputed here from the inputs, and
 * every stated baseline checked against a Monte-Carlo run of the memoryless guess through the
 * task's own metric. MC tolerance: 4 standard errors of the mean over independent batches (a
 * false alarm about once in 16,000 runs), plus 1e-9 for metrics that do not vary at all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../src/engine/batch';
import { Rng } from '../src/engine/rng';
import {
  COPY_DELIMITER,
  makeSeq2Seq,
  makeTask,
  MAX_TEXT_CHARS,
  orderStatisticPmf,
  REPLACEMENT_CHAR,
  sampleFromLogits,
  validateUserText,
} from '../src/engine/tasks';
import type { CharLmTask, Task, TaskSpec } from '../src/engine/tasks';

const GENESIS = readFileSync(new URL('../public/text/kjv-genesis.txt', import.meta.url), 'utf8');

/** The id of the single 1 in row r of a one-hot buffer (R, D); fails unless the row is one-hot. */
function oneHotId(x: Float64Array, r: number, D: number): number {
  let id = -1;
  let sum = 0;
  for (let k = 0; k < D; k++) {
    const v = x[r * D + k];
    expect(v === 0 || v === 1).toBe(true);
    sum += v;
    if (v === 1) id = k;
  }
  expect(sum).toBe(1);
  return id;
}

/** Mean of f over n seeded batches must match `expected` within 4 standard errors. */
function expectMonteCarlo(n: number, f: (rng: Rng) => number, expected: number): void {
  const values = Array.from({ length: n }, (_, i) => f(new Rng(1000 + i)));
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const se = Math.sqrt(variance / n);
  expect(Math.abs(mean - expected)).toBeLessThanOrEqual(4 * se + 1e-9);
}

/** Same seed → identical buffers; another seed → different inputs. */
function expectDeterministic(task: Task, B: number): void {
  const a = task.batch(new Rng(7), B);
  const b = task.batch(new Rng(7), B);
  const c = task.batch(new Rng(8), B);
  expect(b.x).toEqual(a.x);
  expect(b.target).toEqual(a.target);
  expect(b.mask).toEqual(a.mask);
  expect(c.x).not.toEqual(a.x);
}

/** Shapes from TaskInfo; returns the batch for further checks. */
function checkedBatch(task: Task, seed: number, B: number): Batch {
  const { T, inputSize: D, readout, loss, outputSize: Y } = task.info;
  const batch = task.batch(new Rng(seed), B);
  expect([batch.B, batch.T, batch.inputSize]).toEqual([B, T, D]);
  expect(batch.x.length).toBe(T * B * D);
  const rows = readout === 'every_step' ? T * B : B;
  expect(batch.target.length).toBe(loss === 'mse' ? rows * Y : rows);
  if (batch.mask) expect(batch.mask.length).toBe(T * B);
  if (loss === 'cross_entropy')
    for (const y of batch.target) expect(Number.isInteger(y) && y >= 0 && y < Y).toBe(true);
  return batch;
}

/** Logits (R, K) that give every row the same log-probabilities. */
function constantLogits(R: number, logp: number[]): Float64Array {
  const out = new Float64Array(R * logp.length);
  for (let r = 0; r < R; r++) out.set(logp, r * logp.length);
  return out;
}

describe('adding problem', () => {
  const task = makeTask({ kind: 'adding', T: 30 });
  it('is deterministic and marks one value in each half; target is their sum', () => {
    expectDeterministic(task, 8);
    const B = 16;
    const batch = checkedBatch(task, 1, B);
    for (let b = 0; b < B; b++) {
      const marked: number[] = [];
      for (let t = 0; t < 30; t++) {
        const [u, m] = [batch.x[(t * B + b) * 2], batch.x[(t * B + b) * 2 + 1]];
        expect(u >= 0 && u < 1).toBe(true);
        if (m === 1) marked.push(t);
      }
      expect(marked.length).toBe(2);
      expect(marked[0] < 15 && marked[1] >= 15).toBe(true);
      const sum = marked.reduce((s, t) => s + batch.x[(t * B + b) * 2], 0);
      expect(batch.target[b]).toBe(sum);
    }
    expect(task.metric(batch.target.slice(), batch)).toBe(0);
  });
  it('baseline 1/6 is the MSE of always answering 1', () => {
    expect(task.info.baseline.value).toBeCloseTo(1 / 6, 12);
    expectMonteCarlo(200, (rng) => task.metric(new Float64Array(64).fill(1), task.batch(rng, 64)), 1 / 6);
  });
});

describe('copy memory', () => {
  const delay = 15;
  const task = makeTask({ kind: 'copy_memory', delay });
  const T = delay + 20;
  it('follows Arjovsky et al.: 10 symbols, T−1 blanks, delimiter, 10 blanks; recall at the end', () => {
    expectDeterministic(task, 8);
    const B = 12;
    const batch = checkedBatch(task, 2, B);
    expect(task.info.T).toBe(T);
    for (let b = 0; b < B; b++) {
      const ids = Array.from({ length: T }, (_, t) => oneHotId(batch.x, t * B + b, 10));
      ids.slice(0, 10).forEach((s) => expect(s >= 1 && s <= 8).toBe(true));
      expect(ids.slice(10, T - 11).every((s) => s === 0)).toBe(true);
      expect(ids[T - 11]).toBe(COPY_DELIMITER);
      expect(ids.slice(T - 10).every((s) => s === 0)).toBe(true);
      const expected = [...new Array(T - 10).fill(0), ...ids.slice(0, 10)];
      expect(Array.from({ length: T }, (_, t) => batch.target[t * B + b])).toEqual(expected);
    }
  });
  it('baseline 10·ln 8/(T+20): blank for sure, then uniform over the 8 symbols', () => {
    const B = 16;
    const logits = new Float64Array(T * B * 9); // (T, B, 9)
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        for (let k = 0; k < 9; k++) logits[(t * B + b) * 9 + k] = t < T - 10 ? (k === 0 ? 0 : -Infinity) : k === 0 ? -Infinity : 0;
    expect(task.info.baseline.value).toBeCloseTo((10 * Math.log(8)) / (delay + 20), 12);
    expectMonteCarlo(20, (rng) => task.metric(logits, task.batch(rng, B)), task.info.baseline.value);
    const batch = task.batch(new Rng(3), B);
    const perfect = new Float64Array(T * B * 9);
    batch.target.forEach((y, r) => (perfect[r * 9 + y] = 50));
    expect(task.metric(perfect, batch)).toBeLessThan(1e-15);
    expect(task.secondaryMetric!(perfect, batch)).toBe(1);
  });
});

describe('delayed echo', () => {
  const [T, L, K] = [20, 4, 5];
  const task = makeTask({ kind: 'echo', T, lag: L, K });
  it('targets the input L steps back and masks the first L steps', () => {
    expectDeterministic(task, 8);
    const B = 10;
    const batch = checkedBatch(task, 3, B);
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++) {
        const r = t * B + b;
        oneHotId(batch.x, r, K);
        expect(batch.mask![r]).toBe(t >= L ? 1 : 0);
        if (t >= L) expect(batch.target[r]).toBe(oneHotId(batch.x, (t - L) * B + b, K));
      }
  });
  it('baseline 1/K: a fixed guess', () => {
    expectMonteCarlo(100, (rng) => task.metric(new Float64Array(T * 32 * K), task.batch(rng, 32)), 1 / K);
  });
});

describe('temporal order', () => {
  const T = 40;
  const task = makeTask({ kind: 'temporal_order', T });
  it('has E first, B last, X/Y once in each window; class is the order', () => {
    expectDeterministic(task, 8);
    const B = 32;
    const batch = checkedBatch(task, 4, B);
    for (let b = 0; b < B; b++) {
      const ids = Array.from({ length: T }, (_, t) => oneHotId(batch.x, t * B + b, 8));
      expect([ids[0], ids[T - 1]]).toEqual([6, 7]);
      const relevant = ids.flatMap((s, t) => (s === 4 || s === 5 ? [t] : []));
      expect(relevant.length).toBe(2);
      expect(relevant[0] >= 4 && relevant[0] <= 8 && relevant[1] >= 20 && relevant[1] <= 24).toBe(true);
      expect(batch.target[b]).toBe(2 * (ids[relevant[0]] - 4) + (ids[relevant[1]] - 4));
    }
  });
  it('baseline 1/4', () => {
    expectMonteCarlo(100, (rng) => task.metric(new Float64Array(64 * 4), task.batch(rng, 64)), 0.25);
  });
});

describe('parity', () => {
  const task = makeTask({ kind: 'parity', T: 9 });
  it('target is the sum of the bits mod 2; baseline 1/2', () => {
    expectDeterministic(task, 8);
    const B = 32;
    const batch = checkedBatch(task, 5, B);
    for (let b = 0; b < B; b++) {
      let ones = 0;
      for (let t = 0; t < 9; t++) ones += batch.x[t * B + b];
      expect(batch.target[b]).toBe(ones & 1);
    }
    expectMonteCarlo(100, (rng) => task.metric(new Float64Array(64 * 2), task.batch(rng, 64)), 0.5);
  });
});

describe('noisy sines stream', () => {
  it('a noise-free single sine satisfies s_{t+1} = 2cos(2π/P)·s_t − s_{t−1}', () => {
    const P = 9.5;
    const task = makeTask({ kind: 'sines', T: 30, components: [{ amplitude: 2, period: P }], noiseStd: 0 });
    const B = 4;
    const batch = checkedBatch(task, 6, B);
    for (let t = 1; t < 30; t++)
      for (let b = 0; b < B; b++)
        expect(batch.target[t * B + b]).toBeCloseTo(2 * Math.cos((2 * Math.PI) / P) * batch.x[t * B + b] - batch.x[(t - 1) * B + b], 10);
  });
  it('continues the same streams across chunks, deterministically', () => {
    const task = makeTask({ kind: 'sines' });
    expectDeterministic(task, 8);
    const B = 3;
    const chunked = task.stream!(new Rng(9), B);
    const whole = task.stream!(new Rng(9), B).next(25);
    const a = chunked.next(10);
    const b = chunked.next(15);
    expect(chunked.stepsDone).toBe(25);
    expect([...a.x, ...b.x]).toEqual([...whole.x]);
    expect([...a.target, ...b.target]).toEqual([...whole.target]);
    // The input at each step is the previous step's target.
    for (let t = 1; t < 25; t++) for (let j = 0; j < B; j++) expect(whole.x[t * B + j]).toBe(whole.target[(t - 1) * B + j]);
  });
  it('baseline is the variance Σ A²/2 + σ², the MSE of predicting the mean 0', () => {
    const task = makeTask({ kind: 'sines', T: 40, noiseStd: 0.3 });
    expect(task.info.baseline.value).toBeCloseTo(0.5 + 0.125 + 0.09, 12);
    expectMonteCarlo(200, (rng) => task.metric(new Float64Array(40 * 32), task.batch(rng, 32)), task.info.baseline.value);
  });
});

describe('character language model', () => {
  const T = 48;
  const task = makeTask({ kind: 'char_lm', text: GENESIS, T }) as CharLmTask;
  const chars = [...new Set(GENESIS)].sort();
  it('shipped text: under 300 kB, vocabulary = its sorted characters', () => {
    expect(GENESIS.length).toBeLessThanOrEqual(300_000);
    expect(task.vocab).toEqual(chars);
    expect(task.decode(task.encode('In the beginning'))).toBe('In the beginning');
  });
  it('windows are pieces of the text and targets are the next characters', () => {
    expectDeterministic(task, 4);
    const B = 8;
    const V = chars.length;
    const batch = checkedBatch(task, 7, B);
    for (let b = 0; b < B; b++) {
      const input = Array.from({ length: T }, (_, t) => chars[oneHotId(batch.x, t * B + b, V)]).join('');
      const next = Array.from({ length: T }, (_, t) => chars[batch.target[t * B + b]]).join('');
      expect(next.slice(0, -1)).toBe(input.slice(1));
      expect(GENESIS.includes(input + next.slice(-1))).toBe(true);
    }
  });
  it('baseline is the unigram entropy, the bits/char of predicting character frequencies', () => {
    const freq = chars.map((c) => GENESIS.split(c).length - 1).map((n) => n / GENESIS.length);
    const H = -freq.reduce((h, p) => h + p * Math.log2(p), 0);
    expect(task.info.baseline.value).toBeCloseTo(H, 9);
    const B = 16;
    const logits = constantLogits(T * B, freq.map(Math.log));
    expectMonteCarlo(60, (rng) => task.metric(logits, task.batch(rng, B)), H);
  });
  it('validateUserText explains what is wrong', () => {
    expect(validateUserText('')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(validateUserText('  \n ')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(validateUserText('short text')).toMatchObject({ ok: false, message: expect.stringMatching(/too short/) });
    expect(validateUserText('ab'.repeat(MAX_TEXT_CHARS))).toMatchObject({ ok: false, message: expect.stringMatching(/too large/) });
    expect(validateUserText('a'.repeat(500))).toMatchObject({ ok: false, message: expect.stringMatching(/single character/) });
    expect(validateUserText(GENESIS)).toEqual({ ok: true, message: '' });
  });
  it('caps the vocabulary, mapping rare characters to U+FFFD', () => {
    // 150 distinct characters, character i appearing 150 − i times.
    const text = Array.from({ length: 150 }, (_, i) => String.fromCodePoint(0x100 + i).repeat(150 - i)).join('');
    const check = validateUserText(text, { maxVocab: 20 });
    expect(check.ok).toBe(true);
    expect(check.message).toMatch(/150 distinct.*19 most frequent/);
    const capped = makeTask({ kind: 'char_lm', text, maxVocab: 20, T: 10 }) as CharLmTask;
    expect(capped.vocab.length).toBe(20);
    expect(capped.vocab).toContain(REPLACEMENT_CHAR);
    expect(capped.decode(capped.encode(String.fromCodePoint(0x100, 0x100 + 19)))).toBe('\u0100' + REPLACEMENT_CHAR);
  });
  it('sampleFromLogits: argmax at temperature 0, softmax frequencies at 1', () => {
    const logits = Float64Array.from([0, Math.log(2), Math.log(5), 0]);
    const rng = new Rng(11);
    expect(sampleFromLogits(logits, 0, rng)).toBe(2);
    const n = 20_000;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[sampleFromLogits(logits, 1, rng)]++;
    [1, 2, 5, 1].forEach((w, k) => {
      const p = w / 9;
      expect(Math.abs(counts[k] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
  });
});

describe('future tagging', () => {
  const [T, K, q] = [25, 3, 0.15];
  const task = makeTask({ kind: 'future_tag', T, K, markerProb: q });
  it('labels each step with the first marker at or after it; unlabelled steps masked', () => {
    expectDeterministic(task, 8);
    const B = 20;
    const batch = checkedBatch(task, 8, B);
    for (let b = 0; b < B; b++) {
      const ids = Array.from({ length: T }, (_, t) => oneHotId(batch.x, t * B + b, K + 1));
      for (let t = 0; t < T; t++) {
        const ahead = ids.slice(t).find((s) => s < K);
        expect(batch.mask![t * B + b]).toBe(ahead === undefined ? 0 : 1);
        if (ahead !== undefined) expect(batch.target[t * B + b]).toBe(ahead);
      }
    }
  });
  it('baseline: copy the marker at marker steps, fixed guess at noise steps', () => {
    const B = 64;
    expectMonteCarlo(
      150,
      (rng) => {
        const batch = task.batch(rng, B);
        const logits = new Float64Array(T * B * K); // marker → its own class; noise → all 0 = class 0
        for (let r = 0; r < T * B; r++) for (let k = 0; k < K; k++) if (batch.x[r * (K + 1) + k] === 1) logits[r * K + k] = 1;
        return task.metric(logits, batch);
      },
      task.info.baseline.value,
    );
  });
});

/**
 * The best memoryless predictor, fitted rather than assumed: on a large batch, count the target
 * class of every scored row by what a memoryless guess may see there (the step and the current
 * input id), and predict the log of those frequencies (smoothed by one count), so its argmax is the
 * most frequent class seen. Returns logits (T, B, Y) or (B, Y) for batches of B sequences.
 */
function fittedMemoryless(task: Task, fitB: number, B: number): (batch: Batch) => Float64Array {
  const { T, inputSize: D, outputSize: Y, readout } = task.info;
  const idOf = (x: Float64Array, r: number) => x.subarray(r * D, (r + 1) * D).indexOf(1); // one-hot, as the structure tests check
  const fit = task.batch(new Rng(77), fitB);
  const counts = new Float64Array(T * D * Y).fill(1); // (T, D, Y): step, input id, class
  const steps = readout === 'final_step' ? [T - 1] : Array.from({ length: T }, (_, t) => t);
  for (const t of steps)
    for (let b = 0; b < fitB; b++) {
      const row = readout === 'final_step' ? b : t * fitB + b;
      if (fit.mask && fit.mask[t * fitB + b] === 0) continue;
      counts[(t * D + idOf(fit.x, t * fitB + b)) * Y + fit.target[row]]++;
    }
  return (batch) => {
    const out = new Float64Array((readout === 'final_step' ? B : T * B) * Y); // (T, B, Y) or (B, Y)
    for (const t of steps)
      for (let b = 0; b < B; b++) {
        const cell = (t * D + idOf(batch.x, t * B + b)) * Y;
        let total = 0;
        for (let k = 0; k < Y; k++) total += counts[cell + k];
        const row = readout === 'final_step' ? b : t * B + b;
        for (let k = 0; k < Y; k++) out[row * Y + k] = Math.log(counts[cell + k] / total);
      }
    return out;
  };
}

/**
 * The memoryless baseline of a task whose answers are uniform over Y classes: the fitted best
 * memoryless predictor scores 1/Y (4 standard errors over `n` batches) and ln Y nats per answer
 * (within 0.01: the fit's own error is about (Y − 1)/(2 · answers per cell) nats, under 1e-3 here).
 */
function expectUniformBaseline(task: Task, Y: number, n: number): void {
  expect(task.info.baseline.value).toBeCloseTo(1 / Y, 12);
  const B = 64;
  const guess = fittedMemoryless(task, 20_000, B);
  expectMonteCarlo(n, (rng) => { const b = task.batch(rng, B); return task.metric(guess(b), b); }, 1 / Y);
  const ce = Array.from({ length: n / 2 }, (_, i) => { const b = task.batch(new Rng(5000 + i), B); return task.secondaryMetric!(guess(b), b); });
  expect(Math.abs(ce.reduce((sum, v) => sum + v, 0) / ce.length - Math.log(Y))).toBeLessThan(0.01);
}

/** Hand-built readouts: the target class far ahead (perfect), or the next class ahead (always wrong). */
function readoutOf(batch: Batch, Y: number, shift: 0 | 1): Float64Array {
  const out = new Float64Array(batch.target.length * Y); // (T, B, Y) or (B, Y)
  batch.target.forEach((y, r) => (out[r * Y + ((y + shift) % Y)] = 50));
  return out;
}

describe('selective copying', () => {
  const [S, N, K] = [12, 3, 5];
  const task = makeTask({ kind: 'selective_copy', noise: S, tokens: N, K });
  const [C, T, NOISE, MARK] = [S + N, S + 2 * N, K, K + 1];
  it('scatters N symbols among S noise steps, then N marks; recalls them in order, scoring only the marks', () => {
    expectDeterministic(task, 8);
    expect([task.info.T, task.info.inputSize, task.info.outputSize]).toEqual([T, K + 2, K]);
    const B = 40;
    const batch = checkedBatch(task, 9, B);
    const layouts = new Set<string>();
    for (let b = 0; b < B; b++) {
      const ids = Array.from({ length: T }, (_, t) => oneHotId(batch.x, t * B + b, K + 2));
      const steps = ids.slice(0, C).flatMap((s, t) => (s < K ? [t] : []));
      expect(steps.length).toBe(N);
      expect(ids.slice(0, C).every((s) => s < K || s === NOISE)).toBe(true);
      expect(ids.slice(C).every((s) => s === MARK)).toBe(true);
      const mask = Array.from({ length: T }, (_, t) => batch.mask![t * B + b]);
      expect(mask).toEqual([...new Array(C).fill(0), ...new Array(N).fill(1)]);
      const target = Array.from({ length: T }, (_, t) => batch.target[t * B + b]);
      expect(target).toEqual([...new Array(C).fill(0), ...steps.map((t) => ids[t])]);
      layouts.add(steps.join(','));
    }
    expect(layouts.size).toBeGreaterThan(B / 2); // the steps change from sequence to sequence
  });
  it('puts a symbol at each context step with probability N/(S + N)', () => {
    const B = 4000;
    const batch = task.batch(new Rng(10), B);
    for (let t = 0; t < C; t++) {
      let hits = 0;
      for (let b = 0; b < B; b++) hits += batch.x[(t * B + b) * (K + 2) + NOISE] === 0 ? 1 : 0;
      const p = N / C;
      expect(Math.abs(hits / B - p), `step ${t}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / B));
    }
  });
  it('scores a perfect readout 1 and a wrong one 0, whatever it says at the steps not scored', () => {
    const B = 16;
    const batch = task.batch(new Rng(11), B);
    const perfect = readoutOf(batch, K, 0);
    const wrong = readoutOf(batch, K, 1);
    for (let r = 0; r < C * B; r++) [perfect, wrong].forEach((o) => o.fill(0, r * K, (r + 1) * K).fill(99, r * K + 1, r * K + 2)); // unscored: class 1
    expect([task.metric(perfect, batch), task.metric(wrong, batch)]).toEqual([1, 0]);
    expect(task.secondaryMetric!(perfect, batch)).toBeLessThan(1e-15);
    expect(task.secondaryMetric!(wrong, batch)).toBeCloseTo(50, 9);
    expect(task.secondaryMetric!(new Float64Array(T * B * K), batch)).toBeCloseTo(Math.log(K), 12);
  });
  it('baseline 1/K (ln K nats): the best memoryless predictor, fitted on 20,000 sequences, does no better', () => {
    expect(task.info.floor?.value).toBe(1);
    expectUniformBaseline(task, K, 200);
  });
});

describe('associative recall', () => {
  const [n, Kk, V] = [4, 7, 5];
  const task = makeTask({ kind: 'associative_recall', pairs: n, keys: Kk, values: V });
  const T = n + 1;
  it('shows n pairs, a key and its value in each step, with distinct keys, then one of the keys alone; the target is its value', () => {
    expectDeterministic(task, 8);
    expect([task.info.T, task.info.inputSize, task.info.outputSize, task.info.readout]).toEqual([T, V + Kk, V, 'final_step']);
    const B = 60;
    const batch = checkedBatch(task, 12, B);
    expect(batch.mask).toBeUndefined();
    const asked = new Array(n).fill(0);
    for (let b = 0; b < B; b++) {
      // A pair's step splits into its value part (one-hot over V) and its key part (one-hot over K).
      const part = (t: number, from: number, size: number) => oneHotId(batch.x.subarray((t * B + b) * (V + Kk) + from), 0, size);
      const keys = Array.from({ length: T }, (_, t) => part(t, V, Kk));
      const values = Array.from({ length: n }, (_, t) => part(t, 0, V));
      // the query step holds its key and nothing else
      expect(batch.x.subarray((n * B + b) * (V + Kk), (n * B + b) * (V + Kk) + V).every((u) => u === 0)).toBe(true);
      expect(new Set(keys.slice(0, n)).size).toBe(n);
      const q = keys.slice(0, n).indexOf(keys[n]);
      expect(q).toBeGreaterThanOrEqual(0);
      expect(batch.target[b]).toBe(values[q]);
      asked[q]++;
    }
    expect(asked.every((a) => a > 0)).toBe(true); // any pair may be asked for
  });
  it('scores a perfect readout 1 and a wrong one 0', () => {
    const B = 16;
    const batch = task.batch(new Rng(13), B);
    expect([task.metric(readoutOf(batch, V, 0), batch), task.metric(readoutOf(batch, V, 1), batch)]).toEqual([1, 0]);
    expect(task.secondaryMetric!(readoutOf(batch, V, 0), batch)).toBeLessThan(1e-15);
    expect(task.secondaryMetric!(readoutOf(batch, V, 1), batch)).toBeCloseTo(50, 9);
    expect(task.secondaryMetric!(new Float64Array(B * V), batch)).toBeCloseTo(Math.log(V), 12);
  });
  it('baseline 1/V (ln V nats): the best memoryless predictor, fitted on 20,000 sequences, does no better', () => {
    expect(task.info.floor?.value).toBe(1);
    expectUniformBaseline(task, V, 300);
  });
  it('the playground allows as many pairs as there are keys', () => {
    expect(makeTask({ kind: 'associative_recall', pairs: 32 }).info.T).toBe(33);
    expect(() => makeTask({ kind: 'associative_recall', pairs: 33 })).toThrow(/pairs must be an integer in \[1, 32\]/);
  });
});

describe('sequence to sequence', () => {
  it('reverse: target, teacher-forcing decoder input, baseline 1/K', () => {
    const [n, K, B] = [5, 6, 12];
    const task = makeSeq2Seq({ kind: 'seq2seq', mode: 'reverse', n, K });
    const a = task.batch(new Rng(12), B);
    expect(task.batch(new Rng(12), B)).toEqual(a);
    expect(task.batch(new Rng(13), B).source).not.toEqual(a.source);
    expect([a.source.length, a.decoderInput.length, a.target.length]).toEqual([n * B * K, n * B * (K + 1), n * B]);
    for (let b = 0; b < B; b++) {
      const src = Array.from({ length: n }, (_, t) => oneHotId(a.source, t * B + b, K));
      const tgt = Array.from({ length: n }, (_, t) => a.target[t * B + b]);
      const dec = Array.from({ length: n }, (_, t) => oneHotId(a.decoderInput, t * B + b, K + 1));
      expect(tgt).toEqual([...src].reverse());
      expect(dec).toEqual([K, ...tgt.slice(0, -1)]);
    }
    const perfect = new Float64Array(n * B * K);
    a.target.forEach((y, r) => (perfect[r * K + y] = 1));
    expect([task.metric(perfect, a), task.secondaryMetric(perfect, a)]).toEqual([1, 1]);
    expectMonteCarlo(100, (rng) => task.metric(new Float64Array(n * 32 * K), task.batch(rng, 32)), 1 / K);
  });
  it('sort: target sorted; baseline = mean mode probability of the order statistics', () => {
    const [n, K, B] = [4, 5, 32];
    const task = makeSeq2Seq({ kind: 'seq2seq', mode: 'sort', n, K });
    const a = task.batch(new Rng(14), B);
    for (let b = 0; b < B; b++) {
      const src = Array.from({ length: n }, (_, t) => oneHotId(a.source, t * B + b, K));
      expect(Array.from({ length: n }, (_, t) => a.target[t * B + b])).toEqual(src.sort((x, y) => x - y));
    }
    // Order-statistic pmf by enumerating all K^n sources.
    const pmf = Array.from({ length: n }, () => new Array(K).fill(0));
    for (let code = 0; code < K ** n; code++) {
      const seq = Array.from({ length: n }, (_, i) => Math.floor(code / K ** i) % K).sort((x, y) => x - y);
      seq.forEach((s, i) => (pmf[i][s] += 1 / K ** n));
    }
    const closed = orderStatisticPmf(n, K);
    pmf.forEach((row, i) => row.forEach((p, k) => expect(closed[i * K + k]).toBeCloseTo(p, 12)));
    const modes = pmf.map((row) => row.indexOf(Math.max(...row)));
    expect(task.info.baseline.value).toBeCloseTo(pmf.reduce((s, row) => s + Math.max(...row), 0) / n, 12);
    const guess = new Float64Array(n * B * K); // (n, B, K): the mode of each position
    for (let t = 0; t < n; t++) for (let b = 0; b < B; b++) guess[(t * B + b) * K + modes[t]] = 1;
    expectMonteCarlo(150, (rng) => task.metric(guess, task.batch(rng, B)), task.info.baseline.value);
  });
});

describe('makeTask', () => {
  it('rejects bad knobs with a readable message', () => {
    const bad: TaskSpec[] = [
      { kind: 'adding', T: 1 },
      { kind: 'echo', T: 5, lag: 5 },
      { kind: 'temporal_order', T: 9 },
      { kind: 'future_tag', markerProb: 0 },
      { kind: 'char_lm', text: 'too short' },
      { kind: 'selective_copy', tokens: 0 },
      { kind: 'selective_copy', noise: -1 },
      { kind: 'associative_recall', pairs: 5, keys: 4 },
      { kind: 'associative_recall', values: 1 },
    ];
    for (const spec of bad) expect(() => makeTask(spec)).toThrow(RangeError);
  });
});
