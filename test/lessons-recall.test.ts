/**
 * The associative-recall lesson states its models' sizes in words: the parameters of each and the
 * floats each carries from one step to the next. Both come from the engine here (its parameter
 * shapes, and engine/costs.ts's closed form for the state), for the lesson's own settings.
 */
import { describe, expect, it } from 'vitest';
import { anyParameterCount } from '../src/engine/anyModel';
import { stateFloatsAt } from '../src/engine/costs';
import { makeTask } from '../src/engine/tasks';
import { lessonById, lessonVariants } from '../src/lessons/lessons';
import { modelSpecOf, taskSpecOf } from '../src/worker/config';

const lesson = lessonById('associative-recall')!;
const [attention, lstm, mamba] = lessonVariants(lesson).map((v) => {
  const info = makeTask(taskSpecOf(v.config, '')).info;
  return { cell: v.config.cell, spec: modelSpecOf(v.config, info), T: info.T };
});
const count = (x: number): string => x.toLocaleString('en');

describe('associative-recall lesson: the sizes it states', () => {
  it('compares attention, an LSTM and Mamba, all H = 16', () => {
    expect([attention.cell, lstm.cell, mamba.cell]).toEqual(['attention', 'lstm', 'mamba']);
    for (const r of [attention, lstm, mamba]) expect(r.spec.hiddenSize).toBe(16);
    expect(lesson.narration).toContain('all H = 16');
  });

  it("states each model's parameter count", () => {
    const [a, l, m] = [attention, lstm, mamba].map((r) => count(anyParameterCount(r.spec)));
    expect(lesson.narration).toContain(`${a} parameters for attention, ${l} for the LSTM, ${m} for Mamba`);
  });

  it('states the floats each carries: the same fixed state for the LSTM and Mamba, every key and value for attention', () => {
    const carried = stateFloatsAt(lstm.spec, 0);
    expect(stateFloatsAt(mamba.spec, 0)).toBe(carried);
    expect(stateFloatsAt(lstm.spec, lstm.T - 1)).toBe(carried); // fixed, whatever the step
    expect(lesson.narration).toContain(`all ${lesson.config.length} pairs into the ${carried} numbers they carry`);
    expect(lesson.narration).toContain(`(${stateFloatsAt(attention.spec, attention.T - 1)} numbers at the query)`);
  });
});
