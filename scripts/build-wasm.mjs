#!/usr/bin/env node
/**
 * Builds the wasm backend's kernels: AssemblyScript (src/kernels/wasm/assembly/) → 
 * src/kernels/wasm/build/rnn.wasm (gitignored). Runs from `npm install` / `npm ci` (the `prepare`
 * script), before `npm run build`, and from the wasm tests when the binary is missing or stale.
 *
 *   node scripts/build-wasm.mjs            build
 *   node scripts/build-wasm.mjs --if-stale build only when a source is newer than the binary
 *   node scripts/build-wasm.mjs --wat      also write rnn.wat beside it (to read the code)
 *   node scripts/build-wasm.mjs --prepare  as `npm install` runs it: without AssemblyScript
 *                                          (npm ci --omit=dev) warn and exit 0 instead of failing
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src/kernels/wasm/assembly');
const outDir = join(root, 'src/kernels/wasm/build');
const outFile = join(outDir, 'rnn.wasm');
const args = new Set(process.argv.slice(2));

function newestSource() {
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).map((f) => join(sourceDir, f));
  files.push(fileURLToPath(import.meta.url));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

if (args.has('--if-stale') && existsSync(outFile) && statSync(outFile).mtimeMs >= newestSource()) process.exit(0);

let asc;
try {
  asc = (await import('assemblyscript/asc')).default;
} catch (err) {
  if (args.has('--prepare')) {
    console.warn(`build-wasm: AssemblyScript is not installed (${err.code ?? err.message}); the wasm backend stays unbuilt.`);
    process.exit(0);
  }
  throw err;
}

const options = [
  join(sourceDir, 'index.ts'),
  '--outFile', 'rnn.wasm',
  ...(args.has('--wat') ? ['--textFile', 'rnn.wat'] : []),
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--converge',
  '--noAssert',
  '--runtime', 'stub', // no GC, no allocator: the orchestrator lays out memory itself
  '--enable', 'simd',
  '--use', 'abort=', // no imports at all: the module needs nothing from its host
];
const outputs = new Map();
const { error } = await asc.main(options, {
  stdout: process.stdout,
  stderr: process.stderr,
  writeFile(name, contents) {
    outputs.set(name.split(/[\\/]/).pop(), contents);
  },
});
if (error || !outputs.has('rnn.wasm')) {
  console.error(`build-wasm: ${error?.message ?? 'no binary was produced'}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const [name, contents] of outputs) {
  // Write beside, then rename: test workers that start together never read half a file.
  const tmp = join(outDir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, contents);
  renameSync(tmp, join(outDir, name));
}
console.log(`build-wasm: ${outFile.slice(root.length + 1)} (${outputs.get('rnn.wasm').length} bytes)`);
