/**
 * Screenshots of the running app, to look at what we built:
 *   npx tsx scripts/screenshot.ts URL OUT.png [WIDTHxHEIGHT] [secondsOfTraining] [full]
 * (start `npx vite preview --port 4173` first). Clicks Play when training seconds > 0 (the
 * side-by-side view's "Play both" in a comparison lesson); `full` captures the whole scrolled page.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';

const [url = 'http://127.0.0.1:4173/', out = '/tmp/shot.png', size = '1280x720', seconds = '5', full = ''] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width, height } });
page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
page.on('pageerror', (e) => console.error('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
if (Number(seconds) > 0) {
  const both = page.getByTestId('compare-play');
  if (await both.count()) await both.click();
  else await page.getByRole('button', { name: 'Play' }).first().click();
  await page.waitForTimeout(Number(seconds) * 1000);
}
await page.screenshot({ path: out, fullPage: full === 'full' });
console.log(`saved ${out}`);
await browser.close();
