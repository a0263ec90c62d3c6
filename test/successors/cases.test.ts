/**
 * The successor cases (PyTorch, float64, ../shared/reference/successors/) through the float64
 * engine: every key of `expected` to 1e-9 by the reference README's rule, `hiddenGrads` step by
 * step, with the recurrences run as a loop and as a parallel scan.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSuccessorCase, parseAnyCase, runSuccessorCase, type SuccessorCase } from '../../src/engine/referenceCase';
import { readJson, relativeError } from '../helpers';
import { successorCaseFiles } from './helpers';

/** The largest error per key (hiddenGrads: the worst step), for the report and the assertions. */
function caseErrors(ours: Record<string, unknown>, expected: Record<string, unknown>): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const key of Object.keys(expected)) {
    if (key === 'hiddenGrads') {
      const ref = expected[key] as unknown[];
      const got = ours[key] as unknown[];
      errors[key] = got.length === ref.length ? Math.max(...ref.map((step, t) => relativeError(got[t], step))) : Infinity;
    } else if (key === 'grads' || key === 'paramsAfter') {
      // each named array on its own (paramsAfter: each step's state_dict, each tensor)
      const per = (o: Record<string, unknown>, r: Record<string, unknown>) => Math.max(...Object.keys(r).map((n) => (n in o ? relativeError(o[n], r[n]) : Infinity)));
      errors[key] = key === 'grads' ? per(ours[key] as Record<string, unknown>, expected[key] as Record<string, unknown>) : Math.max(...(expected[key] as Record<string, unknown>[]).map((r, s) => per((ours[key] as Record<string, unknown>[])[s], r)));
    } else errors[key] = relativeError(ours[key], expected[key]);
  }
  return errors;
}

describe('successor cases (PyTorch float64) to 1e-9', () => {
  const files = successorCaseFiles();

  it('finds the six cases, one or more for every kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    const cells = new Set(files.map((f) => readJson(f).model.cell));
    expect([...cells].sort()).toEqual(['attention', 'lru', 'mamba', 'mingru', 'rwkv']);
  });

  it.each(files.flatMap((f) => (['loop', 'parallel'] as const).map((scan) => [basename(f, '.json'), scan, f] as const)))('%s (%s)', (_name, scan, file) => {
    const raw = readJson(file);
    const c = parseAnyCase(raw) as SuccessorCase;
    expect(isSuccessorCase(c)).toBe(true);
    const ours = runSuccessorCase({ ...c, opts: { ...c.opts, scan } });
    const errors = caseErrors(ours, raw.expected);
    expect(Object.keys(errors).sort()).toEqual(Object.keys(raw.expected).sort());
    for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(1e-9);
  });
});
