/**
 * Every lesson's claims, checked by training (wasm, through the worker's Trainer, as
 * `npm run lesson` does) on three seeds. Tests count training steps, never time: the timeouts only
 * stop a hung run.
 *
 * A lesson's own step count is about two minutes of a lecture, too long for a unit test on 2 cores;
 * each lesson here runs for a shorter count at which its phenomenon already shows (measured: the
 * learning runs are past their threshold by then, and the failing ones fail from the first steps).
 * `npm run --silent lesson -- ID --seed S` checks the full count.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateClaims, finalAverage, metricUpTo, trailingMeans, type LessonFigures, type VariantFigures } from '../src/lessons/claims';
import { LESSONS, lessonById } from '../src/lessons/lessons';
import { runLesson, type RunnerDeps } from '../src/lessons/runner';
import { BACKENDS } from '../src/kernels/registry';
import { ensureWasmBuilt } from './kernels/wasm-setup';

const deps: RunnerDeps = {
  createBackend: async (name) => {
    if (name !== 'wasm') throw new Error(`${name} is not used here`);
    return BACKENDS.wasm.create();
  },
  loadDefaultText: async () => readFileSync('public/text/kjv-genesis.txt', 'utf8'),
};

/** Steps per lesson in this file, each with why it is enough. */
const TEST_STEPS: Record<string, number> = {
  // ρ and the gradient ratio hold from the first step; accuracy is at chance whatever the weights.
  vanishing: 1500,
  // no clipping diverges or kills its units within a few steps; clipped, the seeds tried are below
  // a third of the baseline by 5 000 steps.
  exploding: 8000,
  // the IRNN is below a tenth of the baseline by 3 000 steps; tanh stays near it.
  irnn: 3000,
  // the GRU crosses half the baseline between steps 1 700 and 2 900 on the seeds tried (0.17 of
  // it by 4 000 at worst); the vanilla RNN stays at it.
  gated: 4000,
  // full BPTT is above 90 % by ~800 steps; the truncated run peaks near 38 % around step 400.
  truncation: 1500,
  // bidirectional is perfect by ~300 steps; one direction is at its baseline from the start.
  bidirectional: 1000,
  // more than 1 bit below the baseline by ~150 steps (1.6 bits by 300).
  'char-lm': 300,
  // the error is within 1.5× the floor by ~300 steps.
  streaming: 600,
  'init-lab': 0,
  // Mamba is above 80 % by step 1 100–1 500 on the seeds tried (2–8, 11–13: 0.90–0.99 at 2 000);
  // the LRU's mean of 100 steps is at most 0.45 by then. The lesson's own count: the LRU climbs
  // slowly, and the claims are made for its first 2 000 steps.
  'selective-copy': 2000,
  // attention's 100-step mean passes 90 % at steps 600–850 on seeds 1–8 and is 0.99–1.00 from
  // there, so 1 200 steps check both its claims; the LSTM (≤ 0.28) and Mamba (≤ 0.31) are far below
  // 60 % by then and their claim names the first 2 000 steps, which `npm run lesson` checks.
  'associative-recall': 1200,
  // closed forms of the run's settings: they hold before any step, on every seed.
  'attention-cost': 0,
  // The attending run passes 90 % (teacher-forced) by ~250–300 steps, the n = 4 run by ~150; the
  // n = 16 run without attention is near 50 % at 400 (seeds 1–5: 0.50–0.53 at the end). The float64
  // engine trains it: ~75–110 s per seed on the shared 2-core machine, less alone.
  'seq2seq-attention': 300,
  // batches of 16: by ~1 000 steps the LRU is below 95 % of the baseline on every seed tried
  // (0.55–0.89 at seeds 1, 4, 11–13; seed 4 was still at 0.98 at step 500), the RNN has sat at the
  // baseline since ~500, and the symbols' gradient reach is set (RNN ~10⁻⁴ and below, LRU above
  // 0.4). Two runs of T = 220, ~95 and ~60 steps per CPU-second: 54 s for the three seeds here.
  'long-memory': 1000,
};
const SEEDS = [11, 12, 13];

beforeAll(() => ensureWasmBuilt());

describe('claims: pure evaluation', () => {
  it('the final metric averages the last 5 % of steps', () => {
    expect(finalAverage(Array.from({ length: 100 }, (_, i) => i))).toBe((95 + 96 + 97 + 98 + 99) / 5);
    expect(finalAverage([3])).toBe(3);
    expect(finalAverage([])).toBeNaN();
  });

  it('trailing means start at the first full window', () => {
    expect(trailingMeans([1, 2, 3, 4], 2)).toEqual([1.5, 2.5, 3.5]);
    expect(trailingMeans([1], 2)).toEqual([]);
  });

  it('a claim about the first n steps reads the points up to update n, however sparse', () => {
    const v = { history: { metric: [0.1, 0.2, 0.3, 0.4], step: [2, 4, 6, 8] } } as unknown as VariantFigures;
    expect(metricUpTo(v, 6)).toEqual([0.1, 0.2, 0.3]);
    expect(metricUpTo(v, 1)).toEqual([]);
  });

  it('a claim whose check throws (a missing variant) does not hold', () => {
    const lesson = lessonById('exploding')!;
    const results = evaluateClaims(lesson.claims, { variants: [] } satisfies LessonFigures);
    expect(results.map((r) => r.holds)).toEqual(lesson.claims.map(() => false));
  });

  it('every lesson has claims, a step count and a role for each run', () => {
    for (const l of LESSONS) {
      expect(l.claims.length, l.id).toBeGreaterThan(0);
      expect(l.steps, l.id).toBeGreaterThanOrEqual(0);
      expect(l.id in TEST_STEPS, l.id).toBe(true);
      for (const v of l.compare ?? []) expect(['succeeds', 'fails']).toContain(v.role);
      if (!l.compare) expect(['succeeds', 'fails']).toContain(l.role);
    }
  });
});

describe.each(LESSONS.map((l) => [l.id, l] as const))('lesson %s', (id, lesson) => {
  it.each(SEEDS)(`every claim holds on seed %i after ${TEST_STEPS[id]} steps`, async (seed) => {
    const r = await runLesson(lesson, { seed, steps: TEST_STEPS[id], backend: 'wasm' }, deps);
    expect(r.claims.filter((c) => !c.holds).map((c) => c.text)).toEqual([]);
    expect(r.figures.variants.map((v) => v.label)).toEqual((lesson.compare ?? [{ label: lesson.label ?? lesson.title }]).map((v) => v.label));
    for (const v of r.figures.variants) {
      if (!v.diverged) expect(v.steps).toBe(TEST_STEPS[id]);
      expect(v.history.metric.length).toBe(v.steps);
      expect(v.history.step).toEqual(Array.from({ length: v.steps }, (_, i) => i + 1));
      expect(v.gradNormByStep.length).toBeGreaterThan(0);
      expect(v.spectralRadius === null).toBe(v.history.spectralRadius === null);
    }
  }, 300_000);
});
