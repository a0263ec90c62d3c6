/** The command-line door: every public case reproduced from a terminal, bad input told plainly. */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedFormProductNorms, scaledOrthogonalCase } from './analysisCases';
import { caseFiles, readJson, relativeError } from './helpers';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
// A blocked event loop cannot time a test out, so the child itself is killed past 50 s (it answers in ~2).
const run = (...args: string[]) => spawnSync(TSX, ['scripts/engine-cli.ts', ...args], { encoding: 'utf8', timeout: 50_000 });

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

/** The keys a backend computes: one forward/backward pass and the training steps (no analysis). */
const BACKEND_KEYS = ['outputs', 'loss', 'grads', 'gradNorm', 'hiddenGrads', 'lossesDuringTraining', 'gradNormsDuringTraining', 'paramsAfter'];
/** Its file's hiddenGrads hold only the direct readout gradient (see test/reference.test.ts). */
const HIDDEN_GRADS_ARE_DIRECT_ONLY = 'gru_bidirectional_two_layers_cross_entropy';

describe('npm run engine -- --backend NAME CASE.json', () => {
  // A training case, a stacked bidirectional one and a final-step one: the table
  // (test/backends) checks every case on every backend; this checks the door.
  const picked = caseFiles().filter((f) => /lstm_adam_three_steps|gru_bidirectional_two_layers|rnn_relu_final_step/.test(f));

  it.each(picked.map((f) => [basename(f), f]))('--backend wasm reproduces %s to 1e-3', (_name, file) => {
    const res = run('--backend', 'wasm', file);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    const { name, expected } = readJson(file);
    expect(Object.keys(out).sort()).toEqual(BACKEND_KEYS.filter((k) => k in expected).sort());
    for (const key of Object.keys(out)) if (!(key === 'hiddenGrads' && name === HIDDEN_GRADS_ARE_DIRECT_ONLY)) expect(relativeError(out[key], expected[key]), key).toBeLessThan(1e-3);
  });

  it('refuses a bad backend or flag with one line on stderr and exit code 2', () => {
    const file = caseFiles()[0];
    for (const args of [['--backend', 'nope', file], ['--backend', 'webgpu', file], ['--backend'], ['--fast', file]]) {
      const res = run(...args);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('npm run engine -- CASE.json past double’s range (issue 9: this case never answered)', () => {
  // Linear RNN, H = 32, T = 12, W_hh = ρQ: J_t = W_hh, so ‖J^k‖₂ = ρ^k and its log is k·ln ρ.
  it.each([1e-40, 1e40])('W_hh = ρQ, ρ = %s: answers, and every analysis key is the closed form', (rho) => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'scaled.json');
    writeFileSync(file, JSON.stringify(scaledOrthogonalCase(32, 12, rho, 1)));
    const res = run(file);
    expect(res.signal).toBeNull(); // not killed by the timeout above
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    const want = closedFormProductNorms(rho, 12);
    expect(Object.keys(out).sort()).toEqual(['jacobianProductLogNorms', 'jacobianProductNorms', 'stateJacobianSingularValues']);
    out.jacobianProductLogNorms.forEach((l: number, i: number) => expect(Math.abs(l / want.logNorms[i] - 1), `k = ${i + 1}`).toBeLessThan(1e-12));
    for (const svs of out.stateJacobianSingularValues) for (const s of svs) expect(Math.abs(s / rho - 1)).toBeLessThan(1e-12);
    // In range: ρ^k to 1e-12 (k ≤ 7). Past it: 0 below double; JSON has no Infinity, so null above.
    want.norms.slice(0, 7).forEach((w, i) => expect(Math.abs(out.jacobianProductNorms[i] / w - 1)).toBeLessThan(1e-12));
    expect(out.jacobianProductNorms.slice(8)).toEqual(rho < 1 ? [0, 0, 0] : [null, null, null]);
  });
});
