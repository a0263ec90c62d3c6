/**
 * `npm run export-pytorch -- 'QUERY'`: the exported PyTorch script, run by Debian's python3 with
 * python3-torch in float64, gives the playground's losses (the Trainer on the reference backend,
 * what `npm run train -- QUERY --backend reference --json` prints) to 1e-9 for 20 steps, across a
 * table of links that covers every cell and successor block, task, optimizer, clipping and
 * truncation setting. The
 * scripts of the table run in two python processes (torch takes seconds to import), each script's
 * main() called in turn by a small driver.
 *
 * Without torch the table is skipped with a visible reason, except in CI (CI=true), where that fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnyModel } from '../src/engine/modelFile';
import type { Params } from '../src/engine/model';
import { pytorchScript } from '../src/export/pytorch';
import { modelOf, type AnyModel } from '../src/engine/anyModel';
import { unpackParams } from '../src/worker/protocol';
import { HeadlessRun } from '../src/worker/headless';
import { configOfQuery, NODE_DEPS } from '../scripts/node-deps';

const PYTHON = '/usr/bin/python3';
const STEPS = 20;
const TOL = 1e-9;

const torchCheck = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
const HAS_TORCH = torchCheck.status === 0;
const WHY_NO_TORCH = `${PYTHON} cannot import torch (${(torchCheck.stderr || torchCheck.error?.message || '').trim().split('\n').pop()}); install Debian's python3-torch`;
if (!HAS_TORCH) console.warn(`export-pytorch: skipping the PyTorch runs: ${WHY_NO_TORCH}`);

/** Every cell, task, optimizer, clipping and truncation setting, small enough to run in seconds. */
const LINKS = [
  // the three cells, each task once at least
  'task=echo&len=20&lag=6&cell=lstm&h=24&opt=adam&lr=0.003&seed=11&batch=8',
  'task=adding&len=30&cell=rnn&h=16&opt=sgd&lr=0.05&mom=0&clip=norm&seed=4&batch=8',
  'task=copy_memory&len=10&cell=gru&h=12&k=5&opt=rmsprop&clip=value&cmax=0.5&seed=7&batch=8',
  'task=temporal_order&len=20&cell=gru&h=10&opt=sgd&lr=0.1&mom=0.9&clip=off&seed=2&batch=8',
  'task=parity&len=8&cell=rnn&act=relu&h=8&opt=adam&lr=0.01&seed=3&batch=8',
  'task=sines&len=15&cell=lstm&h=8&opt=adam&lr=0.01&seed=5&batch=4',
  'task=char_lm&len=16&cell=gru&h=16&opt=adam&lr=0.01&seed=6&batch=4',
  'task=future_tag&len=12&cell=lstm&h=8&bidi=true&opt=adam&lr=0.01&seed=8&batch=8',
  'task=selective_copy&len=8&cell=gru&h=8&opt=rmsprop&lr=0.003&seed=9&batch=8',
  'task=associative_recall&len=4&cell=lstm&h=8&opt=adam&lr=0.01&seed=10&batch=8',
  // nonlinearities, learned start, layers, bidirectional, truncation in every combination that matters
  'task=echo&len=12&lag=2&cell=rnn&act=linear&h=6&opt=sgd&lr=0.01&mom=0.5&clip=norm&cmax=0.5&seed=12&batch=4',
  'task=echo&len=12&lag=2&cell=rnn&act=tanh&h=6&layers=2&bidi=true&k=4&opt=adam&seed=13&batch=4',
  'task=echo&len=12&lag=3&cell=lstm&h=6&layers=2&h0=learned&k=3&opt=rmsprop&clip=value&cmax=0.1&seed=14&batch=4',
  'task=echo&len=12&lag=3&cell=gru&h=6&h0=learned&bidi=true&opt=sgd&lr=0.2&mom=0.9&seed=15&batch=4',
  'task=adding&len=16&cell=lstm&h=6&layers=3&k=5&clip=norm&cmax=0.05&opt=adam&seed=16&batch=4',
  'task=adding&len=16&cell=gru&h=6&bidi=true&layers=2&k=3&opt=sgd&lr=0.1&mom=0&clip=value&cmax=0.01&seed=17&batch=4',
  'task=sines&len=10&cell=rnn&act=tanh&h=6&h0=learned&k=4&opt=sgd&lr=0.05&mom=0.9&seed=18&batch=4',
  'task=sines&len=10&cell=gru&h=6&layers=2&bidi=true&h0=learned&opt=rmsprop&seed=19&batch=4',
  'task=future_tag&len=10&cell=rnn&act=relu&h=6&bidi=true&h0=learned&k=3&opt=adam&init=orthogonal&seed=20&batch=4',
  'task=parity&len=6&cell=lstm&h=6&init=xavier&fb=2&h0=learned&opt=adam&seed=21&batch=4',
  // the successor blocks, one and two layers, full and truncated
  'task=echo&len=10&cell=lru&h=8&n=4&layers=2&k=3&opt=adam&seed=24&batch=4',
  'task=selective_copy&len=8&cell=mamba&h=8&n=4&k=3&opt=rmsprop&clip=value&cmax=0.05&seed=25&batch=4',
  'task=adding&len=10&cell=rwkv&h=8&layers=2&opt=sgd&lr=0.1&mom=0.9&seed=26&batch=4',
  'task=parity&len=6&cell=mingru&h=8&k=2&layers=2&clip=norm&cmax=0.1&seed=27&batch=4',
  'task=associative_recall&len=4&cell=attention&h=8&heads=2&layers=2&k=2&seed=28&batch=4',
  'task=char_lm&len=12&cell=mamba&h=8&n=2&opt=adam&seed=29&batch=2',
];

interface EngineRun {
  losses: number[];
  model: AnyModel;
}

/** The page's run: the worker's Trainer on the float64 reference backend, as `npm run train` drives it. */
async function engineRun(query: string, steps: number): Promise<EngineRun> {
  const run = await HeadlessRun.start({ ...configOfQuery(query), backend: 'reference' }, NODE_DEPS);
  for (let s = 0; s < steps; s++) if (!(await run.step())) break;
  const losses = run.frames().flatMap((f) => Array.from(f.losses));
  const { weights } = await run.readWeights();
  return { losses, model: modelOf(weights.spec, unpackParams(weights.spec, weights.params)) };
}

async function scriptOf(query: string, from?: { model: AnyModel; step: number }): Promise<string> {
  const config = configOfQuery(query);
  const text = config.task === 'char_lm' ? await NODE_DEPS.loadDefaultText() : '';
  return pytorchScript({ config, query, text, model: from?.model, fromStep: from?.step });
}

const DRIVER = String.raw`
import contextlib, importlib.util, io, json, sys, traceback
out = {}
for path in sys.argv[2:]:
    try:
        spec = importlib.util.spec_from_file_location("experiment", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with contextlib.redirect_stdout(io.StringIO()):
            out[path] = module.main(["--dtype", "float64", "--steps", sys.argv[1], "--json"])
    except Exception:
        out[path] = traceback.format_exc()
print(json.dumps(out))
`;

/** Runs each script's main (float64, `steps`, --json) in one python process; the losses by path. */
function runScripts(dir: string, paths: string[], steps: number): Promise<Record<string, number[] | string>> {
  const driver = join(dir, 'driver.py');
  writeFileSync(driver, DRIVER);
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, [driver, String(steps), ...paths]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`python exited ${code}: ${stderr}`))));
  });
}

/** The largest relative difference, entry by entry; arrays of different lengths never match. */
function relErr(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-30)));
}

function paramsErr(a: Params, b: Params): number {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  return Math.max(...Object.keys(b).map((k) => relErr(Array.from(a[k].data), Array.from(b[k].data))));
}

describe.runIf(HAS_TORCH || process.env.CI)('the exported PyTorch script reproduces the playground', () => {
  const dir = mkdtempSync(join(tmpdir(), 'export-pytorch-'));
  let results: Record<string, number[] | string> = {};
  const engine = new Map<string, EngineRun>();

  beforeAll(async () => {
    if (!HAS_TORCH) throw new Error(`CI needs torch for these tests: ${WHY_NO_TORCH}`);
    const paths = await Promise.all(
      LINKS.map(async (q, i) => {
        const path = join(dir, `link${i}.py`);
        writeFileSync(path, await scriptOf(q));
        return path;
      }),
    );
    // two processes, one per core; the engine's runs meanwhile here
    const half = Math.ceil(paths.length / 2);
    const python = Promise.all([runScripts(dir, paths.slice(0, half), STEPS), runScripts(dir, paths.slice(half), STEPS)]);
    for (const q of LINKS) engine.set(q, await engineRun(q, STEPS));
    const [a, b] = await python;
    results = { ...a, ...b };
  }, 240_000);

  LINKS.forEach((q, i) => {
    it(`float64 losses equal the reference engine's at ${TOL}: ${q}`, () => {
      const mine = results[join(dir, `link${i}.py`)];
      if (typeof mine === 'string') throw new Error(`the script failed:\n${mine}`);
      const theirs = (engine.get(q) as EngineRun).losses;
      expect(theirs).toHaveLength(STEPS);
      expect(mine).toHaveLength(STEPS);
      expect(relErr(mine, theirs)).toBeLessThan(TOL);
    });
  });

  for (const i of [2, LINKS.findIndex((q) => q.includes('cell=mamba'))]) {
    it(`--save writes a model file that loads back with the engine's trained weights; --json prints only the losses: ${LINKS[i]}`, () => {
      const file = join(dir, `model${i}.json`);
      const res = spawnSync(PYTHON, [join(dir, `link${i}.py`), '--dtype', 'float64', '--steps', String(STEPS), '--json', '--save', file], { encoding: 'utf8' });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout) as { losses: number[] };
      expect(Object.keys(out)).toEqual(['losses']);
      const loaded = loadAnyModel(JSON.parse(readFileSync(file, 'utf8')));
      const { model } = engine.get(LINKS[i]) as EngineRun;
      expect(loaded.spec).toEqual(model.spec);
      expect(paramsErr(loaded.params, model.params)).toBeLessThan(TOL);
    });
  }

  it('from the current weights: a run exported after 5 updates goes on as the page does (SGD, which keeps no state)', async () => {
    const q = 'task=adding&len=12&cell=lstm&h=6&opt=sgd&lr=0.05&mom=0&clip=norm&seed=23&batch=4';
    const at5 = await engineRun(q, 5);
    const whole = await engineRun(q, 12);
    const path = join(dir, 'from5.py');
    const script = await scriptOf(q, { model: at5.model, step: 5 });
    expect(script).toContain("the page's weights after 5 updates");
    writeFileSync(path, script);
    const res = await runScripts(dir, [path], 7);
    expect(relErr(res[path] as number[], whole.losses.slice(5))).toBeLessThan(TOL);
  });

  it('float32 (the default) trains the same run to float32 rounding', () => {
    const res = spawnSync(PYTHON, [join(dir, 'link0.py'), '--steps', '5', '--json'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { losses: number[] };
    expect(relErr(out.losses, (engine.get(LINKS[0]) as EngineRun).losses.slice(0, 5))).toBeLessThan(1e-4);
  });
});

describe('npm run export-pytorch -- QUERY', () => {
  const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  type Result = { status: number | null; stdout: string; stderr: string };
  /** The command, run asynchronously so that the cases below start together. */
  const exportCli = (...args: string[]): Promise<Result> =>
    new Promise((resolve) => {
      const p = spawn(TSX, ['scripts/export-pytorch.ts', ...args]);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const REFUSED = [
    [['h=9999'], /^export-pytorch: Hidden size h="9999": must be a whole number from 1 to \d+\.\n$/],
    [['bogus=1'], /^export-pytorch: Unknown setting "bogus"\.\n$/],
    [['h=8', '--steps', '3'], /^export-pytorch: unknown option --steps/],
    [['task=seq2seq'], /^export-pytorch: task=seq2seq trains an encoder–decoder/],
    [[], /^export-pytorch: which settings\? usage:/],
  ] as const;
  let printed: Result;
  let refused: Result[];
  beforeAll(async () => {
    [printed, ...refused] = await Promise.all([exportCli('task=echo&len=8&cell=gru&h=4&seed=2'), ...REFUSED.map(([args]) => exportCli(...args))]);
  }, 60_000);

  it('prints a self-contained script: torch and the standard library only, the weights embedded', () => {
    const res = printed;
    expect(res.status).toBe(0);
    expect(res.stderr).toBe('');
    const imports = res.stdout.split('\n').filter((l) => /^(import|from) /.test(l)).map((l) => l.split(/\s+/)[1].split('.')[0]);
    expect(new Set(imports)).toEqual(new Set(['argparse', 'array', 'base64', 'collections', 'json', 'math', 'sys', 'torch']));
    expect(res.stdout).toMatch(/^#!\/usr\/bin\/env python3\n"""An RNN Playground experiment as a PyTorch script\./);
    expect(res.stdout).toContain('--device cuda runs the same experiment on a GPU');
    expect(res.stdout).toContain('WEIGHTS_B64 = (');
  });

  REFUSED.forEach(([args, said], i) => {
    it(`refuses ${JSON.stringify(args)} in one line, exit 2`, () => {
      const res = refused[i];
      expect(res.status).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(said);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
