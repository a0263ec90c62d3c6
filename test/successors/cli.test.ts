/** The engine's command-line door on a successor case: every key of `expected` to 1e-9 (engine, reference), 1e-3 (wasm). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFiles, readJson, relativeError } from '../helpers';
import { successorCaseFiles } from './helpers';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
// A blocked event loop cannot time a test out, so the child itself is killed past 50 s.
const run = (...args: string[]) => spawnSync(TSX, ['scripts/engine-cli.ts', ...args], { encoding: 'utf8', timeout: 50_000 });

// The training case: it has every key, truncation, clipping and momentum.
const file = successorCaseFiles().find((f) => f.endsWith('mamba_truncated_k3_sgd_clip_norm.json')) as string;

describe('npm run engine -- SUCCESSOR_CASE.json', () => {
  it.each([
    [[] as string[], 1e-9],
    [['--backend', 'reference'], 1e-9],
    [['--backend', 'wasm'], 1e-3], // float32
  ])('reproduces every expected key (flags %j, to %s)', (flags, tolerance) => {
    const res = run(...flags, file);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    const expected = readJson(file).expected;
    expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expect(relativeError(out[key], expected[key]), key).toBeLessThan(tolerance);
  });
});

describe('npm run engine -- RNN_CASE.json: inputGrads', () => {
  it('the engine and the wasm backend both print ∂L/∂x_t [B][T][inputSize] when the case asks for it', () => {
    const raw = readJson(caseFiles().find((f) => f.endsWith('lstm_every_step_mse.json')) as string);
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'with-input-grads.json');
    writeFileSync(file, JSON.stringify({ ...raw, expected: { ...raw.expected, inputGrads: null } }));
    const engine = JSON.parse(run(file).stdout).inputGrads;
    const [B, T, D] = [raw.batch.inputs.length, raw.batch.inputs[0].length, raw.batch.inputs[0][0].length];
    expect([engine.length, engine[0].length, engine[0][0].length]).toEqual([B, T, D]);
    const wasm = run('--backend', 'wasm', file);
    expect(wasm.status).toBe(0);
    expect(relativeError(JSON.parse(wasm.stdout).inputGrads, engine)).toBeLessThan(1e-3);
  });
});
