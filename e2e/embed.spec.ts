/**
 * `?embed=PANEL`: one panel with a play bar, filling its frame; it trains inside a reveal.js slide
 * (the real reveal.js, which scales slides with a CSS transform and loads iframes as a slide
 * shows), and the panel's "Copy embed code" gives the `<iframe>` for this run.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const reveal = (file: string) => readFileSync(`node_modules/reveal.js/dist/${file}`, 'utf8');

test('an embedded panel trains inside a reveal.js slide, sized to its frame', async ({ page, baseURL }) => {
  const src = `${baseURL}/?embed=training&task=adding&len=10&h=8&backend=wasm`;
  // The deck is served from the app's origin (any path the app does not claim) so the frame's
  // worker and wasm load as on a lecturer's own site.
  await page.route('**/deck.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><style>${reveal('reveal.css')}</style></head><body>
        <div class="reveal"><div class="slides">
          <section><h2>Vanishing gradients</h2></section>
          <section><iframe data-testid="frame" data-src="${src}" width="800" height="500" style="border:0"></iframe></section>
        </div></div>
        <script>${reveal('reveal.js')}</script>
        <script>Reveal.initialize({ width: 960, height: 700, hash: false }).then(() => { window.deckReady = true; });</script>
      </body></html>`,
    }),
  );
  await page.goto(`${baseURL}/deck.html`);
  await page.waitForFunction(() => (window as unknown as { deckReady?: boolean }).deckReady === true);
  await page.evaluate(() => (window as unknown as { Reveal: { next(): void } }).Reveal.next());
  const frame = page.frameLocator('[data-testid="frame"]');
  await expect(frame.getByTestId('embed')).toBeVisible({ timeout: 30_000 });
  // One panel, no settings column, no other panels.
  await expect(frame.getByTestId('panel-training')).toBeVisible();
  expect(await frame.locator('.panel').count()).toBe(1);
  // It fills the frame: the panel reaches the frame's bottom edge, and nothing scrolls sideways.
  // Polled, not read once: the panel's charts size themselves after the first paint, and how soon
  // that is depends on the machine, not on the layout being right.
  const measure = () =>
    frame.locator('body').evaluate(() => {
      const panel = document.querySelector('.panel') as HTMLElement;
      return { bottom: Math.round(panel.getBoundingClientRect().bottom), height: innerHeight, width: innerWidth, scrollW: document.documentElement.scrollWidth };
    });
  await expect.poll(async () => Math.abs((await measure()).bottom - 500), { timeout: 30_000 }).toBeLessThanOrEqual(2);
  const fit = await measure();
  expect(fit.width).toBe(800);
  expect(fit.height).toBe(500);
  expect(Math.abs(fit.bottom - fit.height)).toBeLessThanOrEqual(2);
  expect(fit.scrollW).toBeLessThanOrEqual(fit.width);
  // Its play bar drives the run: three single steps are three updates (counted, each awaited before
  // the next click, so no click can land while a step runs however slow the machine).
  for (let i = 1; i <= 3; i++) {
    await frame.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(frame.getByTestId('header-step')).toHaveText(String(i), { timeout: 30_000 });
  }
  // The way out: the whole playground on the same settings.
  expect(await frame.getByRole('link', { name: /Open in RNN Playground/ }).getAttribute('href')).toMatch(/task=adding.*len=10/);
  expect(await frame.getByRole('link', { name: /Open in RNN Playground/ }).getAttribute('href')).not.toContain('embed=');
});

test("a panel's Copy embed code gives the iframe of this run; a bad panel name is told", async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?task=adding&h=12');
  const panel = page.getByTestId('panel-gradient-norms');
  await panel.getByText('Export').click();
  await panel.getByTestId('embed-code-gradient-norms').click();
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toMatch(/^<iframe src="[^"]+" title="RNN Playground: Gradient norm by time step" width="800" height="500"/);
  const link = new URL(code.match(/src="([^"]+)"/)![1].replace(/&amp;/g, '&'));
  expect(link.searchParams.get('embed')).toBe('gradient-norms');
  expect(link.searchParams.get('task')).toBe('adding');
  expect(link.searchParams.get('h')).toBe('12');
  await page.goto(`${baseURL}${link.pathname}${link.search}`);
  await expect(page.getByTestId('embed')).toBeVisible();
  await expect(page.getByTestId('panel-gradient-norms')).toBeVisible();

  await page.goto('/?embed=nosuch');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('RNN Playground');
  await expect(page.getByText(/There is no panel "nosuch" to embed/)).toBeVisible();
});
