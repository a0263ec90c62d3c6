/**
 * Fuzz in the browser: the nastiest links, model files and pasted texts from test/fuzz/cases.ts
 * (the generators the Node fuzz suites use). None crashes the page or the worker, none changes the
 * settings or the model, each gets a notice, and no user text is ever rendered as HTML.
 */
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { linkCases, modelFileCases, textCases, XSS, type LinkCase, type ModelCase } from '../test/fuzz/cases';

const enc = encodeURIComponent;

/** Collects page errors and the worker's crash or error notices; asserts none happened. */
function watch(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('the page crashed'));
  return {
    async check(what: string) {
      expect(errors, what).toEqual([]);
      await expect(page.locator('li.st-notice[data-code="crash"], li.st-notice[data-code="worker-error"]'), what).toHaveCount(0);
    },
  };
}

/** Nothing the user typed became markup: no script ran, no element was made from it. */
async function expectNoHtmlFromUserText(page: Page) {
  await page.waitForTimeout(100); // an <img src=x> made from text would have failed to load by now
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.locator('b', { hasText: 'bold' })).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

async function clearNotices(page: Page) {
  const dismiss = page.getByRole('button', { name: 'Dismiss notice' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

async function saveModel(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
  return readFileSync(await download.path(), 'utf8');
}

async function stepOnce(page: Page) {
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('header-step')).toHaveText('1');
}

/** `n` items spread evenly over `items`. */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, k) => items[Math.floor((k * items.length) / n)]);
}

const CONTROL_OF: Record<string, string> = { seed: 'ctl-seed', hiddenSize: 'ctl-hidden' };

test('malformed links: the page renders, says what it dropped and keeps the rest', async ({ page }) => {
  test.setTimeout(60_000);
  const w = watch(page);
  const all = linkCases().filter((c) => c.browser);
  const kinds = [...new Set(all.map((c) => c.kind))];
  const picked: LinkCase[] = kinds.flatMap((kind) => spread(all.filter((c) => c.kind === kind), 2));
  picked.push(...spread(all.filter((c) => c.kind === 'huge' || c.kind === 'unicode'), 4));
  expect(picked.length).toBeGreaterThanOrEqual(24);
  for (const c of picked) {
    await page.goto(`/?${c.query}`, { waitUntil: 'domcontentloaded' });
    await expect(page.getByRole('heading', { level: 1 }), c.name).toHaveText('RNN Playground');
    await expect(page.locator('li.st-notice[data-code="url"]'), c.name).toContainText('Some settings in the link could not be used');
    for (const [key, value] of Object.entries(c.kept)) if (CONTROL_OF[key]) await expect(page.getByTestId(CONTROL_OF[key]), c.name).toHaveValue(String(value));
    await w.check(c.name);
  }
  // User text in a value, a key and a lesson name: quoted as text in the notice.
  await page.goto(`/?cell=${enc(XSS)}&${enc(XSS)}=1&lesson=${enc(XSS)}&seed=4242`);
  const notice = page.locator('li.st-notice[data-code="url"]');
  await expect(notice).toContainText('<img src=x onerror=');
  await expect(page.getByTestId('ctl-seed')).toHaveValue('4242');
  await expectNoHtmlFromUserText(page);
  await w.check('xss link');
});

test('malformed model files: each refused with a notice; settings and weights unchanged', async ({ page }) => {
  test.setTimeout(60_000);
  const w = watch(page);
  await page.goto('/?backend=reference&h=6&seed=3&len=8');
  await stepOnce(page); // a trained step, so the weights are not just the seed's
  const settings = async () => Promise.all(['ctl-task', 'ctl-cell', 'ctl-hidden', 'ctl-layers', 'ctl-seed', 'ctl-length', 'ctl-backend'].map((id) => page.getByTestId(id).inputValue()));
  const before = await settings();
  expect(before).toEqual(['echo', 'rnn', '6', '1', '3', '8', 'reference']);
  const good = await saveModel(page);

  const all = modelFileCases(good, { heavy: false });
  const byKind = (kind: ModelCase['kind'], n: number) => spread(all.filter((c) => c.kind === kind), n);
  const picked = [...byKind('header', 2), ...byKind('size', 2), ...byKind('state-dict', 2), ...byKind('tensor', 3), ...byKind('text', 3), ...byKind('deep', 3), ...byKind('huge', 1), ...all.filter((c) => c.kind === 'xss' && /format|extra key/.test(c.name))];
  expect(picked.length).toBeGreaterThanOrEqual(15);
  const input = page.getByTestId('load-model-input');
  for (const c of picked) {
    await clearNotices(page);
    await input.setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(c.text) });
    const notice = page.locator('li.st-notice[data-code="bad-model-file"]');
    await expect(notice, c.name).toHaveCount(1);
    await expect(notice, c.name).toHaveText(c.want);
    await expect(notice, c.name).toContainText('Your current model and settings are unchanged.');
    expect(await settings(), c.name).toEqual(before);
    await expect(page.getByTestId('header-step'), c.name).toHaveText('1');
    expect(await saveModel(page), c.name).toBe(good);
    await w.check(c.name);
  }
  // A key name with markup in it is shown as text.
  await expect(page.locator('li.st-notice[data-code="bad-model-file"]')).toContainText('unexpected "<img src=x onerror=');
  await expectNoHtmlFromUserText(page);
});

test('bad pasted texts: a notice, no crash, the run unchanged; user text stays text', async ({ page }) => {
  test.setTimeout(60_000);
  const w = watch(page);
  await page.goto('/?task=char_lm&len=20&h=6&batch=4&backend=reference');
  await stepOnce(page);
  const good = await saveModel(page);
  const box = page.locator('#user-text');
  const train = page.getByRole('button', { name: 'Train on this text' });

  // Refused by the worker: a textarea holds no NUL and no lone surrogates, so those stay in Node.
  const names = ['a space', 'whitespace', 'line separators', 'one character', 'one emoji', 'one emoji repeated', '199 characters', '199 astral characters (398 UTF-16 units)', 'CRLF pairs counted once', 'a short XSS', 'one letter repeated', 'zero-width spaces'];
  const cases = textCases(20).filter((c) => names.includes(c.name));
  expect(cases.length).toBe(names.length);
  for (const c of cases) {
    await clearNotices(page);
    await box.fill(c.text);
    await train.click();
    const notice = page.locator('li.st-notice[data-code="bad-text"]');
    await expect(notice, c.name).toHaveCount(1);
    await expect(notice, c.name).toHaveText(c.refused!);
    await expect(page.getByTestId('ctl-task')).toHaveValue('char_lm');
    await expect(page.getByTestId('header-step'), c.name).toHaveText('1');
    await w.check(c.name);
  }
  expect(await saveModel(page)).toBe(good);
  await expectNoHtmlFromUserText(page);

  // Refused by the page: nothing to send, or over the limit (the button is disabled and says why).
  await box.fill('');
  await expect(train).toBeDisabled();
  await box.fill('ab'.repeat(500_001));
  await expect(page.getByText(/Too long: 1.000.002 characters \(limit 1.000.000\)/)).toBeVisible();
  await expect(train).toBeDisabled();

  // Accepted: markup as a corpus trains like any text, and is shown only as text.
  await box.fill(`${XSS} <script>window.__xss=2</script> `.repeat(6));
  await train.click();
  await expect(page.getByTestId('header-step')).toHaveText('0');
  await stepOnce(page);
  await expectNoHtmlFromUserText(page);
  await w.check('xss text');
});
