/**
 * A lesson from a terminal:
 *   npm run --silent lesson -- ID [--seed S] [--steps N] [--backend wasm|reference]
 * trains each of the lesson's runs in Node through the worker's Trainer (src/lessons/runner.ts),
 * for the lesson's own step count unless --steps says otherwise, and prints one JSON object: each
 * run's figures and whether each of the lesson's claims holds. Bad input: one line on stderr and a
 * non-zero exit (2 for a usage error), never a stack trace.
 */
import { LESSONS, lessonById } from '../src/lessons/lessons.ts';
import { reportJson, runLesson } from '../src/lessons/runner.ts';
import type { BackendName } from '../src/kernels/types.ts';
import { IN_NODE, NODE_DEPS, nodeBackend, parsedOrExit } from './node-deps.ts';

const USAGE = `usage: npm run --silent lesson -- ID [--seed S] [--steps N] [--backend ${IN_NODE.join('|')}]`;
/** The largest seed a link accepts (src/store/urlState.ts). */
const MAX_SEED = 2 ** 31 - 1;
const MAX_STEPS = 1_000_000;

class UsageError extends Error {}

interface Args {
  id: string;
  seed: number;
  steps: number | undefined;
  backend: BackendName;
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${text}`);
  return n;
}

function parse(argv: string[]): Args {
  const args = argv.filter((a) => a !== '--');
  let id: string | undefined;
  let seed = 1;
  let steps: number | undefined;
  let backend: BackendName = 'wasm';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--seed') seed = integer('--seed', args[++i], 0, MAX_SEED);
    else if (a === '--steps') steps = integer('--steps', args[++i], 0, MAX_STEPS);
    else if (a === '--backend') backend = nodeBackend(args[++i]);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (id === undefined) id = a;
    else throw new UsageError(`one lesson at a time (got ${id} and ${a})`);
  }
  if (id === undefined) throw new UsageError(`which lesson? ${USAGE}`);
  if (!lessonById(id)) throw new UsageError(`no lesson "${id}"; the lessons are ${LESSONS.map((l) => l.id).join(', ')}`);
  return { id, seed, steps, backend };
}

async function main(argv: string[]): Promise<number> {
  const args = parsedOrExit('lesson', USAGE, argv, parse);
  if (typeof args === 'number') return args;
  try {
    const report = await runLesson(lessonById(args.id)!, { seed: args.seed, steps: args.steps, backend: args.backend }, NODE_DEPS);
    process.stdout.write(`${JSON.stringify(reportJson(report))}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`lesson: ${args.id}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
