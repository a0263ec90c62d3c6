/**
 * The GPU backends in a real browser worker (headless Chromium: WebGPU and WebGL2 on SwiftShader).
 *  1. Every reference case: each named array within 1e-3 relative (the README's rule), hiddenGrads
 *     step by step. The file's hiddenGrads of the bidirectional case holds only the direct readout
 *     gradient, so that case's hiddenGrads are compared with the reference backend instead.
 *  2. Features the cases do not cover (learned h0/c0, masks, a given start state and the final
 *     state, stacked bidirectional LSTM, truncation in both directions, linear RNN, a change of
 *     optimizer kind, a NaN step), on small seeded models, against the reference backend.
 *  3. Weights ×200: pre-activations far past where SwiftShader's tanh gives NaN stay finite.
 *  4. gpu.js: a lost WebGL2 context reaches onDeviceLost (WebGPU has no way to lose a device on
 *     purpose; device.destroy() reports "destroyed", which the backend rightly ignores).
 */
import { test, expect, type Page } from '@playwright/test';
import { caseFiles, flatten, readJson, relativeError } from '../test/helpers';
import { paramShapes, type ModelSpec } from '../src/engine/model';
import type { CaseResult, HarnessApi, HarnessExtras, HarnessRequest, HarnessResult } from '../src/harness/protocol';

const TOL = 1e-3;
const BACKENDS = ['webgpu', 'gpujs', 'wasm'] as const;
const CASES = caseFiles().map((f) => readJson(f));
const BIDIRECTIONAL = 'gru_bidirectional_two_layers_cross_entropy';
const CASE_KEYS = ['outputs', 'loss', 'grads', 'gradNorm', 'lossesDuringTraining', 'gradNormsDuringTraining', 'paramsAfter'];
const ALL_KEYS = [...CASE_KEYS, 'gradNormsAfter', 'finalStates'];

async function harness(page: Page, request: HarnessRequest): Promise<HarnessResult> {
  if (!page.url().endsWith('/harness.html')) await page.goto('/harness.html');
  await page.waitForFunction(() => (window as unknown as { harness?: HarnessApi }).harness?.ready === true);
  const result = await page.evaluate((req) => (window as unknown as { harness: HarnessApi }).harness.run(req), request);
  expect(result.error, result.error).toBeUndefined();
  return result;
}

/** Relative error per compared array: key (hiddenGrads[t] step by step) → error. */
function errorsOf(ref: Record<string, unknown>, ours: CaseResult, keys: string[], hiddenRef: number[][][]): Record<string, number> {
  const errs: Record<string, number> = {};
  for (const key of keys) if (key in ref) errs[key] = relativeError((ours as unknown as Record<string, unknown>)[key], ref[key]);
  hiddenRef.forEach((step, t) => (errs[`hiddenGrads[${t}]`] = relativeError(ours.hiddenGrads[t], step)));
  return errs;
}

function collect(failures: string[], name: string, errs: Record<string, number>): number {
  let worst = 0;
  for (const [key, err] of Object.entries(errs)) {
    worst = Math.max(worst, err);
    if (!(err <= TOL)) failures.push(`${name} ${key}: ${err}`);
  }
  return worst;
}

/** A small seeded model and batch in the case format. */
function synthetic(name: string, spec: ModelSpec, B: number, T: number, loss: 'mse' | 'cross_entropy', readout: 'every_step' | 'final_step', truncation: number | null, training: object, seed: number) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const nested = (shape: number[], f: () => number): unknown => (shape.length === 0 ? f() : Array.from({ length: shape[0] }, () => nested(shape.slice(1), f)));
  const stateDict = Object.fromEntries(paramShapes(spec).map(([n, shape]) => [n, nested(shape, () => 0.6 * rand())]));
  const Y = spec.outputSize;
  const cls = () => Math.floor(((rand() + 1) / 2) * Y) % Y;
  const targets = loss === 'mse' ? nested(readout === 'every_step' ? [B, T, Y] : [B, Y], rand) : nested(readout === 'every_step' ? [B, T] : [B], cls);
  return {
    format: 'rnn-playground/case@1',
    name,
    model: { format: 'rnn-playground/model@1', ...spec, stateDict },
    batch: { inputs: nested([B, T, spec.inputSize], rand), targets },
    loss,
    readout,
    truncation,
    training: { steps: 3, clip: null, ...training },
  };
}

const spec = (p: Partial<ModelSpec>): ModelSpec => ({ cell: 'rnn', nonlinearity: 'tanh', inputSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: false, outputSize: 2, initialState: 'zero', ...p });
const SYNTHETIC = [
  synthetic('lstm_bi_two_layers_learned_truncated', spec({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, initialState: 'learned' }), 2, 6, 'mse', 'every_step', 3, { optimizer: { name: 'adam', lr: 0.01 }, clip: { kind: 'norm', max: 0.5 } }, 1),
  synthetic('rnn_linear_three_layers_final_ce', spec({ nonlinearity: 'linear', numLayers: 3, outputSize: 3 }), 3, 5, 'cross_entropy', 'final_step', null, { optimizer: { name: 'sgd', lr: 0.05 } }, 2),
  synthetic('gru_learned_truncated_ce', spec({ cell: 'gru', hiddenSize: 5, initialState: 'learned' }), 2, 7, 'cross_entropy', 'every_step', 2, { optimizer: { name: 'rmsprop', lr: 0.01 }, clip: { kind: 'value', max: 0.01 } }, 3),
  synthetic('rnn_relu_bi_truncated', spec({ nonlinearity: 'relu', bidirectional: true, outputSize: 1 }), 2, 9, 'mse', 'every_step', 4, { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } }, 4),
];
const VARIANTS: [string, HarnessExtras][] = [
  ['plain', {}],
  ['mask, given start state, optimizer changes', { mask: true, initialState: true, optimizers: [{ name: 'adam', lr: 0.01 }, { name: 'sgd', lr: 0.1, momentum: 0.5 }, { name: 'adam', lr: 0.02 }] }],
];

test.describe('GPU backends', () => {
  test.describe.configure({ timeout: 120_000 });

  for (const backend of BACKENDS) {
    test(`${backend} matches every reference case`, async ({ page }) => {
      const ref = await harness(page, { backend: 'reference', cases: CASES.filter((c) => c.name === BIDIRECTIONAL), skipTraining: true });
      const result = await harness(page, { backend, cases: CASES });
      expect(result.backend?.name).toBe(backend);
      if (backend === 'webgpu') expect(result.backend?.description).toMatch(/^WebGPU on /);
      if (backend === 'gpujs') expect(result.backend?.kernelClass).toBe('WebGL2Kernel');
      if (backend === 'wasm') expect(result.backend?.description).toBe('WebAssembly SIMD (float32)');
      const failures: string[] = [];
      let worst = 0;
      for (const [i, c] of CASES.entries()) {
        expect(result.cases[i]?.name).toBe(c.name);
        const hiddenRef = c.name === BIDIRECTIONAL ? ref.cases[0].hiddenGrads : c.expected.hiddenGrads;
        worst = Math.max(worst, collect(failures, c.name, errorsOf(c.expected, result.cases[i], CASE_KEYS, hiddenRef)));
      }
      const ms = result.cases.map((c) => `${c.name} ${c.ms.forwardBackward.toFixed(0)}+${c.ms.training.toFixed(0)} ms`);
      console.log(`${backend} (${result.backend?.description}): cases, max relative error ${worst.toExponential(2)}\n  ${ms.join('\n  ')}`);
      expect(failures).toEqual([]);
    });

    test(`${backend} matches the reference backend beyond the cases`, async ({ page }) => {
      const failures: string[] = [];
      let worst = 0;
      for (const [label, extras] of VARIANTS) {
        const ref = await harness(page, { backend: 'reference', cases: SYNTHETIC, extras });
        const ours = await harness(page, { backend, cases: SYNTHETIC, extras });
        for (const [i, r] of ref.cases.entries()) {
          const name = `${r.name} (${label})`;
          worst = Math.max(worst, collect(failures, name, errorsOf(r as unknown as Record<string, unknown>, ours.cases[i], ALL_KEYS, r.hiddenGrads)));
          expect(ours.cases[i].applied, name).toEqual(r.applied);
          expect(ours.cases[i].clipped, name).toEqual(r.clipped);
        }
      }
      console.log(`${backend}: beyond the cases, max relative error ${worst.toExponential(2)}`);
      expect(failures).toEqual([]);
    });

    test(`${backend} leaves the weights alone on a NaN step, and stays finite with weights ×200`, async ({ page }) => {
      const poisoned = await harness(page, { backend, cases: SYNTHETIC.slice(0, 2), extras: { poison: true } });
      for (const [i, c] of poisoned.cases.entries()) {
        expect(c.applied).toEqual([false, false, false]);
        for (const p of c.paramsAfter ?? []) expect(relativeError(p, SYNTHETIC[i].model.stateDict)).toBeLessThan(1e-6);
      }
      // |pre-activations| far past 89, where SwiftShader's tanh gives NaN without clamping
      const bounded = [...CASES, ...SYNTHETIC].filter((c) => c.model.cell !== 'rnn' || c.model.nonlinearity === 'tanh');
      const big = await harness(page, { backend, cases: bounded, scaleWeights: 200, skipTraining: true });
      for (const c of big.cases) {
        const numbers = flatten([c.loss, c.gradNorm, c.outputs, c.grads, c.hiddenGrads]);
        expect(numbers.every(Number.isFinite), c.name).toBe(true);
      }
    });
  }

  test('gpujs reports a lost WebGL2 context through onDeviceLost, and refuses work after it', async ({ page }) => {
    const result = await harness(page, { backend: 'gpujs', cases: [CASES[0]], skipTraining: true, extras: { loseDevice: true } });
    expect(result.lost?.reason).toMatch(/lost/);
    expect(result.lost?.afterwards).toMatch(/lost/);
  });
});
