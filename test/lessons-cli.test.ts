/** `npm run lesson -- ID`: one JSON object of the shape the README gives, bad input told plainly. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS } from '../src/lessons/lessons';
import { ensureWasmBuilt } from './kernels/wasm-setup';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const run = (...args: string[]) => spawnSync(TSX, ['scripts/lesson-cli.ts', ...args], { encoding: 'utf8' });

beforeAll(() => ensureWasmBuilt());

/** Every key and type of one printed report, as the README documents it. */
function expectReportShape(out: Record<string, unknown>, id: string, seed: number, steps: number): void {
  expect(Object.keys(out)).toEqual(['lesson', 'seed', 'steps', 'variants', 'claims']);
  expect(out).toMatchObject({ lesson: id, seed, steps });
  const lesson = LESSONS.find((l) => l.id === id)!;
  const variants = out.variants as Record<string, unknown>[];
  expect(variants.length).toBe(lesson.compare?.length ?? 1);
  for (const v of variants) {
    expect(Object.keys(v)).toEqual(['label', 'role', 'steps', 'diverged', 'metric', 'loss', 'spectralRadius', 'gradNormByStep', 'inputGradNorms']);
    expect(['succeeds', 'fails']).toContain(v.role);
    expect(typeof v.label).toBe('string');
    expect(typeof v.diverged).toBe('boolean');
    expect(Object.keys(v.metric as object)).toEqual(['name', 'final', 'baseline']);
    expect(Object.keys(v.loss as object)).toEqual(['final']);
    if (v.spectralRadius !== null) expect(Object.keys(v.spectralRadius as object)).toEqual(['start', 'end']);
    expect(Array.isArray(v.gradNormByStep)).toBe(true);
    expect(Array.isArray(v.inputGradNorms)).toBe(true);
  }
  const claims = out.claims as Record<string, unknown>[];
  expect(claims.map((c) => c.text)).toEqual(lesson.claims.map((c) => c.text));
  for (const c of claims) expect(typeof c.holds).toBe('boolean');
}

describe('npm run lesson -- ID', () => {
  it('prints one JSON object: a short vanishing run on the reference backend', () => {
    const res = run('vanishing', '--seed', '12', '--steps', '30', '--backend', 'reference');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(res.stdout);
    expectReportShape(out, 'vanishing', 12, 30);
    const [v] = out.variants;
    expect(v.steps).toBe(30);
    expect(v.gradNormByStep).toHaveLength(40); // T = lag + 10
    // The metric is an accuracy, the loss per scored step starts near ln 4 (a random readout of 4 classes).
    expect(v.metric).toMatchObject({ name: 'accuracy on scored steps', baseline: 0.25 });
    expect(v.loss.final).toBeGreaterThan(1.2);
    expect(v.loss.final).toBeLessThan(1.7);
    expect(v.spectralRadius.start).toBeCloseTo(0.5, 9);
  });

  it('init-lab trains nothing by default and checks its claims before training', () => {
    const res = run('init-lab', '--seed', '4');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expectReportShape(out, 'init-lab', 4, 0);
    for (const v of out.variants) {
      expect(v.steps).toBe(0);
      expect(v.metric.final).toBeNull(); // no step, no average: JSON has no NaN
    }
    expect(out.claims.every((c: { holds: boolean }) => c.holds)).toBe(true);
  });

  it('refuses bad input with one line on stderr and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [[], /which lesson\?/],
      [['nope'], /no lesson "nope"; the lessons are vanishing, /],
      [['vanishing', '--seed', 'x'], /--seed needs a whole number/],
      [['vanishing', '--seed', '99999999999'], /--seed must be between 0 and 2147483647/],
      [['vanishing', '--steps', '1.5'], /--steps needs a whole number/],
      [['vanishing', '--backend', 'webgpu'], /--backend must be one of reference, wasm/],
    ];
    for (const [args, message] of cases) {
      const res = run(...args);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(message);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
