/**
 * How the two threads divide a job (src/kernels/wasm/shares.ts): parts follow the measured speeds,
 * stay whole register blocks, and never leave either thread without a part. (That any such cut
 * gives the same numbers as one thread is wasm-threads.test.ts's to show.)
 */
import { describe, expect, it } from 'vitest';
import { FixedShares, Shares } from '../../src/kernels/wasm/shares';

describe('Shares', () => {
  it('cuts even until it has measured anything', () => {
    const s = new Shares();
    expect(s.ownPart(32, 4)).toBe(16);
    expect(s.ownPart(256, 8)).toBe(128);
  });

  it('moves toward the split that makes both parts finish together, and settles there', () => {
    // the helper runs at 29/52 of the trainer's speed (the two virtual cores measured here)
    const s = new Shares();
    const helperSpeed = 29 / 52;
    const settled = helperSpeed / (1 + helperSpeed); // ≈ 0.358 of the work
    let last = s.helper;
    for (let i = 0; i < 40; i++) {
      const own = s.ownPart(32, 4);
      s.observe(own, own / 1, 32 - own, (32 - own) / helperSpeed); // trainer 1 row per ms
      if (i < 3) expect(s.helper).toBeLessThan(last); // each job moves it the right way at first
      last = s.helper;
    }
    expect(Math.abs(s.helper - settled)).toBeLessThan(0.05);
    // 32 rows in blocks of 4: 20 for the trainer, 12 for the helper, the nearest to 64 % / 36 %
    expect(s.ownPart(32, 4)).toBe(20);
    // the trainer's part then takes 20 ms and the helper's 12 / (29/52) = 21.5 ms, against 28.7 ms at 16 + 16
    expect(Math.max(20, 12 / helperSpeed)).toBeLessThan(16 / helperSpeed);
  });

  it('follows a helper that becomes the faster one', () => {
    const s = new Shares();
    for (let i = 0; i < 30; i++) s.observe(16, 32, 16, 16); // the helper twice as fast
    expect(s.helper).toBeCloseTo(2 / 3, 2);
    expect(s.ownPart(1024, 4)).toBe(4 * Math.round(1024 / 3 / 4));
  });

  it('keeps at least one block for the trainer and one unit for the helper, however lopsided', () => {
    const slow = new Shares();
    for (let i = 0; i < 50; i++) slow.observe(16, 1, 16, 1000);
    expect(slow.helper).toBe(0.05);
    expect(slow.ownPart(32, 4)).toBe(28); // 4 rows left to the helper: it keeps being measured
    expect(slow.ownPart(9, 4)).toBe(8); // the ragged end goes to the helper
    const fast = new Shares();
    for (let i = 0; i < 50; i++) fast.observe(16, 1000, 16, 1);
    expect(fast.ownPart(32, 4)).toBe(4);
    expect(fast.ownPart(16, 8)).toBe(8);
  });

  it('parts are whole blocks from the start, and the helper gets the rest', () => {
    for (const helper of [0.05, 0.2, 0.37, 0.5, 0.63, 0.95]) {
      const s = new FixedShares(helper);
      for (const [units, block] of [[8, 4], [13, 4], [30, 4], [100, 8], [256, 8], [1601, 4]]) {
        const own = s.ownPart(units, block);
        expect(own % block).toBe(0);
        expect(own).toBeGreaterThanOrEqual(block);
        expect(units - own).toBeGreaterThanOrEqual(1);
        expect(Math.abs(own - (1 - helper) * units)).toBeLessThanOrEqual(block); // near its share
      }
    }
  });

  it('ignores parts too short to time, and FixedShares never moves', () => {
    const s = new Shares();
    s.observe(16, 0.01, 16, 0.02);
    s.observe(0, 5, 16, 5);
    expect(s.helper).toBe(0.5);
    const fixed = new FixedShares(0.25);
    fixed.observe(16, 1, 16, 100);
    expect(fixed.helper).toBe(0.25);
  });
});
