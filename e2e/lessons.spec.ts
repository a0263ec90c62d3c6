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

test('init-lab: one scale drives all three cards, each a histogram of the J_t singular values', async ({ page }) => {
  await page.goto('/?lesson=init-lab');
  const hist = (i: number) => page.getByTestId(`compare-${i}`).getByTestId('sv-histogram');
  for (const i of [0, 1, 2]) await expect(hist(i)).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => (await hist(2).getAttribute('data-counts')) ?? '', { timeout: 60_000 }).toMatch(/[1-9]/);
  const counts = async (i: number) => JSON.parse((await hist(i).getAttribute('data-counts')) ?? '[]') as number[];
  // Identity with a linear unit at scale 1: every singular value in the bin at σ = 1 (index 30).
  const identity = await counts(2);
  expect(identity[30]).toBe(identity.reduce((a, c) => a + c, 0));
  await page.getByTestId('compare-gain').fill('0.5');
  await expect(page.getByTestId('compare-gain-value')).toHaveText('0.50');
  // At scale 0.5 the identity's singular values all sit at 0.5: log10 0.5 ≈ −0.30, the bin at index 26.
  await expect.poll(async () => (await counts(2))[26], { timeout: 60_000 }).toBe(identity.reduce((a, c) => a + c, 0));
  await expect(page.getByText('the claims above are made for scale 1')).toBeVisible();
});

test('associative-recall: every card charts ‖∂L/∂x_t‖, the gradient every kind shares, so the LSTM is compared like with like', async ({ page }) => {
  await page.goto('/?lesson=associative-recall');
  const card = (i: number) => page.getByTestId(`compare-${i}`);
  await expect(card(0)).toContainText('attention');
  await expect(card(1)).toContainText('LSTM');
  for (const i of [0, 1, 2]) {
    await expect(card(i)).toContainText('‖∂L/∂x_t‖', { timeout: 30_000 });
    await expect(card(i)).not.toContainText('‖∂L/∂h_t‖');
  }
});
