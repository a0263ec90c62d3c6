/**
 * Faults in front of a room: a GPU device or WebGL context lost mid-run hands over to another
 * backend without losing a step or a setting; a crashed worker restarts with the settings and the
 * last saved weights, with a notice. (The GPUs here are SwiftShader: small models keep it quick.)
 */
import { test, expect, type Page } from '@playwright/test';

const stepCount = async (page: Page) => Number(await page.getByTestId('header-step').textContent());
const SMALL = 'len=8&lag=1&sym=3&h=8&batch=4';

for (const backend of ['gpujs', 'webgpu'] as const) {
  test(`a lost ${backend} device hands over to another backend and training goes on`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto(`/?${SMALL}&backend=${backend}`);
    await expect(page.getByTestId('backend-name')).toHaveText(backend, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(2);
    await page.evaluate(() => (window as unknown as { rnnPlayground: { simulateFault(f: string): void } }).rnnPlayground.simulateFault('device-loss'));
    await expect(page.getByText(new RegExp(`${backend} stopped`))).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('backend-name')).not.toHaveText(backend);
    const at = await stepCount(page);
    await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(at + 5);
    // The settings are as they were.
    await expect(page.getByTestId('ctl-hidden')).toHaveValue('8');
    await expect(page.getByTestId('ctl-backend')).toHaveValue(backend);
  });
}

test('a crashed worker restarts with the settings and the last saved weights, with a notice', async ({ page }) => {
  await page.goto(`/?${SMALL}&backend=reference&seed=9`);
  await page.getByRole('button', { name: 'Play' }).click();
  // The page keeps the weights every few seconds while training: wait until it has.
  await expect.poll(() => page.evaluate(() => (window as unknown as { rnnPlayground: { savedWeightsStep(): number | null } }).rnnPlayground.savedWeightsStep()), { timeout: 30_000 }).not.toBeNull();
  await page.evaluate(() => (window as unknown as { rnnPlayground: { simulateFault(f: string): void } }).rnnPlayground.simulateFault('crash'));
  await expect(page.getByText(/The training worker stopped .* restarted with your settings, from the weights saved at step \d+\. Press Play to go on\./)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('ctl-seed')).toHaveValue('9');
  await expect(page.getByTestId('ctl-hidden')).toHaveValue('8');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepCount(page), { timeout: 20_000 }).toBeGreaterThan(5);
});
