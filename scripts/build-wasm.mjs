#!/usr/bin/env node
/**
 * Builds the wasm backend's kernels: AssemblyScript (src/kernels/wasm/assembly/) → two binaries in
 * src/kernels/wasm/build/ (gitignored), from the same source:
 *   rnn.wasm     WebAssembly SIMD, its own memory: one thread
 *   rnn-mt.wasm  the same with threads: it imports a shared memory (env.memory, at most 2 GiB),
 *                so that a helper thread's instance computes half of each large product in it
 *                (src/kernels/wasm/threads.ts); needs a cross-origin isolated page
 * Runs from `npm install` / `npm ci` (the `prepare` script), before `npm run build`, and from the
 * wasm tests when a binary is missing or stale.
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
/** The threaded build's memory: 1 MiB to start (its static data is ~0.6 MiB), at most 2 GiB. */
const MT_INITIAL_PAGES = 16;
const MT_MAXIMUM_PAGES = 32768;
const VARIANTS = [
  { file: 'rnn.wasm', flags: [] },
  {
    file: 'rnn-mt.wasm',
    flags: ['--enable', 'threads', '--importMemory', '--sharedMemory', '--zeroFilledMemory', '--initialMemory', String(MT_INITIAL_PAGES), '--maximumMemory', String(MT_MAXIMUM_PAGES)],
  },
];
const args = new Set(process.argv.slice(2));

function newestSource() {
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).map((f) => join(sourceDir, f));
  files.push(fileURLToPath(import.meta.url));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

const fresh = (file) => existsSync(join(outDir, file)) && statSync(join(outDir, file)).mtimeMs >= newestSource();
if (args.has('--if-stale') && VARIANTS.every((v) => fresh(v.file))) process.exit(0);

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

mkdirSync(outDir, { recursive: true });
for (const { file, flags } of VARIANTS) {
  const options = [
    join(sourceDir, 'index.ts'),
    '--outFile', file,
    ...(args.has('--wat') ? ['--textFile', file.replace(/\.wasm$/, '.wat')] : []),
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--converge',
    '--noAssert',
    '--runtime', 'stub', // no GC, no allocator: the orchestrator lays out memory itself
    '--enable', 'simd',
    '--use', 'abort=', // no imports but the threaded build's memory: the module needs nothing from its host
    ...flags,
  ];
  const outputs = new Map();
  const { error } = await asc.main(options, {
    stdout: process.stdout,
    stderr: process.stderr,
    writeFile(name, contents) {
      outputs.set(name.split(/[\\/]/).pop(), contents);
    },
  });
  if (error || !outputs.has(file)) {
    console.error(`build-wasm: ${file}: ${error?.message ?? 'no binary was produced'}`);
    process.exit(1);
  }
  for (const [name, contents] of outputs) {
    // Write beside, then rename: test workers that start together never read half a file.
    const tmp = join(outDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, contents);
    renameSync(tmp, join(outDir, name));
  }
  console.log(`build-wasm: src/kernels/wasm/build/${file} (${outputs.get(file).length} bytes)`);
}
