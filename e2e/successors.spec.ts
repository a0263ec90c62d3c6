/**
 * The successor blocks in the page: chosen from the Cell control, trained live, the gradient that
 * reaches each input equal to the float64 engine's, the RNN-only panels saying plainly that they
 * do not apply, model files in the successor format, and a heads count that does not divide H
 * refused in words.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { initAnyModel } from '../src/engine/anyModel';
import { Rng } from '../src/engine/rng';
import { successorLossAndGradients } from '../src/engine/successors/block';
import type { SuccessorModel } from '../src/engine/successors/spec';
import { makeTask } from '../src/engine/tasks';
import { encodeUrl } from '../src/store/urlState';
import { DEFAULT_CONFIG, initSpecOf, modelSpecOf, taskSpecOf, truncationOf, type PlaygroundConfig } from '../src/worker/config';
import { normsPerStep } from '../src/engine/stepNorms';

const stepCount = async (page: Page) => Number(await page.getByTestId('header-step').textContent());

test("a Mamba block chosen in the controls: its controls, ∂L/∂x_t equal to the engine's, the RNN panels say why not", async ({ page }) => {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'echo', length: 10, lag: 3, hiddenSize: 12, truncation: 4, seed: 5, backend: 'reference' };
  await page.goto(`/${encodeUrl(config)}`);
  await expect(page.getByTestId('ctl-bidirectional')).toBeVisible();
  await page.getByTestId('ctl-cell').selectOption('mamba');
  await expect(page.getByTestId('ctl-state-size')).toHaveValue(String(DEFAULT_CONFIG.stateSize));
  await expect(page.getByTestId('ctl-bidirectional')).toHaveCount(0); // an RNN cell's setting
  await expect(page.getByTestId('ctl-init')).toHaveCount(0);
  await expect(page.getByTestId('successor-init')).toContainText('A = −(1, 2, …, N)');
  await expect(page.getByTestId('model-description')).toHaveText(`1-layer Mamba (input ${makeTask(taskSpecOf(config, '')).info.inputSize}, hidden 12, state ${DEFAULT_CONFIG.stateSize}, output 4)`);
  for (const id of ['unrolled', 'inside']) await expect(page.getByTestId(`not-applicable-${id}`)).toContainText('The Mamba block has no W');
  // where an RNN shows W_hh's spectrum: the share each channel keeps, time × channel
  await expect(page.getByTestId('memory-view')).toHaveAttribute('data-kind', 'mamba');
  await expect(page.getByTestId('panel-spectra').getByRole('heading', { name: 'How Mamba remembers' })).toBeVisible();

  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('header-step')).toHaveText('1');
  const carrier = page.getByTestId('inputgrad-values');
  await expect(carrier).toHaveAttribute('data-step', '1');
  const shown = JSON.parse((await carrier.getAttribute('data-values')) ?? '[]') as number[];
  // Step 1 in Node: the seeded block and the first batch of the seeded data, through the float64 engine.
  const mamba = { ...config, cell: 'mamba' as const };
  const task = makeTask(taskSpecOf(mamba, ''));
  const root = new Rng(mamba.seed);
  const model = initAnyModel(modelSpecOf(mamba, task.info), initSpecOf(mamba), root.fork(1)) as SuccessorModel;
  const batch = task.batch(root.fork(2), mamba.batchSize);
  const { inputGrads } = successorLossAndGradients(model, batch, { loss: task.info.loss, readout: task.info.readout, truncation: truncationOf(mamba) });
  const expected = Array.from(normsPerStep(inputGrads, mamba.length));
  expect(shown).toHaveLength(mamba.length);
  shown.forEach((v, t) => expect(Math.abs(v - expected[t])).toBeLessThanOrEqual(1e-9 * expected[t]));

  // It trains on, and its file is the successor format, which loads back.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(file).toMatchObject({ format: 'rnn-playground/model@1', cell: 'mamba', stateSize: DEFAULT_CONFIG.stateSize, hiddenSize: 12 });
  expect(file.stateDict['layers.0.mixer.A_log']).toHaveLength(12);
});

test('attention with heads that do not divide H is refused in words, and the page trains what it can', async ({ page }) => {
  await page.goto('/?cell=attention&h=32&heads=3');
  await expect(page.getByText(/Heads 3: must divide the hidden size 32/)).toBeVisible();
  await expect(page.getByTestId('ctl-cell')).toHaveValue('attention');
  await expect(page.getByTestId('ctl-heads')).toHaveValue(String(DEFAULT_CONFIG.numHeads));
  await expect(page.getByTestId('ctl-truncation')).toHaveCount(0); // attention keeps no state to cut
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(5);
});

test('the cost against T is measured on request: every row a real time, memory per generated step in closed form', async ({ page }) => {
  await page.goto('/?backend=wasm&h=8');
  await page.getByTestId('measure-costs').click();
  const report = page.getByTestId('cost-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  const rows = JSON.parse((await report.getAttribute('data-rows')) ?? '[]') as { cell: string; T: number; msPerStep: number; stateFloats: number }[];
  expect(rows.length).toBeGreaterThan(0); // how many fit the budget depends on the machine, never asserted
  const H = 8;
  const N = DEFAULT_CONFIG.stateSize;
  const expected: Record<string, (T: number) => number> = { rnn: () => H, lstm: () => 2 * H, gru: () => H, lru: () => 2 * N, mamba: () => H * N, rwkv: () => 2 * H, mingru: () => H, attention: (T) => 2 * H * T };
  for (const r of rows) {
    expect(r.msPerStep > 0 && Number.isFinite(r.msPerStep)).toBe(true);
    expect(r.stateFloats, `${r.cell} at ${r.T}`).toBe(expected[r.cell](r.T));
  }
  await expect(page.getByTestId('header-step')).toHaveText('0'); // the run's own model was not trained by it
});
