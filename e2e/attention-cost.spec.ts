/**
 * The price of attention in the page: the lesson's own view shows the cost curves in closed form
 * (the ones its claims read), ticks every claim before any step, and measures on request; the
 * Recurrence setting travels in the link and moves training off a backend that runs loops only.
 */
import { expect, test } from '@playwright/test';

test('the lesson shows the closed-form curves its claims read, and measures on request', async ({ page }) => {
  await page.goto('/?lesson=attention-cost');
  await expect(page.getByTestId('panel-status')).toHaveAttribute('data-lesson-focus', '1');
  await expect(page.getByTestId('lesson-claims')).toHaveAttribute('data-held', '4', { timeout: 30_000 });
  await expect(page.getByTestId('lesson-claims')).toHaveAttribute('data-total', '4');
  const curves = JSON.parse((await page.getByTestId('cost-curves').getAttribute('data-curves')) ?? '{}') as { lengths: number[]; kinds: { cell: string; stateFloats: number[]; forwardFlops: number[] }[] };
  const attention = curves.kinds.find((k) => k.cell === 'attention');
  expect(attention?.stateFloats).toEqual(curves.lengths.map((T) => 2 * 32 * T)); // keys and values, H = 32
  expect(curves.kinds.find((k) => k.cell === 'mamba')?.stateFloats).toEqual(curves.lengths.map(() => 32 * 16));
  await expect(page.getByTestId('cost-curves').locator('svg')).toHaveCount(2);
  await page.getByTestId('measure-costs').click();
  const report = page.getByTestId('cost-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  const scanRows = JSON.parse((await report.getAttribute('data-scan-rows')) ?? '[]') as { scan: string; msPerStep: number; backend: string }[];
  // How many rows fit the budget depends on the machine, never asserted; each is a real time.
  for (const r of scanRows) expect(r.msPerStep > 0 && Number.isFinite(r.msPerStep) && r.backend !== 'wasm').toBe(true);
  await expect(page.getByTestId('header-step')).toHaveText('0');
});

test('Recurrence: parallel scan travels in the link, and auto trains it where the kernels scan, saying why', async ({ page }) => {
  await page.goto('/?cell=mamba&h=8&n=4&scan=parallel&backend=wasm');
  await expect(page.getByTestId('ctl-recurrence')).toHaveValue('parallel');
  await expect(page.getByText(/wasm cannot train this model: its kernels run mamba's recurrence only as a sequential loop, not as a parallel scan/).first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 30_000 }).toBeGreaterThan(2);
  await page.getByTestId('ctl-recurrence').selectOption('loop');
  await expect.poll(() => new URL(page.url()).searchParams.get('scan')).toBeNull();
  await page.getByTestId('ctl-cell').selectOption('attention');
  await expect(page.getByTestId('ctl-recurrence')).toHaveCount(0); // attention has no recurrence
});
