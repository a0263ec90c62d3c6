/**
 * No silent input: a typed value out of range, a lesson that does not exist, a link or a change
 * whose training step would take minutes: each refused with a message that names the value and
 * what fits. The cost estimate is checked against hand counts and against the parameter count.
 */
import { describe, expect, it } from 'vitest';
import { trainingFlops } from '../src/engine/flops';
import { paramShapes, sizeOf, type ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { LESSONS, lessonConfig } from '../src/lessons/lessons';
import { checkConfig, largestHiddenSize, MAX_FLOPS_PER_STEP, stepFlops } from '../src/settings/check';
import { DEFAULT_CONFIG, readTyped, rowOf, type PlaygroundConfig } from '../src/settings/table';
import { decodeUrl } from '../src/store/urlState';

/** The link from the issue: every value in range, about 1.6 TFLOP per step. */
const MAX_LINK = '?cell=lstm&h=512&layers=4&bidi=1&len=400';
const MAX_CONFIG: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 512, numLayers: 4, bidirectional: true, length: 400 };

describe('the cost of a training step', () => {
  it('matches a hand count: echo, 2-layer bidirectional GRU', () => {
    // echo T = 5, K = 3 symbols (D = Y = 3), GRU (G = 3), H = 4, 2 layers, both directions, B = 2.
    // Multiply-adds per sequence and step: layer 0: 2 dirs · 3·4·(3 + 4) = 168; layer 1 reads
    // 2·4 = 8: 2 · 3·4·(8 + 4) = 288. Forward 2·B·T·456 = 9120, readout at every step
    // 2·B·T·(2·4)·3 = 480; a training step is 3 × (9120 + 480) = 28800.
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'echo', length: 5, lag: 1, symbols: 3, cell: 'gru', hiddenSize: 4, numLayers: 2, bidirectional: true, batchSize: 2 };
    expect(stepFlops(c)).toBe(28800);
  });

  it('matches a hand count: adding (read at the last step only), one-layer RNN', () => {
    // adding T = 10, D = 2, Y = 1, RNN H = 3, B = 4: 1·3·(2 + 3) = 15 per step; forward
    // 2·4·10·15 = 1200, readout once: 2·4·1·3·1 = 24; 3 × 1224 = 3672.
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'adding', length: 10, hiddenSize: 3, batchSize: 4 };
    expect(stepFlops(c)).toBe(3672);
  });

  it('equals 6 FLOPs per weight, sequence and step (each weight multiplies once forward, twice backward), for random models', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 50; i++) {
      const spec: ModelSpec = {
        cell: (['rnn', 'lstm', 'gru'] as const)[rng.int(3)],
        nonlinearity: 'tanh',
        inputSize: 1 + rng.int(9),
        hiddenSize: 1 + rng.int(40),
        numLayers: 1 + rng.int(4),
        bidirectional: rng.int(2) === 1,
        outputSize: 1 + rng.int(9),
        initialState: 'zero',
      };
      const [B, T] = [1 + rng.int(8), 1 + rng.int(30)];
      const readSteps = rng.int(2) ? T : 1;
      const weights = (pattern: RegExp) => paramShapes(spec).filter(([name]) => pattern.test(name)).reduce((n, [, shape]) => n + sizeOf(shape), 0);
      const expected = 6 * B * (T * weights(/^weight_(ih|hh)_/) + readSteps * weights(/^readout\.weight$/));
      expect(trainingFlops(spec, B, T, readSteps)).toBe(expected);
    }
  });

  it('the largest hidden size that fits is the last one under the limit', () => {
    const fit = largestHiddenSize(MAX_CONFIG);
    expect(fit).toBe(89);
    expect(stepFlops({ ...MAX_CONFIG, hiddenSize: fit })).toBeLessThanOrEqual(MAX_FLOPS_PER_STEP);
    expect(stepFlops({ ...MAX_CONFIG, hiddenSize: fit + 1 })).toBeGreaterThan(MAX_FLOPS_PER_STEP);
    expect(largestHiddenSize(DEFAULT_CONFIG)).toBe(512);
  });
});

describe('a setting too costly is refused up front', () => {
  it('names the cost and the largest hidden size that fits', () => {
    expect(stepFlops(MAX_CONFIG)).toBe(1_612_185_600_000);
    expect(checkConfig(MAX_CONFIG)).toBe(
      'These settings cost ≈ 1.6 TFLOP per training step, about 64 s per step on WebAssembly (≈ 25 GFLOP/s); the limit is 50 GFLOP, about 2 s. ' +
        'The largest hidden size that fits with these settings is 89.',
    );
  });

  it('long copy memory (delay 400, 420 steps) runs at the defaults; too costly a model for it is refused', () => {
    const long: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'copy_memory', length: 400 };
    expect(checkConfig(long)).toBeNull();
    expect(checkConfig({ ...long, cell: 'lstm', hiddenSize: 256 })).toBeNull();
    const big: PlaygroundConfig = { ...long, cell: 'lstm', hiddenSize: 512, numLayers: 2, batchSize: 64 };
    expect(checkConfig(big)).toMatch(/^These settings cost ≈ \d+ GFLOP per training step, .* The largest hidden size that fits with these settings is \d+\.$/);
    const fit = largestHiddenSize(big);
    expect(stepFlops({ ...big, hiddenSize: fit })).toBeLessThanOrEqual(MAX_FLOPS_PER_STEP);
    expect(stepFlops({ ...big, hiddenSize: fit + 1 })).toBeGreaterThan(MAX_FLOPS_PER_STEP);
  });

  it('the new memory tasks are costed at their own shapes: selective copying 408 steps, associative recall 33', () => {
    // LSTM, H = 256, B = 32. Selective copying at S = 400: T = 408, D = 10, Y = 8, read at every step;
    // associative recall at n = 32 (a pair a step): T = 33, D = 40, Y = 8, read once. 6 FLOPs per weight and use.
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 256, batchSize: 32 };
    const lstm = (D: number) => 4 * 256 * (D + 256);
    expect(stepFlops({ ...c, task: 'selective_copy', length: 400 })).toBe(6 * 32 * (408 * lstm(10) + 408 * 256 * 8));
    expect(stepFlops({ ...c, task: 'associative_recall', length: 32 })).toBe(6 * 32 * (33 * lstm(40) + 256 * 8));
    expect(checkConfig({ ...c, task: 'selective_copy', length: 400, hiddenSize: 512, numLayers: 4 })).toMatch(/per training step/);
  });

  it('a config already over the limit (a loaded model) can still be edited, but not made costlier', () => {
    expect(checkConfig({ ...MAX_CONFIG, learningRate: 0.001 }, MAX_CONFIG)).toBeNull();
    expect(checkConfig({ ...MAX_CONFIG, hiddenSize: 256 }, MAX_CONFIG)).toBeNull();
    expect(checkConfig({ ...MAX_CONFIG, batchSize: 64 }, MAX_CONFIG)).toMatch(/per training step/);
    expect(checkConfig({ ...DEFAULT_CONFIG, hiddenSize: 512, length: 400, numLayers: 4 }, DEFAULT_CONFIG)).toMatch(/≈ 140 GFLOP per training step, about 5.6 s per step .* largest hidden size that fits with these settings is 304\.$/);
  });

  it('the maximum-size link opens with the largest hidden size that fits, and says why', () => {
    const d = decodeUrl(MAX_LINK);
    expect(d.config).toEqual({ ...MAX_CONFIG, hiddenSize: 89 });
    expect(checkConfig(d.config)).toBeNull();
    expect(d.problems).toEqual([expect.stringMatching(/^These settings cost ≈ 1.6 TFLOP per training step, .* The largest hidden size that fits with these settings is 89; it is used instead of 512\.$/)]);
  });
});

describe('rules between settings', () => {
  it("echo's lag must stay under the sequence length; a link's lag falls back, with a message", () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, lag: 30 })).toBe('Lag 30: must be less than the sequence length 20.');
    const d = decodeUrl('?lag=30&seed=3');
    expect(d.config).toEqual({ ...DEFAULT_CONFIG, seed: 3 });
    expect(d.problems).toEqual(['Lag 30: must be less than the sequence length 20. Using lag 5 instead.']);
    expect(decodeUrl('?lag=30&len=40').config).toMatchObject({ lag: 30, length: 40 });
  });

  it('temporal order needs at least 10 steps', () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, task: 'temporal_order', length: 5, lag: 1 })).toBe('Sequence length 5: temporal order needs at least 10 steps.');
    const d = decodeUrl('?task=temporal_order&len=5');
    expect(checkConfig(d.config)).toBeNull();
    expect(d.problems).toHaveLength(1);
  });

  it('associative recall takes at most 32 pairs, one per key; a link asking for more falls back', () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, task: 'associative_recall', length: 32 })).toBeNull();
    expect(checkConfig({ ...DEFAULT_CONFIG, task: 'associative_recall', length: 33 })).toBe('Pairs 33: associative recall takes at most 32 pairs.');
    const d = decodeUrl('?task=associative_recall&len=40');
    expect(checkConfig(d.config)).toBeNull();
    expect(d.problems).toEqual(['Pairs 40: associative recall takes at most 32 pairs. Using task Delayed echo, sequence length 20 instead.']);
    expect(decodeUrl('?task=selective_copy&len=400')).toMatchObject({ config: { task: 'selective_copy', length: 400 }, problems: [] });
  });

  it('restoring one rule can break another: the link ends runnable anyway', () => {
    // Temporal order with 5 steps breaks its rule; put back, the task is echo with the lag 30 over 20 steps.
    const d = decodeUrl('?task=temporal_order&len=5&lag=30');
    expect(checkConfig(d.config)).toBeNull();
    expect(d.config).toEqual(DEFAULT_CONFIG);
    expect(d.problems).toHaveLength(2);
  });
});

describe('no silent input', () => {
  it.each([
    ['hiddenSize', '2.5', 'Hidden size 2.5: must be a whole number from 1 to 512.'],
    ['hiddenSize', '100000', 'Hidden size 100000: must be a whole number from 1 to 512.'],
    ['hiddenSize', '0', 'Hidden size 0: must be a whole number from 1 to 512.'],
    ['hiddenSize', 'abc', 'Hidden size abc: must be a whole number from 1 to 512.'],
    ['hiddenSize', '  ', 'Hidden size (empty): must be a whole number from 1 to 512.'],
    ['momentum', '1', 'Momentum 1: must be a number from 0 to 0.999.'],
    ['clipMax', '0', 'Clipping threshold 0: must be a number from 0.000001 to 1000000.'],
    ['seed', '-1', 'Seed -1: must be a whole number from 0 to 2147483647.'],
  ] as const)('a typed %s of %j is refused in words', (key, text, message) => {
    expect(readTyped(rowOf(key), text)).toEqual({ ok: false, message });
  });

  it('a typed number in range is taken as a number', () => {
    expect(readTyped(rowOf('hiddenSize'), ' 64 ')).toEqual({ ok: true, value: 64 });
    expect(readTyped(rowOf('gain'), '1e-1')).toEqual({ ok: true, value: 0.1 });
  });

  it('a lesson that does not exist is named, with the lessons that do', () => {
    const ids = LESSONS.map((l) => l.id);
    const d = decodeUrl('?lesson=nonexistent&h=16', lessonConfig, ids);
    expect(d.lesson).toBeNull();
    expect(d.config).toEqual({ ...DEFAULT_CONFIG, hiddenSize: 16 });
    expect(d.problems).toEqual([`The lesson "nonexistent" does not exist; ignored. The lessons are: ${ids.join(', ')}.`]);
    expect(d.problems[0]).toContain('vanishing, exploding');
    expect(decodeUrl('?lesson=vanishing', lessonConfig, ids)).toMatchObject({ lesson: 'vanishing', problems: [], config: lessonConfig('vanishing') });
  });
});

describe('the successor blocks in the settings', () => {
  it('heads must divide H, in words; a link keeps its cell and puts the heads back', () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, cell: 'attention', hiddenSize: 32, numHeads: 3 })).toBe('Heads 3: must divide the hidden size 32, each head being H / heads wide.');
    expect(checkConfig({ ...DEFAULT_CONFIG, cell: 'attention', hiddenSize: 30, numHeads: 3 })).toBeNull();
    const d = decodeUrl('?cell=attention&h=32&heads=3');
    expect(d.config).toMatchObject({ cell: 'attention', hiddenSize: 32, numHeads: DEFAULT_CONFIG.numHeads });
  });

  it("the LRU's ring needs r_min < r_max < 1, in words; a link keeps what fits and puts the rest back", () => {
    const lru: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'lru' };
    const why = "the LRU's ring needs r_min < r_max < 1 (at |λ| = 1 a state never forgets and grows without bound).";
    expect(checkConfig({ ...lru, ringMin: 0.9, ringMax: 0.5 })).toBe(`Ring r_min 0.9, r_max 0.5: ${why}`);
    expect(checkConfig({ ...lru, ringMin: 0.9, ringMax: 0.9 })).toBe(`Ring r_min 0.9, r_max 0.9: ${why}`);
    expect(checkConfig({ ...lru, ringMin: 0.9, ringMax: 1 })).toBe(`Ring r_min 0.9, r_max 1: ${why}`);
    expect(checkConfig({ ...lru, ringMin: 0.9, ringMax: 0.999, ringPhase: 0.1 })).toBeNull();
    expect(checkConfig({ ...DEFAULT_CONFIG, cell: 'mamba', ringMin: 0.9, ringMax: 0.5 })).toBeNull(); // not read by any other kind
    expect(decodeUrl('?cell=lru&rmin=0.9&rmax=0.999&phase=0.1')).toMatchObject({ config: { ...lru, ringMin: 0.9, ringMax: 0.999, ringPhase: 0.1 }, problems: [] });
    const d = decodeUrl('?cell=lru&rmin=0.9&rmax=1');
    expect(d.config).toMatchObject({ cell: 'lru', ringMin: DEFAULT_CONFIG.ringMin, ringMax: DEFAULT_CONFIG.ringMax });
    expect(d.problems).toEqual([`Ring r_min 0.9, r_max 1: ${why} Using smallest ring radius 0.4, largest ring radius 0.99 instead.`]);
    expect(decodeUrl('?cell=lru&phase=0').problems[0]).toMatch(/must be a number from 0.001 to 2/);
  });

  it('streaming sines, which carries the state between chunks, is refused for a successor in words', () => {
    expect(checkConfig({ ...DEFAULT_CONFIG, task: 'sines', cell: 'mamba' })).toMatch(/^Mamba \(selective SSM\) does not carry its state from one chunk of a stream to the next yet/);
    expect(checkConfig({ ...DEFAULT_CONFIG, task: 'sines', cell: 'gru' })).toBeNull();
  });

  it("a successor's step is held to its kind's wasm speed, and the heads survive a cut in H", () => {
    const big: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'attention', numHeads: 4, hiddenSize: 512, numLayers: 4, length: 400, lag: 1 };
    expect(checkConfig(big)).toMatch(/per training step/);
    const fit = largestHiddenSize(big);
    expect(fit % 4).toBe(0);
    expect(checkConfig({ ...big, hiddenSize: fit })).toBeNull();
  });
});
