/**
 * The long-memory lesson's words against the engine: the parameter counts its narration states,
 * the ring it starts the LRU on (every λ inside it, so inside the unit circle), and the measure its
 * gradient claim reads (the median of ‖∂L/∂x_t‖ over the symbols, against the last step).
 */
import { describe, expect, it } from 'vitest';
import { anyParameterCount, initAnyModel } from '../src/engine/anyModel';
import { Rng } from '../src/engine/rng';
import { tensorsUnder } from '../src/engine/successors/spec';
import { makeTask } from '../src/engine/tasks';
import { LONG_MEMORY, lessonById, lessonVariants, symbolReach } from '../src/lessons/lessons';
import { checkConfig } from '../src/settings/check';
import { initSpecOf, modelSpecOf, taskSpecOf } from '../src/settings/specs';

const lesson = lessonById('long-memory')!;

describe('lesson long-memory', () => {
  it('says the parameter counts the engine has, and runs at T ≥ 200', () => {
    const [lru, rnn] = lessonVariants(lesson).map((v) => v.config);
    for (const c of [lru, rnn]) expect(checkConfig(c)).toBeNull();
    const info = makeTask(taskSpecOf(lru, '')).info;
    expect(info.T).toBe(LONG_MEMORY.delay + 20);
    expect(info.T).toBeGreaterThanOrEqual(200);
    expect(anyParameterCount(modelSpecOf(lru, info))).toBe(LONG_MEMORY.params.lru);
    expect(anyParameterCount(modelSpecOf(rnn, info))).toBe(LONG_MEMORY.params.rnn);
    expect([rnn.cell, rnn.nonlinearity, lru.cell]).toEqual(['rnn', 'tanh', 'lru']);
  });

  it("starts the LRU's λ on the ring the narration names, from the settings", () => {
    const [lru] = lessonVariants(lesson).map((v) => v.config);
    const info = makeTask(taskSpecOf(lru, '')).info;
    const m = tensorsUnder(initAnyModel(modelSpecOf(lru, info), initSpecOf(lru), new Rng(lru.seed)).params, 'layers.0.mixer.');
    const modulus = Array.from(m.nu_log, (nl) => Math.exp(-Math.exp(nl)));
    expect(modulus.length).toBe(LONG_MEMORY.N);
    for (const r of modulus) {
      expect(r).toBeGreaterThanOrEqual(LONG_MEMORY.rMin);
      expect(r).toBeLessThanOrEqual(LONG_MEMORY.rMax);
    }
  });

  it('reads the median over the symbols against the last step, NaN without a gradient', () => {
    // symbols 0..9 hold 10, 1, 2, …, 9 (median 5.5); the last of 14 steps holds 11
    const g = [10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 11];
    expect(symbolReach(g, 10)).toBeCloseTo(5.5 / 11, 15);
    expect(symbolReach([1, 2, 3], 3)).toBeNaN(); // nothing after the symbols
    expect(symbolReach([1, 2, 0], 1)).toBeNaN(); // no gradient at the last step
    expect(symbolReach([], 10)).toBeNaN();
  });
});
