/**
 * The backend test table (./table.ts) for every registry backend that runs in Node (reference,
 * wasm); the browser harness runs the same table for the GPU backends (e2e/backends.spec.ts).
 * A skipped entry says why in its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BACKENDS } from '../../src/kernels/registry';
import type { TrainingBackend } from '../../src/kernels/types';
import { caseFiles, readJson } from '../helpers';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { backendTable, runEntry, skipReason, type Subject } from './table';

const TABLE = backendTable(caseFiles().map(readJson));

for (const name of BACKEND_NAMES.filter((n) => BACKENDS[n].runsInNode)) {
  const subject: Subject = { name, precision: BACKENDS[name].precision, isSoftware: false, where: 'node' };

  describe(`${name} (${subject.precision})`, () => {
    let backend: TrainingBackend;
    let reference: TrainingBackend;
    beforeAll(async () => {
      if (name === 'wasm') ensureWasmBuilt();
      backend = await BACKENDS[name].create();
      reference = await BACKENDS.reference.create();
    });
    afterAll(() => {
      backend?.dispose();
      reference?.dispose();
    });

    for (const entry of TABLE) {
      const why = skipReason(entry, subject);
      if (why) {
        it.skip(`${entry.id} — ${why}`, () => {});
        continue;
      }
      it(entry.id, async () => {
        const outcome = await runEntry(entry, backend, reference, subject);
        expect(outcome.detail).toBe('');
        expect(outcome.status).toBe('pass');
      });
    }
  });
}
