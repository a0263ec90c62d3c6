/** The command-line door: every public case reproduced from a terminal, bad input told plainly. */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFiles, readJson, relativeError } from './helpers';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const run = (...args: string[]) => spawnSync(TSX, ['scripts/engine-cli.ts', ...args], { encoding: 'utf8' });

describe('npm run engine -- CASE.json', () => {
  it.each(caseFiles().map((f) => [basename(f), f]))('reproduces %s', (_name, file) => {
    const res = run(file);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    const expected = readJson(file).expected;
    // It prints every key of `expected` (the engine computes them all), and nothing else.
    expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort());
    for (const key of ['outputs', 'loss', 'grads', 'gradNorm', 'hiddenGrads']) expect(out).toHaveProperty(key);
    const compared = ['outputs', 'loss', 'grads', 'gradNorm', 'lossesDuringTraining', 'gradNormsDuringTraining', 'paramsAfter', 'stateJacobianSingularValues', 'jacobianProductNorms', 'eigenvaluesWhh'];
    for (const key of compared.filter((k) => k in expected))
      expect(relativeError(out[key], expected[key]), key).toBeLessThan(1e-9);
  });

  it('refuses bad input with one line on stderr and a non-zero exit, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "rnn-playground/case@1", "model": {"format": "nope"}}');
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.json')], /cannot read .*ENOENT/],
      [[bad], /"format" must be "rnn-playground\/model@1"/],
      [[], /usage:/],
    ];
    writeFileSync(join(dir, 'text.json'), 'hello');
    cases.push([[join(dir, 'text.json')], /is not valid JSON/]);
    for (const [args, message] of cases) {
      const res = run(...args);
      expect(res.status).not.toBe(0);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack frames
    }
  });
});
