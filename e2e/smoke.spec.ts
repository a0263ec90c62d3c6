import { test, expect } from '@playwright/test';

test('the built app loads with no console error, and trains when Play is pressed', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Playground');
  await page.getByRole('button', { name: 'Play' }).click();
  // The worker trains and the page hears about it: the step counter moves.
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 20_000 }).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(errors).toEqual([]);
});
