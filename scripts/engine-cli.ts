/**
 * The command-line door to the engine:
 *   npm run --silent engine -- [--backend NAME] CASE.json      (or `-` to read the case from stdin)
 * reads a case in the `rnn-playground/case@1` format and prints one JSON object with the keys of
 * the case's `expected` block that the engine computes (all of them when it has none), so anyone
 * can check the playground's numbers against their own PyTorch. With `--backend` a training backend
 * of the registry that runs in Node (reference, wasm) computes them instead: the keys of one
 * forward/backward pass and of the training steps, not the analysis keys, which are the engine's.
 * A successor case (cell lru, mamba, rwkv, mingru or attention) runs the same way: on the float64
 * engine, or under `--backend` on the backend's training path where its kernels have that kind's
 * mixer (the reference backend has them all); a backend without says so (exit 1).
 * Bad input: a message on stderr and exit code 1 (2 for a usage error), never a stack trace.
 *
 * JSON has no Infinity or NaN, so those print as null: a Jacobian-product norm past double's range
 * prints as 0 (below) or null (above), and `jacobianProductLogNorms` (ask for it in `expected`, or
 * leave `expected` out) holds its natural log, finite either way.
 */
import { readFileSync } from 'node:fs';
import { CaseError, parseAnyCase, runAnyCase, type ReferenceCase, type SuccessorCase } from '../src/engine/referenceCase.ts';
import { ModelFileError } from '../src/engine/modelFile.ts';
import { BACKEND_NAMES, BACKENDS, isBackendName } from '../src/kernels/registry.ts';
import { runCaseOnBackend } from '../src/kernels/runCase.ts';
import type { BackendName } from '../src/kernels/types.ts';

const IN_NODE = BACKEND_NAMES.filter((n) => BACKENDS[n].runsInNode);
const USAGE = `usage: npm run --silent engine -- [--backend ${IN_NODE.join('|')}] CASE.json   (a case in the rnn-playground/case@1 format; - reads stdin)`;

class UsageError extends Error {}

/** The case path and the backend, if one is asked for. */
function parseArgs(argv: string[]): { path: string; backend: BackendName | null } {
  let path: string | null = null;
  let backend: BackendName | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue;
    if (a === '--backend' || a.startsWith('--backend=')) {
      const name = a === '--backend' ? argv[++i] : a.slice('--backend='.length);
      if (name === undefined || !isBackendName(name)) throw new UsageError(`--backend must be one of ${IN_NODE.join(', ')}, got ${JSON.stringify(name ?? '')}`);
      if (!BACKENDS[name].runsInNode) throw new UsageError(`the ${name} backend runs only in a browser; in Node: ${IN_NODE.join(', ')}`);
      backend = name;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}; ${USAGE}`);
    else if (path === null) path = a;
    else throw new UsageError(`one case at a time (got ${path} and ${a}); ${USAGE}`);
  }
  if (path === null) throw new UsageError(USAGE);
  return { path, backend };
}

/** The case's keys as one backend computes them, in the layouts of `expected`; a backend whose
 *  kernels lack the case's kind says so. */
async function runOnBackend(c: ReferenceCase | SuccessorCase, name: BackendName): Promise<Record<string, unknown>> {
  const backend = await BACKENDS[name].create().catch((e: unknown) => {
    throw new CaseError(`the ${name} backend did not start: ${e instanceof Error ? e.message : String(e)}`);
  });
  try {
    return await runCaseOnBackend(c, backend);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/does not train/.test(message)) throw new CaseError(`${message}; run without --backend for the float64 engine`);
    throw e;
  } finally {
    backend.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  let path: string;
  let backendName: BackendName | null;
  try {
    ({ path, backend: backendName } = parseArgs(argv));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`engine: ${e.message}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    process.stderr.write(`engine: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 1;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`engine: ${path} is not valid JSON (${(e as Error).message})\n`);
    return 1;
  }
  try {
    const c = parseAnyCase(json);
    const result = backendName ? await runOnBackend(c, backendName) : runAnyCase(c);
    const keys = c.expectedKeys.length ? c.expectedKeys.filter((k) => k in result) : Object.keys(result);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = result[k];
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CaseError || e instanceof ModelFileError) {
      process.stderr.write(`engine: ${path}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`engine: internal error on ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
