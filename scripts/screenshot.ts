/**
 * Screenshots of the running app, to look at what we built:
 *   npx tsx scripts/screenshot.ts URL OUT.png [WIDTHxHEIGHT] [secondsOfTraining]
 * (start `npx vite preview --port 4173` first). Clicks Play when training seconds > 0.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';

const [url = 'http://127.0.0.1:4173/', out = '/tmp/shot.png', size = '1280x720', seconds = '5'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width, height } });
page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
page.on('pageerror', (e) => console.error('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
if (Number(seconds) > 0) {
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(Number(seconds) * 1000);
}
await page.screenshot({ path: out });
console.log(`saved ${out}`);
await browser.close();
