/**
 * Each lesson's link shows its phenomenon in the numbers the page shows, within the minute it
 * promises (a 2-core machine without a GPU: training runs on WebAssembly; the GPUs here are
 * software and auto never prefers them). Polls stop as soon as the phenomenon is there.
 */
import { test, expect, type Page } from '@playwright/test';

test.setTimeout(90_000);
const MINUTE = 60_000;

const num = async (page: Page, testId: string) => {
  const el = page.getByTestId(testId);
  const v = (await el.getAttribute('data-value')) ?? (await el.textContent());
  return v === null || v === '' ? NaN : Number(v);
};

async function openComparison(page: Page, id: string) {
  await page.goto(`/?lesson=${id}`);
  await expect(page.getByTestId('lesson-narration')).toBeVisible();
  await page.getByTestId('compare-play').click();
}

async function openSingle(page: Page, id: string) {
  await page.goto(`/?lesson=${id}`);
  await expect(page.getByTestId('lesson-narration')).toBeVisible();
  await page.getByTestId('play').click();
}

test('1. vanishing: the gradient falls by orders of magnitude and the accuracy stalls at the baseline', async ({ page }) => {
  await openSingle(page, 'vanishing');
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: MINUTE }).toBeGreaterThan(1500);
  const norms = JSON.parse((await page.getByTestId('gradnorm-values').getAttribute('data-values')) ?? '[]') as (number | null)[];
  const first = norms[0] ?? 0;
  const last = norms[norms.length - 1] ?? 1;
  expect(first / last).toBeLessThan(1e-3);
  expect(Number(await page.getByTestId('latest-metric').textContent())).toBeLessThan(0.35);
});

test('2. exploding: without clipping the run diverges and is caught; with clipping it trains', async ({ page }) => {
  await openComparison(page, 'exploding');
  await expect(page.getByTestId('compare-stopped-0')).toContainText(/not applied/, { timeout: MINUTE });
  await expect.poll(() => num(page, 'compare-metric-1'), { timeout: MINUTE }).toBeLessThan(0.05);
});

test('3. IRNN: identity initialization beats the 0.167 baseline, a default tanh RNN does not', async ({ page }) => {
  await openComparison(page, 'irnn');
  await expect.poll(() => num(page, 'compare-metric-0'), { timeout: MINUTE, intervals: [1000] }).toBeLessThan(0.05);
  expect(await num(page, 'compare-metric-1')).toBeGreaterThan(0.1);
});

test('4. gated cells: the GRU leaves the copy-memory baseline, the vanilla RNN stays near it', async ({ page }) => {
  await openComparison(page, 'gated');
  await expect.poll(() => num(page, 'compare-metric-0'), { timeout: MINUTE, intervals: [1000] }).toBeLessThan(0.8 * 0.4159);
  expect(await num(page, 'compare-metric-1')).toBeGreaterThan(0.85 * 0.4159);
});

test('5. truncation: a window shorter than the lag cannot learn it, full BPTT can', async ({ page }) => {
  await openComparison(page, 'truncation');
  await expect.poll(() => num(page, 'compare-metric-1'), { timeout: MINUTE, intervals: [1000] }).toBeGreaterThan(0.9);
  expect(await num(page, 'compare-metric-0')).toBeLessThan(0.4);
});

test('6. bidirectional: two directions tag the future, one cannot', async ({ page }) => {
  await openComparison(page, 'bidirectional');
  await expect.poll(() => num(page, 'compare-metric-1'), { timeout: MINUTE, intervals: [1000] }).toBeGreaterThan(0.9);
  expect(await num(page, 'compare-metric-0')).toBeLessThan(0.6);
});

test('7. character model: bits per character fall below the unigram baseline, and it writes text', async ({ page }) => {
  await openSingle(page, 'char-lm');
  await expect.poll(async () => Number(await page.getByTestId('latest-metric').textContent()), { timeout: MINUTE, intervals: [1000] }).toBeLessThan(4.0);
  await page.getByRole('button', { name: 'Task', exact: true }).click();
  await page.getByTestId('sample-text').click();
  await expect(page.getByTestId('generated-text')).not.toContainText('Press Sample', { timeout: 20_000 });
  expect(((await page.getByTestId('generated-text').textContent()) ?? '').length).toBeGreaterThan(100);
});

test('8. streaming: the one-step-ahead error falls below predicting the mean', async ({ page }) => {
  await openSingle(page, 'streaming');
  await expect.poll(async () => Number(await page.getByTestId('latest-metric').textContent()), { timeout: MINUTE, intervals: [1000] }).toBeLessThan(0.1);
});

test('9. initialization lab: identity and orthogonal keep the Jacobian near isometry, Gaussian spreads it', async ({ page }) => {
  await page.goto('/?lesson=init-lab');
  await expect(page.getByTestId('compare-sv-max-2')).toBeVisible({ timeout: 20_000 });
  const spread = async (i: number) => (await num(page, `compare-sv-max-${i}`)) / (await num(page, `compare-sv-min-${i}`));
  expect(await num(page, 'compare-sv-max-2')).toBeCloseTo(1, 1);
  expect(await spread(2)).toBeLessThan(1.05);
  expect(await spread(0)).toBeGreaterThan(10);
  expect(await spread(1)).toBeLessThan(await spread(0));
});
