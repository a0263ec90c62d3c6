/**
 * After one visit the playground works with no network: the service worker has cached the build,
 * the corpus and the wasm kernels, and a reload, a lesson link and the character model all open
 * and train offline.
 */
import { expect, test } from '@playwright/test';

// The other specs block service workers (so every page load is the network's); this one needs it.
test.use({ serviceWorkers: 'allow' });

test('after one visit, the app, a lesson and the corpus open and train offline', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Playground');
  // Installed and in control, with every listed file cached.
  const cached = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const list = (await (await fetch('precache.json')).json()) as string[];
    const names = await caches.keys();
    const keys = names.length === 1 ? await (await caches.open(names[0])).keys() : [];
    return { listed: list.length, cached: keys.length, caches: names.length, wasm: list.some((p) => p.endsWith('.wasm')), corpus: list.includes('text/kjv-genesis.txt') };
  });
  expect(cached).toEqual({ listed: cached.listed, cached: cached.listed, caches: 1, wasm: true, corpus: true });
  expect(cached.listed).toBeGreaterThan(10);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  expect(await page.evaluate(() => fetch('/index.html', { cache: 'no-store' }).then(() => 'cached', () => 'failed'))).toBe('cached');
  expect(await page.evaluate(() => fetch('https://example.com/').then(() => 'online', () => 'offline'))).toBe('offline');

  await page.goto('/?lesson=vanishing');
  await expect(page.getByTestId('lesson-narration')).toBeVisible();
  await expect(page.getByTestId('lesson-claims')).toBeVisible({ timeout: 30_000 });
  for (const link of ['/?backend=wasm', '/?task=char_lm&backend=wasm']) {
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Playground');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 30_000 }).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Pause' }).click();
  }
  expect(errors).toEqual([]);
});
