/** Shared by the wasm backend's tests: builds build/rnn.wasm when it is missing or older than its sources. */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function ensureWasmBuilt(): void {
  execFileSync(process.execPath, [resolve(root, 'scripts/build-wasm.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
}
