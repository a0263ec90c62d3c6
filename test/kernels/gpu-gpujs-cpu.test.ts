/**
 * The gpu.js backend's kernel sources are plain JavaScript: through a stand-in for the gpu.js
 * context (test/backends/gpujs-cpu.ts) they run on the CPU, and the backend test table checks the
 * whole backend that way in Node (test/backends/backends.test.ts). Here: what the table does not
 * see, that each kernel compiles once. The browser runs the same sources as WebGL2 shaders.
 */
import { describe, expect, it } from 'vitest';
import { gpuJsBackendOn } from '../../src/kernels/gpujs';
import { parseCase } from '../../src/engine/referenceCase';
import { caseFiles, readJson } from '../helpers';
import { cpuContext } from '../backends/gpujs-cpu';

describe('gpu.js kernel sources, run on the CPU', () => {
  it('compiles each kernel once per source and argument kinds', async () => {
    const c = parseCase(readJson(caseFiles()[0]));
    const ctx = cpuContext();
    const backend = gpuJsBackendOn(ctx, 0); // every product through a kernel
    await backend.setModel(c.model);
    await backend.forwardBackward(c.batch, c.opts);
    const first = ctx.compiled;
    await backend.forwardBackward(c.batch, c.opts);
    expect(ctx.compiled).toBe(first);
  });
});
