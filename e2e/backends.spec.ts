/**
 * The backend test table (test/backends/table.ts) for the GPU backends, in a real browser worker
 * (headless Chromium: WebGPU and WebGL2 on SwiftShader), through the harness page: the same
 * entries, runner, tolerances and skips as Vitest runs in Node for reference and wasm. One test per
 * backend and kind of entry, so a slow kind has its own time limit and a failure names its kind.
 * The table's models are small, so every product is sent to the device (everyProductOnDevice), or
 * gpu.js would keep them all in JavaScript. The successor blocks on webgpu: the PyTorch successor
 * cases on every key (training steps included) and random two-layer models per kind against the
 * reference (small, wide, long, and RWKV and attention with exponents past float32's range), at 1e-3,
 * and a step with a NaN, huge or subnormal weight that reports whether it applied, for every kind
 * its kernels list; the others refused in words. Besides the table: gpu.js as the app makes it,
 * wasm in the built page, each on the PyTorch cases, and gpu.js reporting a lost WebGL2 context.
 */
import { test, expect, type Page } from '@playwright/test';
import { caseFiles, readJson } from '../test/helpers';
import { ENTRY_KINDS, type EntryKind, type Outcome } from '../test/backends/table';
import type { HarnessApi, HarnessRequest, HarnessResult } from '../src/harness/protocol';
import { WEBGPU_MIXER_KINDS } from '../src/kernels/webgpu/mixers';
import { successorCaseFiles } from '../test/successors/helpers';

const CASES = caseFiles().map((f) => readJson(f));
const SUCCESSOR_CASES = successorCaseFiles().map((f) => readJson(f));

async function harness(page: Page, request: HarnessRequest): Promise<HarnessResult> {
  if (!page.url().endsWith('/harness.html')) await page.goto('/harness.html');
  await page.waitForFunction(() => (window as unknown as { harness?: HarnessApi }).harness?.ready === true);
  const result = await page.evaluate((req) => (window as unknown as { harness: HarnessApi }).harness.run(req), request);
  expect(result.error, result.error).toBeUndefined();
  return result;
}

/** Counts, the worst error, the time and each skip reason once, for the log. */
function summary(backend: string, kind: EntryKind, result: HarnessResult): string {
  const by = (status: Outcome['status']) => result.outcomes.filter((o) => o.status === status);
  const worst = Math.max(0, ...result.outcomes.map((o) => o.worst));
  const ms = result.outcomes.reduce((s, o) => s + o.ms, 0);
  const reasons = [...new Set(by('skip').map((o) => o.detail))].map((r) => `\n  skipped ${by('skip').filter((o) => o.detail === r).length}: ${r}`);
  return `${backend} (${result.backend?.description}) ${kind}: ${by('pass').length} passed, ${by('fail').length} failed, ${by('skip').length} skipped; max relative error ${worst.toExponential(2)}; ${(ms / 1000).toFixed(1)} s${reasons.join('')}`;
}

function expectAllPassed(result: HarnessResult): void {
  const failures = result.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.id}:\n    ${o.detail.replaceAll('\n', '\n    ')}`);
  expect(failures).toEqual([]);
  expect(result.outcomes.some((o) => o.status === 'pass')).toBe(true);
}

test.describe('backend table in the browser', () => {
  test.describe.configure({ timeout: 180_000 });

  for (const backend of ['webgpu', 'gpujs'] as const) {
    for (const kind of ENTRY_KINDS) {
      test(`${backend}: ${kind} entries`, async ({ page }) => {
        const result = await harness(page, { backend, cases: CASES, kinds: [kind], everyProductOnDevice: true });
        expect(result.backend?.name).toBe(backend);
        if (backend === 'webgpu') expect(result.backend?.description).toMatch(/^WebGPU on /);
        if (backend === 'gpujs') expect(result.backend?.kernelClass).toBe('WebGL2Kernel');
        console.log(summary(backend, kind, result));
        expectAllPassed(result);
      });
    }
  }

  test('webgpu: the successor kinds it lists match PyTorch and the reference, the others are refused in words', async ({ page }) => {
    const result = await harness(page, { backend: 'webgpu', cases: [], kinds: [], everyProductOnDevice: true, successors: SUCCESSOR_CASES });
    const outcomes = result.successors ?? [];
    expect(outcomes.length).toBe(SUCCESSOR_CASES.length + 3 * 5 + 2 + 3 * 5);
    for (const o of outcomes) {
      const worst = Object.entries(o.errors).map(([k, e]) => `${k} ${e.toExponential(1)}`).join(', ');
      console.log(`webgpu ${o.id}: ${o.status}${o.status === 'skip' ? ` (${o.detail})` : ''}${worst ? `; ${worst}` : ''}; ${(o.ms / 1000).toFixed(1)} s`);
    }
    const listed = outcomes.filter((o) => WEBGPU_MIXER_KINDS.includes(o.kind));
    expect(listed.filter((o) => o.status !== 'pass').map((o) => `${o.id}: ${o.detail}`)).toEqual([]);
    expect(listed.length).toBeGreaterThan(0);
    for (const o of outcomes.filter((o) => !WEBGPU_MIXER_KINDS.includes(o.kind))) expect(o.detail).toBe(`the webgpu backend does not train ${o.kind} yet`);
  });

  for (const backend of ['gpujs', 'wasm'] as const) {
    test(`${backend} as the app makes it matches the PyTorch cases`, async ({ page }) => {
      const result = await harness(page, { backend, cases: CASES, kinds: ['pytorch'] });
      // vite preview sends the COOP/COEP headers (scripts/isolation.ts); the app trains wasm on two
      // threads where the machine has at least 4 cores, else on one (src/kernels/wasm/index.ts)
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      if (backend === 'wasm') expect(result.backend?.description).toBe(cores >= 4 ? 'WebAssembly SIMD (float32), 2 threads' : 'WebAssembly SIMD (float32)');
      console.log(summary(backend, 'pytorch', result));
      expectAllPassed(result);
    });
  }

  test('wasm on two threads (its helper a worker inside the training worker) starts in the isolated page and matches the PyTorch cases', async ({ page }) => {
    const result = await harness(page, { backend: 'wasm', cases: CASES, kinds: ['pytorch'], threads: 2 });
    expect(await page.evaluate(() => self.crossOriginIsolated), 'vite preview sends COOP/COEP').toBe(true);
    expect(result.backend?.description).toBe('WebAssembly SIMD (float32), 2 threads');
    console.log(summary('wasm, 2 threads', 'pytorch', result));
    expectAllPassed(result);
  });

  test('gpujs reports a lost WebGL2 context through onDeviceLost, and refuses work after it', async ({ page }) => {
    const result = await harness(page, { backend: 'gpujs', cases: [CASES[0]], kinds: [], everyProductOnDevice: true, loseDevice: true });
    expect(result.lost?.reason).toMatch(/lost/);
    expect(result.lost?.afterwards).toMatch(/lost/);
  });
});
