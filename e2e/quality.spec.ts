/**
 * Quality bar: no serious accessibility violation (axe-core) at laptop and projector sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '@playwright/test';

for (const [name, viewport, lecture] of [
  ['laptop', { width: 1280, height: 720 }, false],
  ['projector', { width: 1920, height: 1080 }, true],
] as const) {
  test(`axe finds no serious or critical violation (${name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/?backend=reference');
    await page.locator('body').press('ArrowRight');
    await expect(page.getByTestId('header-step')).toHaveText('1');
    await expect(page.locator('html')).toHaveAttribute('data-lecture', lecture ? '1' : '0');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
  });
}
