/**
 * The experiment as a PyTorch script:
 *   npm run --silent export-pytorch -- 'QUERY' > experiment.py
 * QUERY is the playground's link query (or a whole link), read as `npm run train` reads it. The
 * script (src/export/pytorch) trains the same run in PyTorch: `python3 experiment.py --help`.
 * Bad input: one line on stderr naming what was wrong, and exit 2.
 */
import { configOfQuery, NODE_DEPS, parsedOrExit, UsageError } from './node-deps.ts';
import { pytorchScript } from '../src/export/pytorch/index.ts';
import type { PlaygroundConfig } from '../src/worker/config.ts';

const USAGE = "usage: npm run --silent export-pytorch -- 'QUERY' > experiment.py";

function parse(argv: string[]): { config: PlaygroundConfig; query: string } {
  const args = argv.filter((a) => a !== '--');
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown} (the script's own flags, --steps, --dtype, --device, --json, --save, are given to python3 experiment.py)`);
  if (args.length === 0) throw new UsageError(`which settings? ${USAGE}`);
  if (args.length > 1) throw new UsageError(`one query at a time (got ${args.length}); quote it`);
  const query = args[0].includes('?') ? args[0].slice(args[0].indexOf('?') + 1) : args[0];
  const config = configOfQuery(args[0]);
  if (config.task === 'seq2seq') throw new UsageError('task=seq2seq trains an encoder–decoder, which the PyTorch export does not cover yet');
  return { config, query };
}

async function main(argv: string[]): Promise<number> {
  const args = parsedOrExit('export-pytorch', USAGE, argv, parse);
  if (typeof args === 'number') return args;
  const text = args.config.task === 'char_lm' ? await NODE_DEPS.loadDefaultText() : '';
  try {
    process.stdout.write(await pytorchScript({ config: args.config, query: args.query, text }));
  } catch (e) {
    process.stderr.write(`export-pytorch: ${(e as Error).message}\n`);
    return 2;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`export-pytorch: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
