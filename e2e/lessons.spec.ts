/**
 * Every lesson from a cold link: its claims are on screen beside the narration and, once the runs
 * have trained, every one is ticked. The phenomena themselves are tested in training steps on
 * several seeds (test/lessons-claims.test.ts, through `npm run lesson`'s runner); here the limit
 * is a generous wait for the page to get there, never an assertion about the machine's speed.
 */
import { test, expect, type Page } from '@playwright/test';
import { LESSONS } from '../src/lessons/lessons';

/** Long enough for a slow machine to reach the steps the claims need; the poll ends at the first tick of all. */
const WAIT = 240_000;
test.setTimeout(WAIT + 60_000);

async function allTicked(page: Page): Promise<string> {
  const box = page.getByTestId('lesson-claims');
  const held = await box.getAttribute('data-held');
  const total = await box.getAttribute('data-total');
  return `${held}/${total}`;
}

for (const lesson of LESSONS) {
  test(`${lesson.id}: a cold link shows the lesson's ${lesson.claims.length} claims and ticks them all`, async ({ page }) => {
    await page.goto(`/?lesson=${lesson.id}`);
    await expect(page.getByTestId('lesson-narration')).toBeVisible();
    const claims = page.getByTestId('lesson-claims');
    await expect(claims).toBeVisible({ timeout: 60_000 });
    for (const [i, c] of lesson.claims.entries()) await expect(page.getByTestId(`claim-${i}`)).toContainText(c.text);
    if (lesson.steps > 0) await page.getByTestId('play').click();
    const total = String(lesson.claims.length);
    await expect.poll(() => allTicked(page), { timeout: WAIT, intervals: [2000] }).toBe(`${total}/${total}`);
  });
}

test('the character model writes text from its current weights', async ({ page }) => {
  await page.goto('/?lesson=char-lm');
  await page.getByTestId('play').click();
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 60_000 }).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Task', exact: true }).click();
  await page.getByTestId('sample-text').click();
  await expect(page.getByTestId('generated-text')).not.toContainText('Press Sample', { timeout: 20_000 });
  expect(((await page.getByTestId('generated-text').textContent()) ?? '').length).toBeGreaterThan(100);
});
