/**
 * The gradient-flow analysis in the app's worker runs on the WebAssembly dense kernels (the same
 * numbers as the TypeScript reference, bit for bit: test/analysis-wasm.test.ts runs the same binary
 * in Node), not silently on the slower reference: the worker loads them at start, and every analysis
 * after that says which kernels computed it. No time is asserted (tests never depend on speed);
 * the parts are only checked to be reported.
 */
import { test, expect } from '@playwright/test';

type Handle = { rnnPlayground: { analysisCost(): { kernels: string; timings: Record<string, number> } | null } };

test('the worker computes the analysis on WebAssembly, and reports each part it timed', async ({ page }) => {
  await page.goto('/?cell=lstm&h=64&backend=reference');
  await page.getByRole('button', { name: 'Play' }).click();
  const cost = () => page.evaluate(() => (window as unknown as Handle).rnnPlayground.analysisCost());
  await expect.poll(async () => (await cost())?.kernels, { timeout: 60_000 }).toBe('WebAssembly SIMD, float64 (J_t products float32)');
  const { timings } = (await cost())!;
  expect(Object.keys(timings).sort()).toEqual(['finalLossGradNorms', 'jacobians', 'lyapunov', 'productNorms', 'singularValues', 'weights']);
  for (const ms of Object.values(timings)) expect(Number.isFinite(ms) && ms >= 0).toBe(true);
  await page.getByRole('button', { name: 'Pause' }).click();
});
