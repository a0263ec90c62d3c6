/**
 * What the terminal commands (`npm run lesson`, `npm run train`) hand the worker's Trainer in
 * Node: the backends that run outside a browser, from the one registry, and the shipped corpus;
 * and the reading of a link query that `train` and `export-pytorch` share.
 */
import { readFileSync } from 'node:fs';
import { BACKEND_NAMES, BACKENDS, isBackendName } from '../src/kernels/registry.ts';
import type { BackendName } from '../src/kernels/types.ts';
import { decodeUrl } from '../src/store/urlState.ts';
import type { HeadlessDeps } from '../src/worker/headless.ts';
import type { PlaygroundConfig } from '../src/worker/config.ts';

/** The backends that run in Node. */
export const IN_NODE = BACKEND_NAMES.filter((n) => BACKENDS[n].runsInNode);

export const NODE_DEPS: HeadlessDeps = {
  createBackend: async (name) => {
    if (!BACKENDS[name].runsInNode) throw new Error(`${name} does not run in Node`);
    return BACKENDS[name].create();
  },
  loadDefaultText: async () => readFileSync(new URL('../public/text/kjv-genesis.txt', import.meta.url), 'utf8'),
};

/** The value of a `--backend` flag: one that runs in Node, or an error naming them. */
export function nodeBackend(b: string | undefined): BackendName {
  if (b === undefined || !isBackendName(b) || !BACKENDS[b].runsInNode) throw new Error(`--backend must be one of ${IN_NODE.join(', ')}, got ${JSON.stringify(b ?? '')}`);
  return b;
}

/**
 * A command's arguments, or its exit code: `--help` prints the usage (0); arguments `parse`
 * refuses give one line on stderr, `NAME: why` (2).
 */
export function parsedOrExit<A>(name: string, usage: string, argv: string[], parse: (argv: string[]) => A): A | number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return parse(argv);
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    return 2;
  }
}

/** Wrong arguments: the command prints the message in one line and exits 2. */
export class UsageError extends Error {}

/** The page's notice as a refusal: it names the key and the accepted range, not the fallback. */
const refusal = (notice: string): string =>
  notice
    .replace(/; using [^;]*\.$/, '.')
    .replace(/ was ignored(?: and the defaults are used)?\.$/, '.')
    .replace(/; the first value is used\.$/, '.');

/** The settings of a query or a whole link; any refused key is an error here, not a fallback. */
export function configOfQuery(text: string): PlaygroundConfig {
  const q = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
  const decoded = decodeUrl(q.split('#')[0]);
  if (decoded.lesson) throw new UsageError('a lesson link trains several runs; use `npm run lesson` for it');
  // The page falls back to a default and says so; a command must not train something else.
  if (decoded.problems.length) throw new UsageError(refusal(decoded.problems[0]));
  return decoded.config;
}
