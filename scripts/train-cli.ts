/**
 * Training from a terminal:
 *   npm run --silent train -- 'QUERY' [--steps N] [--backend reference|wasm] [--json] [--save FILE]
 * QUERY is the playground's link query (the keys the page's link uses, e.g.
 * `task=echo&len=20&lag=6&cell=lstm&h=24&opt=adam&lr=0.003&seed=11`; a whole link works too). It
 * trains in Node through the worker's own Trainer (src/worker/headless.ts), so the task data, the
 * initial weights and every update are the page's for that link, and prints the loss L (summed
 * over each sequence's scored steps, averaged over the batch: what the optimizer minimizes) and
 * the task's metric after each update. `--json` prints one object `{ "losses": [...],
 * "metrics": [...] }`; `--save FILE` writes the trained model file (the page's Load reads it).
 * Bad input: one line on stderr naming what was wrong, and exit 2.
 */
import { writeFileSync } from 'node:fs';
import { modelOf } from '../src/engine/anyModel.ts';
import { saveAnyModel } from '../src/engine/modelFile.ts';
import type { BackendName } from '../src/kernels/types.ts';
import { configOfQuery, IN_NODE, NODE_DEPS, nodeBackend, parsedOrExit, UsageError } from './node-deps.ts';
import { HeadlessRun } from '../src/worker/headless.ts';
import { unpackParams } from '../src/worker/protocol.ts';
import type { PlaygroundConfig } from '../src/worker/config.ts';

const USAGE = `usage: npm run --silent train -- 'QUERY' [--steps N] [--backend ${IN_NODE.join('|')}] [--json] [--save FILE]`;
const MAX_STEPS = 1_000_000;
const DEFAULT_STEPS = 100;

interface Args {
  config: PlaygroundConfig;
  steps: number;
  backend: BackendName;
  json: boolean;
  save: string | null;
}

function stepsOf(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`--steps needs a whole number, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
  const n = Number(text);
  if (n < 1 || n > MAX_STEPS) throw new UsageError(`--steps must be between 1 and ${MAX_STEPS}, got ${text}`);
  return n;
}

function parse(argv: string[]): Args {
  const args = argv.filter((a) => a !== '--');
  let query: string | undefined;
  let steps = DEFAULT_STEPS;
  let backend: BackendName = 'wasm';
  let json = false;
  let save: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--steps') steps = stepsOf(args[++i]);
    else if (a === '--json') json = true;
    else if (a === '--save') {
      save = args[++i] ?? '';
      if (!save || save.startsWith('-')) throw new UsageError('--save needs a file name');
    } else if (a === '--backend') backend = nodeBackend(args[++i]);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (query === undefined) query = a;
    else throw new UsageError(`one query at a time (got ${JSON.stringify(query)} and ${JSON.stringify(a)}); quote it`);
  }
  if (query === undefined) throw new UsageError(`which settings? ${USAGE}`);
  return { config: { ...configOfQuery(query), backend }, steps, backend, json, save };
}


/** JSON has no NaN or Infinity: a diverged step prints null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

async function main(argv: string[]): Promise<number> {
  const args = parsedOrExit('train', USAGE, argv, parse);
  if (typeof args === 'number') return args;
  let run: HeadlessRun;
  try {
    run = await HeadlessRun.start(args.config, NODE_DEPS);
  } catch (e) {
    process.stderr.write(`train: ${(e as Error).message}\n`);
    return 2;
  }
  let done = 0;
  while (done < args.steps && (await run.step())) done++;
  const frames = run.frames();
  const losses = frames.flatMap((f) => Array.from(f.losses));
  const metrics = frames.flatMap((f) => Array.from(f.metrics));
  if (args.json) process.stdout.write(`${JSON.stringify({ losses: losses.map(finite), metrics: metrics.map(finite) })}\n`);
  else {
    process.stdout.write(`# ${run.task.name}, ${run.model.cell} H = ${run.model.hiddenSize}, ${run.backend}; metric: ${run.task.metric.name}\n# step\tloss\tmetric\n`);
    losses.forEach((l, i) => process.stdout.write(`${i + 1}\t${l}\t${metrics[i]}\n`));
  }
  if (run.diverged()) process.stderr.write(`train: the run diverged at step ${losses.length}; it stopped there\n`);
  if (args.save) {
    const { weights } = await run.readWeights();
    writeFileSync(args.save, `${JSON.stringify(saveAnyModel(modelOf(weights.spec, unpackParams(weights.spec, weights.params))))}\n`);
  }
  return run.diverged() ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`train: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
