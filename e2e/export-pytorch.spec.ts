/**
 * Export → PyTorch script on the page: the menu beside Save model downloads experiment.py, whose
 * embedded weights are the seed's (from the start) or the run's after the steps taken (from the
 * current weights), checked against the float64 engine driven in Node with the seed recipe.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { Model } from '../src/engine/model';
import { makeOptimizer } from '../src/engine/optim';
import { trainStep } from '../src/engine/train';
import { initialModel, taskOf } from '../src/export/pytorch';
import { Rng } from '../src/engine/rng';
import { encodeUrl } from '../src/store/urlState';
import { clipSpecOf, DEFAULT_CONFIG, optimizerSpecOf, truncationOf, type PlaygroundConfig } from '../src/worker/config';

const config: PlaygroundConfig = { ...DEFAULT_CONFIG, task: 'echo', length: 10, lag: 2, cell: 'gru', hiddenSize: 8, batchSize: 8, seed: 5, backend: 'reference' };

/** The weights a script embeds, decoded from its base64 float64 block. */
function embeddedWeights(script: string): number[] {
  const block = /WEIGHTS_B64 = \(\n([^)]*)\n\)/.exec(script);
  if (!block) throw new Error('no WEIGHTS_B64 block in the script');
  const bytes = Buffer.from(block[1].replace(/[\s"]/g, ''), 'base64');
  return Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(8 * i));
}

/** The float64 engine's weights after `steps` updates, the recipe of the Trainer (weights fork 1, data fork 2), flattened in state_dict order. */
function engineWeights(steps: number): number[] {
  const task = taskOf(config, '');
  const model = initialModel(config, task) as Model;
  const root = new Rng(config.seed);
  root.fork(1);
  const data = root.fork(2);
  const optimizer = makeOptimizer(optimizerSpecOf(config));
  for (let s = 0; s < steps; s++)
    trainStep(model, optimizer, task.batch(data, config.batchSize), { loss: task.info.loss, readout: task.info.readout, truncation: truncationOf(config), initialState: null, clip: clipSpecOf(config) });
  return Object.values(model.params).flatMap((t) => Array.from(t.data));
}

function maxRelErr(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}

async function exportScript(page: Page, which: 'start' | 'current'): Promise<string> {
  await page.getByTestId('export-pytorch').locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-pytorch-${which}`).click()]);
  expect(download.suggestedFilename()).toBe('experiment.py');
  return readFileSync(await download.path(), 'utf8');
}

test('Export → PyTorch script downloads experiment.py with the seed\'s weights, or the current ones', async ({ page }) => {
  await page.goto(`/${encodeUrl(config)}`);
  await expect(page.getByTestId('header-step')).toHaveText('0');

  const start = await exportScript(page, 'start');
  expect(start).toMatch(/^#!\/usr\/bin\/env python3\n"""An RNN Playground experiment as a PyTorch script\./);
  expect(start).toContain('class Model(nn.GRU):');
  expect(start).toContain("It starts where the page starts: the seed's initial weights");
  expect(maxRelErr(embeddedWeights(start), engineWeights(0))).toBe(0);

  for (let s = 1; s <= 3; s++) {
    await page.locator('body').press('ArrowRight');
    await expect(page.getByTestId('header-step')).toHaveText(String(s));
  }
  const current = await exportScript(page, 'current');
  expect(current).toContain("It starts from the page's weights after 3 updates");
  expect(current).toContain('SKIP_BATCHES = 3');
  expect(maxRelErr(embeddedWeights(current), engineWeights(3))).toBeLessThan(1e-12);
});
