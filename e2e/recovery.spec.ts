/**
 * Never frozen, never a dead end: a worker that hangs is noticed and restarted and training goes
 * on; a diverged run offers one click back that trains; a lesson's side-by-side view is what the
 * header's transport and the keyboard drive, and nothing trains that is not on screen.
 * Time limits here are generous waits, never assertions about the machine's speed.
 */
import { test, expect, type Page } from '@playwright/test';

test.setTimeout(120_000);
const stepText = async (page: Page) => (await page.getByTestId('header-step').textContent()) ?? '';
const stepCount = async (page: Page) => Number(await stepText(page));
type Handle = { rnnPlayground: { simulateFault(f: string): void; savedWeightsStep(): number | null } };

test('a worker that hangs while playing is restarted from its saved weights and training goes on', async ({ page }) => {
  await page.goto('/?len=8&lag=1&sym=3&h=8&batch=4&backend=reference&seed=5');
  await page.getByTestId('play').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as Handle).rnnPlayground.savedWeightsStep()), { timeout: 30_000 }).not.toBeNull();
  await page.evaluate(() => (window as unknown as Handle).rnnPlayground.simulateFault('hang'));
  await expect(page.getByText(/Training stopped responding at step \d+ \(no answer for \d+ s\)\. The worker was restarted from the weights saved at step \d+ and goes on training\./)).toBeVisible({ timeout: 45_000 });
  const saved = Number((await page.getByText(/saved at step (\d+)/).first().textContent())?.match(/saved at step (\d+)/)?.[1]);
  await expect(page.getByTestId('play')).toHaveText('Pause');
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(saved + 10);
  await expect(page.getByTestId('ctl-seed')).toHaveValue('5');
});

test('exploding, full playground: the recovery bar restores weights from before the blow-up with clipping, and training goes on', async ({ page }) => {
  await page.goto('/?lesson=exploding');
  await page.getByRole('button', { name: 'Show the full playground' }).click();
  await page.getByTestId('play').click();
  const bar = page.getByTestId('recovery');
  await expect(bar).toBeVisible({ timeout: 30_000 });
  await expect(bar).toContainText(/Training stopped at step \d+: the (loss|gradient norm) became/);
  const restore = page.getByTestId('recovery-restore');
  await expect(restore).toHaveText(/^Restore step \d+ and turn on norm clipping \(c = 1\)$/);
  const diverged = await stepCount(page);
  await restore.click();
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('play')).toHaveText('Pause');
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(diverged + 100);
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('ctl-clip')).toHaveValue('norm');
});

test('exploding, full playground: "start over" starts a new run from the seed with the advice applied', async ({ page }) => {
  await page.goto('/?lesson=exploding');
  await page.getByRole('button', { name: 'Show the full playground' }).click();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('recovery-reset')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('recovery-reset').click();
  await expect(page.getByTestId('recovery')).toBeHidden();
  await expect(page.getByTestId('ctl-clip')).toHaveValue('norm');
  expect(await stepCount(page)).toBe(0);
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(100);
  await expect(page.getByTestId('recovery')).toBeHidden();
});

test('in a side-by-side lesson the header and the keyboard drive the runs on screen, and nothing else trains', async ({ page }) => {
  await page.goto('/?lesson=gated');
  await expect(page.getByTestId('compare-0')).toBeVisible();
  await expect.poll(() => stepText(page)).toBe('0 · 0');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('Pause', { timeout: 30_000 }); // once both workers have chosen a backend
  await expect.poll(async () => Number(await page.getByTestId('compare-step-0').textContent()), { timeout: 30_000 }).toBeGreaterThan(5);
  await expect.poll(async () => Number(await page.getByTestId('compare-step-1').textContent()), { timeout: 30_000 }).toBeGreaterThan(5);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveText('Play', { timeout: 30_000 });
  const [a, b] = (await stepText(page)).split(' · ').map(Number);
  expect(a).toBe(Number(await page.getByTestId('compare-step-0').textContent()));
  expect(b).toBe(Number(await page.getByTestId('compare-step-1').textContent()));
  await page.keyboard.press('r');
  await expect.poll(() => stepText(page), { timeout: 10_000 }).toBe('0 · 0');
  // The playground's own run never trained while the comparison was on screen.
  await page.getByRole('button', { name: 'Show the full playground' }).click();
  await expect(page.getByTestId('header-step')).toHaveText('0');
  await expect(page.getByTestId('play')).toHaveText('Play');
});
