/**
 * The command-line door to the engine:
 *   npm run --silent engine -- CASE.json      (or `-` to read the case from standard input)
 * reads a case in the `rnn-playground/case@1` format and prints one JSON object with the keys of
 * the case's `expected` block that the engine computes (all of them when it has none), so anyone
 * can check the playground's numbers against their own PyTorch. Bad input: a message on stderr and
 * exit code 1 (2 for a usage error), never a stack trace.
 *
 * JSON has no Infinity or NaN, so those print as null: a Jacobian-product norm past double's range
 * prints as 0 (below) or null (above), and `jacobianProductLogNorms` (ask for it in `expected`, or
 * leave `expected` out) holds its natural log, finite either way.
 */
import { readFileSync } from 'node:fs';
import { CaseError, parseCase, runCase } from '../src/engine/referenceCase.ts';
import { ModelFileError } from '../src/engine/modelFile.ts';

const USAGE = 'usage: npm run --silent engine -- CASE.json   (a case in the rnn-playground/case@1 format; - reads stdin)';

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--');
  if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') {
    process.stderr.write(`${USAGE}\n`);
    return args[0] === '-h' || args[0] === '--help' ? 0 : 2;
  }
  const path = args[0];
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
    const c = parseCase(json);
    const result = runCase(c);
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

process.exitCode = main(process.argv.slice(2));
