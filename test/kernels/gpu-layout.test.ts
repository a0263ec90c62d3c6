/**
 * The WebGPU backend's pure helpers, in Node (no GPU here: the browser table, e2e/backends.spec.ts,
 * compiles and runs the kernels): the Params struct every kernel binds, the 1-D workgroup grid,
 * and when a product takes the tiled gemm.
 */
import { describe, expect, it } from 'vitest';
import { grid, paramsStruct, PARAMS_SCALARS, sourceOf, u32s, WORKGROUP } from '../../src/kernels/webgpu/program';
import { worthTiles } from '../../src/kernels/webgpu/kernels/gemm';

describe('webgpu Params', () => {
  it('pads every struct to the same 16 scalars, in field order', () => {
    const s = paramsStruct([...u32s('M', 'N'), ['lr', 'f32']]);
    expect(s).toMatch(/^struct Params \{ M: u32, N: u32, lr: f32, _pad0: u32,/);
    expect(s.match(/: (u32|f32),/g)).toHaveLength(PARAMS_SCALARS);
  });

  it('refuses more fields than a block holds', () => {
    expect(() => paramsStruct(u32s(...Array.from({ length: PARAMS_SCALARS + 1 }, (_, i) => `f${i}`)))).toThrow(/at most/);
  });

  it('binds the arena, the parameters and the slots in every source', () => {
    const src = sourceOf({ name: 'k', fields: u32s('n'), body: '' });
    expect(src).toContain('@binding(0) var<storage, read_write> arena');
    expect(src).toContain('@binding(1) var<uniform> u: Params');
    expect(src).toContain('@binding(2) var<storage, read_write> slots');
  });
});

describe('webgpu grid', () => {
  it('covers every thread, spreading over y past 65 535 workgroups', () => {
    for (const threads of [1, WORKGROUP, WORKGROUP + 1, 65535 * WORKGROUP, 65535 * WORKGROUP + 1, 1e8]) {
      const [x, y] = grid(threads);
      expect(x).toBeLessThanOrEqual(65535);
      expect(y).toBeLessThanOrEqual(65535);
      expect(x * y * WORKGROUP).toBeGreaterThanOrEqual(threads);
    }
    expect(grid(0)).toEqual([1, 1]);
  });
});

describe('webgpu gemm choice', () => {
  it('tiles the (T·B)-row products and leaves the per-step ones to one thread per element', () => {
    expect(worthTiles(50 * 32, 4 * 64, 8)).toBe(true); // W_ih x for all steps, LSTM H = 64
    expect(worthTiles(4 * 64, 64, 50 * 32)).toBe(true); // ∂W_hh over T·B rows
    expect(worthTiles(32, 32, 32)).toBe(false); // W_hh h_{t−1}, RNN H = 32
    expect(worthTiles(50 * 32, 8, 64)).toBe(false); // too few columns to fill a tile
  });
});
