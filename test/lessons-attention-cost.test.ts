/**
 * The price-of-attention lesson's claims read the closed forms of the run's own settings: they
 * hold on the lesson's, and fail when the curves say otherwise (another width, a missing kind,
 * no curves at all), so none of them holds by construction.
 */
import { describe, expect, it } from 'vitest';
import { makeTask } from '../src/engine/tasks';
import { evaluateClaims, type LessonFigures, type VariantFigures } from '../src/lessons/claims';
import { lessonById, lessonVariants } from '../src/lessons/lessons';
import { taskSpecOf } from '../src/settings/specs';
import type { PlaygroundConfig } from '../src/worker/config';
import { costCurvesOf } from '../src/worker/costs';

const lesson = lessonById('attention-cost')!;
const base = lessonVariants(lesson)[0].config;

function figures(config: PlaygroundConfig, edit?: (v: VariantFigures) => void): LessonFigures {
  const info = makeTask(taskSpecOf(config, '')).info;
  const v = { label: 'x', role: 'succeeds', costs: costCurvesOf(config, info) } as unknown as VariantFigures;
  edit?.(v);
  return { variants: [v] };
}
const held = (f: LessonFigures) => evaluateClaims(lesson.claims, f).map((r) => r.holds);

describe('lesson attention-cost', () => {
  it("every claim holds on the lesson's settings, whatever the seed", () => {
    expect(held(figures(base))).toEqual(lesson.claims.map(() => true));
    expect(held(figures({ ...base, seed: 987 }))).toEqual(lesson.claims.map(() => true));
  });

  it('the memory claim fails at another width; every claim fails without the curves', () => {
    expect(held(figures({ ...base, hiddenSize: 48 }))[2]).toBe(false);
    expect(held(figures({ ...base, stateSize: 8 }))[2]).toBe(false);
    expect(held(figures(base, (v) => delete v.costs))).toEqual(lesson.claims.map(() => false));
  });

  it('the FLOP claims fail on curves that do not grow as they say', () => {
    const flat = figures(base, (v) => {
      const a = v.costs!.kinds.find((k) => k.cell === 'attention')!;
      a.forwardFlops = v.costs!.lengths.map((T) => 100 * T); // linear, like a recurrence
      const m = v.costs!.kinds.find((k) => k.cell === 'mamba')!;
      m.forwardFlops = v.costs!.lengths.map((T) => T * T);
    });
    expect(held(flat).slice(0, 2)).toEqual([false, false]);
  });
});
