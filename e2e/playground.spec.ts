/**
 * The playground end to end in headless Chromium: links, keyboard, model files, exports, and that
 * the panels show the engine's own numbers.
 */
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { recurrentWeightSpectra } from '../src/engine/analysis';
import { lossAndGradients } from '../src/engine/bptt';
import { initModel } from '../src/engine/init';
import type { ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { makeTask } from '../src/engine/tasks';
import { encodeUrl } from '../src/store/urlState';
import { DEFAULT_CONFIG, initSpecOf, modelSpecOf, taskSpecOf, truncationOf, type PlaygroundConfig } from '../src/worker/config';
import { normsPerStep } from '../src/engine/stepNorms';

const stepCount = async (page: Page) => Number(await page.getByTestId('header-step').textContent());

test('a link restores every control, and the address bar follows the controls', async ({ page }) => {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'adding', length: 30, cell: 'gru', hiddenSize: 24, numLayers: 2, init: 'orthogonal', gain: 1.1, optimizer: 'rmsprop', learningRate: 0.003, batchSize: 16, clip: 'value', clipMax: 0.5, truncation: 6, seed: 77, backend: 'reference' };
  await page.goto(`/${encodeUrl(config)}`);
  await expect(page.getByTestId('ctl-task')).toHaveValue('adding');
  await expect(page.getByTestId('ctl-length')).toHaveValue('30');
  await expect(page.getByTestId('ctl-cell')).toHaveValue('gru');
  await expect(page.getByTestId('ctl-hidden')).toHaveValue('24');
  await expect(page.getByTestId('ctl-layers')).toHaveValue('2');
  await expect(page.getByTestId('ctl-init')).toHaveValue('orthogonal');
  await expect(page.getByTestId('ctl-gain')).toHaveValue('1.1');
  await expect(page.getByTestId('ctl-optimizer')).toHaveValue('rmsprop');
  await expect(page.getByTestId('ctl-batch')).toHaveValue('16');
  await expect(page.getByTestId('ctl-clip')).toHaveValue('value');
  await expect(page.getByTestId('ctl-clip-max')).toHaveValue('0.5');
  await expect(page.getByTestId('ctl-truncation')).toHaveValue('6');
  await expect(page.getByTestId('ctl-seed')).toHaveValue('77');
  await expect(page.getByTestId('ctl-backend')).toHaveValue('reference');
  // Change a control: the link follows, and reloading it restores the change.
  await page.getByTestId('ctl-cell').selectOption('lstm');
  await expect.poll(() => new URL(page.url()).searchParams.get('cell')).toBe('lstm');
  await page.reload();
  await expect(page.getByTestId('ctl-cell')).toHaveValue('lstm');
  await expect(page.getByTestId('ctl-hidden')).toHaveValue('24');
});

test('a bad link keeps what it can, says what it dropped, and the page still trains', async ({ page }) => {
  await page.goto('/?h=banana&cell=gru&lr=%E0%A4%A&zzz=1');
  await expect(page.getByTestId('ctl-cell')).toHaveValue('gru');
  await expect(page.getByTestId('ctl-hidden')).toHaveValue(String(DEFAULT_CONFIG.hiddenSize));
  await expect(page.getByText(/Some settings in the link could not be used/)).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 20_000 }).toBeGreaterThan(5);
});

test('keyboard: space plays and pauses, → steps once, r resets, ? opens help', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('header-step')).toHaveText('0');
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('header-step')).toHaveText('1');
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(5);
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.locator('body').press('r');
  await expect(page.getByTestId('header-step')).toHaveText('0');
  await page.locator('body').press('?');
  await expect(page.getByRole('dialog', { name: 'How to use the playground' })).toBeVisible();
});

test('save and load restore the weights exactly', async ({ page }) => {
  await page.goto('/?backend=reference');
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('header-step')).toHaveText('1');
  const save = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
    return readFileSync(await download.path(), 'utf8');
  };
  const saved = await save();
  const file = JSON.parse(saved);
  expect(file.format).toBe('rnn-playground/model@1');
  expect(file.stateDict['weight_hh_l0']).toHaveLength(DEFAULT_CONFIG.hiddenSize);
  // Train on, so the weights move; then load the file back.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page)).toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(await save()).not.toBe(saved);
  await page.getByTestId('load-model-input').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
  await expect(page.getByTestId('header-step')).toHaveText('0');
  expect(await save()).toBe(saved);
  // A broken file is refused with a message and changes nothing.
  await page.getByTestId('load-model-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "rnn-playground/model@1", "cell": "rnn", "stateDict": 3') });
  await expect(page.getByText(/not valid JSON/)).toBeVisible();
  expect(await save()).toBe(saved);
});

test('the eigenvalue plot shows the engine\'s eigenvalues of the seeded W_hh', async ({ page }) => {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hiddenSize: 12, init: 'gaussian', gain: 0.9, seed: 5 };
  await page.goto(`/${encodeUrl(config)}`);
  // the points are drawn on a canvas; the plot lists them at full precision in data-values
  const plot = page.getByTestId('eigen-plot');
  await expect(plot).toHaveAttribute('data-values', /\[\[/);
  const shown = JSON.parse((await plot.getAttribute('data-values')) ?? '[]') as number[][];
  expect(shown).toHaveLength(12);
  // The same model built in Node from the same settings.
  const task = makeTask(taskSpecOf(config, ''));
  const model = initModel(modelSpecOf(config, task.info) as ModelSpec, initSpecOf(config), new Rng(config.seed).fork(1));
  const expected = recurrentWeightSpectra(model)[0].eigenvalues;
  const key = ([re, im]: number[]) => `${re.toFixed(9)},${im.toFixed(9)}`;
  expect(shown.map(key).sort()).toEqual(expected.map(key).sort());
  for (const [re, im] of shown) expect(Math.hypot(re, im)).toBeLessThanOrEqual(0.9 + 1e-9);
});

test('the loss drops on an easy task and the panels show real numbers', async ({ page }) => {
  await page.goto('/?task=echo&len=8&lag=1&sym=3&h=16&lr=0.02&backend=reference');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  const metric = Number(await page.getByTestId('latest-metric').textContent());
  expect(metric).toBeGreaterThan(0.9); // accuracy on echo at lag 1, far above the 1/3 baseline
  const norms = JSON.parse((await page.getByTestId('gradnorm-values').getAttribute('data-values')) ?? '[]') as number[];
  expect(norms).toHaveLength(8);
  expect(norms.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
});

test("the gradient that reaches each input is the engine's ∂L/∂x_t of the step it names", async ({ page }) => {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'echo', length: 10, lag: 3, symbols: 4, cell: 'lstm', hiddenSize: 12, truncation: 4, seed: 9, backend: 'reference' };
  await page.goto(`/${encodeUrl(config)}`);
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('header-step')).toHaveText('1');
  const carrier = page.getByTestId('inputgrad-values');
  await expect(carrier).toHaveAttribute('data-step', '1');
  const shown = JSON.parse((await carrier.getAttribute('data-values')) ?? '[]') as number[];
  // Step 1 in Node: the seeded model and the first batch of the seeded data, through the float64 engine.
  const task = makeTask(taskSpecOf(config, ''));
  const root = new Rng(config.seed);
  const model = initModel(modelSpecOf(config, task.info) as ModelSpec, initSpecOf(config), root.fork(1));
  const batch = task.batch(root.fork(2), config.batchSize);
  const { inputGrads } = lossAndGradients(model, batch, { loss: task.info.loss, readout: task.info.readout, truncation: truncationOf(config), initialState: null });
  const expected = Array.from(normsPerStep(inputGrads, config.length));
  expect(shown).toHaveLength(config.length);
  shown.forEach((v, t) => expect(Math.abs(v - expected[t])).toBeLessThanOrEqual(1e-9 * expected[t]));
  expect(expected.every((v) => v > 0)).toBe(true);
});

test('every chart exports a valid SVG or PNG and its data as CSV', async ({ page }) => {
  await page.goto('/?backend=reference');
  await page.locator('body').press('ArrowRight');
  await page.locator('body').press('ArrowRight');
  await expect(page.getByTestId('header-step')).toHaveText('2');
  for (const id of ['training', 'gradient-norms', 'spectra', 'unrolled', 'inside', 'status']) {
    const panel = page.getByTestId(`panel-${id}`);
    for (const kind of ['SVG', 'PNG', 'CSV']) {
      const button = panel.getByRole('button', { name: kind, exact: true });
      await panel.getByText('Export').click();
      if (await button.isDisabled()) {
        await panel.getByText('Export').click();
        continue;
      }
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const bytes = readFileSync(await download.path());
      if (kind === 'SVG') expect(bytes.toString('utf8')).toMatch(/^<\?xml[^]*<svg[^]*<\/svg>$/);
      // the canvas charts (training curves, gradient norms) come along as images
      if (kind === 'SVG' && (id === 'gradient-norms' || id === 'training')) expect(bytes.toString('utf8')).toContain('<image href="data:image/png;base64,');
      if (kind === 'PNG') {
        expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        // At 2× or more: the PNG's width (IHDR) against the panel's on screen.
        const box = await panel.boundingBox();
        expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(2 * Math.floor((box?.width ?? 0) * 0.9));
      }
      if (kind === 'CSV') {
        const rows = bytes.toString('utf8').trim().split('\n');
        expect(rows.length).toBeGreaterThan(1);
        // Some row holds a number (the status card's first rows are words: the backend's name).
        expect(rows.slice(1).some((r) => r.split(',').some((v) => v !== '' && Number.isFinite(Number(v))))).toBe(true);
        if (id === 'status') expect(rows).toContain('step,2');
      }
      await panel.getByText('Export').click();
    }
  }
});
