/**
 * `npm run train -- 'QUERY'`: the page's run for a link, trained in a terminal. Its losses are
 * checked against the float64 engine driven by hand with the recipe the README gives (seed →
 * weights from fork 1, batches from fork 2), so anyone can redo the check in their own code; the
 * saved model file loads back; bad input is told in one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initAnyModel } from '../src/engine/anyModel';
import type { Model } from '../src/engine/model';
import { loadAnyModel } from '../src/engine/modelFile';
import { makeOptimizer } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import { makeTask } from '../src/engine/tasks';
import { trainStep } from '../src/engine/train';
import { decodeUrl } from '../src/store/urlState';
import { clipSpecOf, initSpecOf, modelSpecOf, optimizerSpecOf, taskSpecOf, truncationOf } from '../src/worker/config';
import { ensureWasmBuilt } from './kernels/wasm-setup';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const train = (...args: string[]) => spawnSync(TSX, ['scripts/train-cli.ts', ...args], { encoding: 'utf8' });

beforeAll(() => ensureWasmBuilt());

/** The engine's own losses for a link: the recipe `npm run train` follows, written out by hand. */
function engineLosses(query: string, steps: number): { losses: number[]; model: Model } {
  const c = decodeUrl(query).config;
  const task = makeTask(taskSpecOf(c, ''));
  const root = new Rng(c.seed);
  const model = initAnyModel(modelSpecOf(c, task.info), initSpecOf(c), root.fork(1)) as Model;
  const data = root.fork(2);
  const optimizer = makeOptimizer(optimizerSpecOf(c));
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const r = trainStep(model, optimizer, task.batch(data, c.batchSize), {
      loss: task.info.loss,
      readout: task.info.readout,
      truncation: truncationOf(c),
      initialState: null,
      clip: clipSpecOf(c),
    });
    losses.push(r.loss);
  }
  return { losses, model };
}

/** The largest relative difference, entry by entry; arrays of different lengths never match. */
function relErr(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-30)));
}

describe('npm run train -- QUERY', () => {
  const LINKS = [
    'task=echo&len=20&lag=6&cell=lstm&h=24&opt=adam&lr=0.003&seed=11',
    'task=adding&len=30&cell=rnn&h=16&opt=sgd&lr=0.05&clip=norm&seed=4',
    'task=copy_memory&len=20&cell=gru&h=12&k=5&opt=rmsprop&clip=value&cmax=0.5&seed=7',
  ];
  for (const q of LINKS) {
    it(`the reference backend's losses are the engine's, at 1e-12: ${q}`, () => {
      const res = train(q, '--steps', '6', '--backend', 'reference', '--json');
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout) as { losses: number[]; metrics: number[] };
      expect(Object.keys(out)).toEqual(['losses', 'metrics']);
      expect(out.losses).toHaveLength(6);
      expect(out.metrics).toHaveLength(6);
      expect(relErr(out.losses, engineLosses(q, 6).losses)).toBeLessThan(1e-12);
    });
  }

  it('wasm trains the same run in float32 (1e-3 of the float64 losses)', () => {
    const q = LINKS[0];
    const res = train(q, '--steps', '6', '--json');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { losses: number[] };
    expect(relErr(out.losses, engineLosses(q, 6).losses)).toBeLessThan(1e-3);
  });

  it('--save writes the trained model file, which loads back with the engine\'s weights', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'train-')), 'model.json');
    const q = LINKS[1];
    const res = train(q, '--steps', '4', '--backend', 'reference', '--save', file);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^# Adding problem/);
    expect(res.stdout.trim().split('\n')).toHaveLength(2 + 4);
    const loaded = loadAnyModel(JSON.parse(readFileSync(file, 'utf8'))) as Model;
    const { model } = engineLosses(q, 4);
    expect(Object.keys(loaded.params)).toEqual(Object.keys(model.params));
    for (const [name, w] of Object.entries(model.params)) {
      expect(loaded.params[name].data).toHaveLength(w.data.length);
      expect(relErr(Array.from(loaded.params[name].data), Array.from(w.data))).toBeLessThan(1e-12);
    }
  });

  it('a successor link trains too', () => {
    const res = train('task=selective_copy&len=16&cell=mamba&h=8&n=4&seed=3', '--steps', '3', '--json');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { losses: number[] };
    expect(out.losses).toHaveLength(3);
    expect(out.losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
  });

  for (const [args, said] of [
    [['h=9999'], /^train: Hidden size h="9999": must be a whole number from 1 to \d+\.\n$/],
    [['cell=foo'], /^train: Cell cell="foo": must be one of rnn, lstm/],
    [['bogus=1'], /^train: Unknown setting "bogus"\.\n$/],
    [['h=8', '--steps', 'x'], /^train: --steps needs a whole number, got "x"\n$/],
    [['h=8', '--backend', 'webgpu'], /^train: --backend must be one of reference, wasm/],
    [[], /^train: which settings\? usage:/],
  ] as const) {
    it(`refuses ${JSON.stringify(args)} in one line, exit 2`, () => {
      const res = train(...args);
      expect(res.status).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(said);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
