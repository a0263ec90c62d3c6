/**
 * The backend test table (./table.ts) for every registry backend that runs in Node (reference,
 * wasm), and for the gpu.js backend's kernel sources run on the CPU (./gpujs-cpu.ts); the browser
 * harness runs the same table for the GPU backends (e2e/backends.spec.ts). A skipped entry says
 * why in its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BACKENDS } from '../../src/kernels/registry';
import type { TrainingBackend } from '../../src/kernels/types';
import { caseFiles, readJson } from '../helpers';
import { gpuJsBackendOn } from '../../src/kernels/gpujs';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { cpuContext } from './gpujs-cpu';
import { backendTable, runEntry, skipReason, type Subject } from './table';

const TABLE = backendTable(caseFiles().map(readJson));

const SUBJECTS: { subject: Subject; create(): Promise<TrainingBackend> }[] = [
  ...BACKEND_NAMES.filter((n) => BACKENDS[n].runsInNode).map((name) => ({
    subject: { name, precision: BACKENDS[name].precision, isSoftware: false, where: 'node' as const },
    create: () => BACKENDS[name].create(),
  })),
  // every product through the shader source (0: no product is too small to send to the GPU)
  { subject: { name: 'gpujs sources on the CPU', precision: 'float32', isSoftware: false, where: 'node' }, create: async () => gpuJsBackendOn(cpuContext(), 0) },
];

for (const { subject, create } of SUBJECTS) {
  const { name } = subject;

  describe(`${name} (${subject.precision})`, () => {
    let backend: TrainingBackend;
    let reference: TrainingBackend;
    beforeAll(async () => {
      if (name === 'wasm') ensureWasmBuilt();
      backend = await create();
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
