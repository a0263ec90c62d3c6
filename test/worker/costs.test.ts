/**
 * The trade-offs measurement (src/worker/costs.ts): every kind at every T, each timing a real
 * positive number (never compared: speed is the benchmark's business), the memory per generated
 * step in closed form, a budget that bounds it, and a backend that lacks a kind skipping it in words.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/kernels/reference/arena';
import { createWasmBackend } from '../../src/kernels/wasm';
import { pathBackend } from '../../src/train/backend';
import { COST_KINDS, COST_LENGTHS, measureCosts, SCAN_KINDS } from '../../src/worker/costs';
import { createReferenceBackend } from '../../src/kernels/reference';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { Page } from './harness';

const shape = { B: 2, H: 6, N: 4, heads: 2 };
const now = () => performance.now();

describe('cost against sequence length', () => {
  it('times every kind at every T, with the memory per generated step in closed form', async () => {
    ensureWasmBuilt();
    const report = await measureCosts(async (name) => (name === 'wasm' ? createWasmBackend() : createReferenceBackend()), 'wasm', shape, now, 60_000);
    expect(report.skipped).toEqual([]);
    const first = report.rows;
    expect(first.every((r) => r.backend === 'wasm')).toBe(true);
    expect(first.map((r) => `${r.cell}@${r.T}`)).toEqual(COST_LENGTHS.flatMap((T) => COST_KINDS.map((cell) => `${cell}@${T}`)));
    expect(first.every((r) => r.scan === 'loop' && r.B === shape.B)).toBe(true);
    // wasm runs loops only: loop and scan are compared on the reference, every recurrent kind at every T.
    expect(report.scanBackend).toBe('reference');
    const compared = report.scanRows;
    expect(compared.every((r) => r.backend === 'reference' && r.B === 4)).toBe(true);
    expect(compared.map((r) => `${r.cell}@${r.T}:${r.scan}`)).toEqual(COST_LENGTHS.flatMap((T) => SCAN_KINDS.flatMap((cell) => [`${cell}@${T}:loop`, `${cell}@${T}:parallel`])));
    expect(SCAN_KINDS).toEqual(['lru', 'mamba', 'rwkv', 'mingru']);
    for (const r of [...report.rows, ...report.scanRows]) expect(r.msPerStep > 0 && Number.isFinite(r.msPerStep)).toBe(true);
    const { H, N } = shape;
    const expected = { rnn: () => H, lstm: () => 2 * H, gru: () => H, lru: () => 2 * N, mamba: () => H * N, rwkv: () => 2 * H, mingru: () => H, attention: (T: number) => 2 * H * T };
    for (const r of report.rows) expect(r.stateFloats, `${r.cell} at ${r.T}`).toBe(expected[r.cell](r.T));
  });

  it('stops at its budget and says what it skipped; a backend without a kind says why', async () => {
    const none = await measureCosts(async (name) => (name === 'wasm' ? createWasmBackend() : createReferenceBackend()), 'wasm', shape, now, -1);
    expect(none.rows).toEqual([]);
    expect(none.skipped).toContain('lru at T = 16: past the -0.001 s budget');
    expect(none.skipped).toContain('attention at T = 256: past the -0.001 s budget');
    expect(none.skipped).toContain('mamba by scan on reference at T = 256: past the -0.001 s budget');
    const noMixers = async () => pathBackend({ ...jsKernels((n) => new Float64Array(n)), mixers: undefined }, { name: 'webgpu', description: 'no mixers', isSoftware: false });
    const rnnOnly = await measureCosts(noMixers, 'webgpu', { ...shape, B: 1 }, now, 60_000);
    expect(rnnOnly.skipped.filter((s) => s.includes('does not train'))).toHaveLength(5);
    expect(new Set(rnnOnly.rows.map((r) => r.cell))).toEqual(new Set(['rnn', 'lstm', 'gru']));
    expect(rnnOnly.skipped).toContain('loop against scan: webgpu runs lru, mamba, rwkv, mingru only as a loop');
  });

  it('the worker pauses, measures on its own backend, and answers the request', async () => {
    const page = new Page();
    await page.configure({ task: 'echo', length: 6, lag: 1, symbols: 3, hiddenSize: 4, batchSize: 2, backend: 'reference' });
    await page.trainer.handle({ type: 'play' });
    await page.trainer.handle({ type: 'measureCosts', requestId: 7 });
    const answer = page.messages.find((m) => m.type === 'costs');
    expect(answer?.type === 'costs' && answer.requestId).toBe(7);
    expect(answer?.type === 'costs' && answer.report).toMatchObject({ backend: 'reference', B: 2, H: 4 });
    expect(page.messages.filter((m) => m.type === 'status').at(-1)).toMatchObject({ playing: false });
  });
});
