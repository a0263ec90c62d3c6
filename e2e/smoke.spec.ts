import { test, expect } from '@playwright/test';

test('the built app loads with no console error', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Playground');
  // The page runs the float64 engine once on load: a real number proves the bundle works end to end.
  await expect(page.getByTestId('engine-check')).toContainText(/loss = \d+\.\d+/);
  expect(errors).toEqual([]);
});
