/**
 * Sequence to sequence in the page: chosen from a link, trained in the worker step by step, the
 * "Encoder → decoder" panel's numbers equal to the float64 engine's on the same seed (the same run
 * replayed here in Node), the RNN-only panels saying why they are not drawn, and a successor cell
 * refused in words. Screenshots at three sizes go to test-results/ (or $SCREENSHOT_DIR) for a person to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { Rng } from '../src/engine/rng';
import { initSeq2Seq } from '../src/engine/seq2seq';
import { freeRunning, Seq2SeqLearner } from '../src/engine/seq2seqTrain';
import { makeSeq2Seq } from '../src/engine/tasks';
import { encodeUrl } from '../src/store/urlState';
import { clipSpecOf, DEFAULT_CONFIG, initSpecOf, optimizerSpecOf, type PlaygroundConfig } from '../src/worker/config';
import { exampleOf } from '../src/worker/seq2seqTrainer';

const CONFIG: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'seq2seq', length: 6, symbols: 5, cell: 'gru', hiddenSize: 12, batchSize: 8, attention: true, seed: 23 };
const STEPS = 5;

/** The run in Node: the worker's seeds, its steps; what the panel should show after `steps`. */
function engineRun(c: PlaygroundConfig, steps: number) {
  const task = makeSeq2Seq({ kind: 'seq2seq', mode: c.seq2seqMode, n: c.length, K: c.symbols });
  const root = new Rng(c.seed);
  const m = initSeq2Seq({ cell: 'gru', nonlinearity: c.nonlinearity, hiddenSize: c.hiddenSize, numLayers: c.numLayers, sourceSize: c.symbols, decoderInputSize: c.symbols + 1, attention: c.attention }, initSpecOf(c), root.fork(1));
  const data = root.fork(2);
  const learner = new Seq2SeqLearner(m, optimizerSpecOf(c), clipSpecOf(c));
  let teacher = NaN;
  let free = NaN;
  let batch = task.batch(data, c.batchSize);
  for (let s = 0; s < steps; s++) {
    if (s > 0) batch = task.batch(data, c.batchSize);
    free = freeRunning(m, batch).accuracy;
    teacher = task.metric(learner.step(batch).result.outputs, batch);
  }
  return { teacher, free, example: exampleOf(m, batch, steps) };
}

const cells = async (page: Page, id: string) => (await page.getByTestId(id).locator('.s2s-cell').allTextContents()).map(Number);

test('the encoder–decoder trains in the page, its panel showing the engine’s numbers for the seed', async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${encodeUrl(CONFIG)}`);
  await expect(page.getByTestId('panel-seq2seq')).toBeVisible();
  await expect(page.getByTestId('ctl-attention')).toBeVisible();
  await expect(page.getByTestId('ctl-seq2seq-mode')).toBeVisible();
  await expect(page.getByTestId('ctl-bidirectional')).toHaveCount(0);
  for (const id of ['gradient-norms', 'spectra', 'inside']) await expect(page.getByTestId(`not-applicable-${id}`)).toContainText('an encoder and a decoder');
  for (let i = 1; i <= STEPS; i++) {
    await page.locator('body').press('ArrowRight');
    await expect(page.getByTestId('header-step')).toHaveText(String(i));
  }
  await expect(page.getByTestId('s2s-example-step')).toContainText(`step ${STEPS}`);
  const want = engineRun(CONFIG, STEPS);
  await expect(page.getByTestId('s2s-teacher')).toHaveText(want.teacher.toFixed(4));
  await expect(page.getByTestId('s2s-free')).toHaveText(want.free.toFixed(4));
  expect(await cells(page, 's2s-source')).toEqual(Array.from(want.example.source));
  expect(await cells(page, 's2s-target')).toEqual(Array.from(want.example.source).reverse());
  expect(await cells(page, 's2s-forced')).toEqual(Array.from(want.example.teacherForced));
  expect(await cells(page, 's2s-freerun')).toEqual(Array.from(want.example.freeRunning));
  await expect(page.getByTestId('s2s-attention')).toBeVisible();
  await expect(page.getByTestId('s2s-state')).toBeVisible();

  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(60);
  await page.getByRole('button', { name: 'Pause' }).click();
  for (const [w, h] of [[1280, 720], [1920, 1080], [390, 844]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? 'test-results'}/seq2seq-${w}x${h}.png`, fullPage: w < 600 });
    await page.getByTestId('panel-seq2seq').screenshot({ path: `${process.env.SCREENSHOT_DIR ?? 'test-results'}/seq2seq-panel-${w}x${h}.png` });
  }
});

test('without attention the panel says so; a successor cell is refused in words and the settings stay', async ({ page }) => {
  await page.goto(`/${encodeUrl({ ...CONFIG, attention: false })}`);
  await expect(page.getByTestId('s2s-attention-off')).toContainText('Attention is off');
  await page.getByTestId('ctl-cell').selectOption('mamba');
  await expect(page.getByText(/is not an encoder–decoder cell here/).first()).toBeVisible();
  await expect(page.getByTestId('ctl-cell')).toHaveValue('gru');
});
