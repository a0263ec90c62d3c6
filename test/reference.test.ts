/**
 * Every public PyTorch case through the engine: each named array within 1e-9 (hiddenGrads step by
 * step), by the rule of ../shared/reference/README.md.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossAndGradients } from '../src/engine/bptt';
import { parseCase, runCase } from '../src/engine/referenceCase';
import { caseFiles, readJson, relativeError } from './helpers';
import { finiteDifferenceHiddenGrads } from './topStateProbe';

const TOL = 1e-9;

describe.each(caseFiles().map((f) => [basename(f, '.json'), f]))('reference case %s', (_name, file) => {
  const raw = readJson(file);
  const c = parseCase(raw);
  const ours = runCase(c);
  const keys = Object.keys(ours).filter((k) => k in raw.expected && k !== 'hiddenGrads');

  it.each(keys)('%s matches PyTorch to 1e-9', (key) => {
    expect(relativeError(ours[key], raw.expected[key])).toBeLessThan(TOL);
  });

  it('hiddenGrads matches PyTorch to 1e-9 at every step', () => {
    const got = ours.hiddenGrads as number[][][];
    expect(got.length).toBe(raw.expected.hiddenGrads.length);
    got.forEach((step, t) => expect(relativeError(step, raw.expected.hiddenGrads[t]), `step ${t}`).toBeLessThan(TOL));
  });

  // Under truncation, hiddenGrads is the gradient of the detached graph, which no perturbation of
  // the loss measures; test/truncation.test.ts checks it by an exact chunk decomposition instead.
  it.skipIf(c.opts.truncation !== null)('hiddenGrads agrees with finite differences of the loss', () => {
    const r = lossAndGradients(c.model, c.batch, c.opts);
    const fd = finiteDifferenceHiddenGrads(c.model, c.batch, c.opts);
    expect(relativeError(Array.from(r.hiddenGrads), Array.from(fd))).toBeLessThan(1e-7);
  });
});
