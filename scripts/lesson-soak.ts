/**
 * Lesson soak: the single-run lessons play side by side in one browser for many minutes, and
 * every `--every` seconds their claims (as the page ticks them), their step and any stall or crash
 * notice are sampled. A lesson is true for a lecture when every claim holds at the end and no
 * sample after the first minute shows a claim that held falling back, and nothing stalled.
 *   npx tsx scripts/lesson-soak.ts [--minutes 10] [--every 30] [--lessons vanishing,char-lm,streaming]
 * Builds the app into dist-soak and serves it on 127.0.0.1:4194; prints a table and a summary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const minutes = Number(arg('minutes', '10'));
const every = Number(arg('every', '30'));
const lessons = arg('lessons', 'vanishing,char-lm,streaming').split(',');
const PORT = 4194;

if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--outDir', 'dist-soak', '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-soak', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));

// One browser per lesson: in one headless Chromium on SwiftShader, a third tab's worker waits on
// the shared software GPU process (WebGL context creation is a synchronous call there) while two
// others animate, and never starts; separate browsers have separate GPU processes.
const browsers: Awaited<ReturnType<typeof chromium.launch>>[] = [];
const pages: { id: string; page: Page; errors: string[] }[] = [];
for (const id of lessons) {
  const browser = await chromium.launch(chromiumLaunchOptions());
  browsers.push(browser);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${PORT}/?lesson=${id}`);
  await page.getByTestId('lesson-claims').waitFor({ timeout: 60_000 }).catch(() => {});
  await page.getByTestId('play').click();
  pages.push({ id, page, errors });
}

interface Sample {
  t: number;
  step: number;
  holds: boolean[];
  stalls: number;
}
const samples = new Map<string, Sample[]>(lessons.map((id) => [id, []]));
const read = async (page: Page) => ({
  step: Number(await page.getByTestId('header-step').textContent()),
  holds: (await page.locator('[data-testid^="claim-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-holds') === '1'))) as boolean[],
  stalls: await page.getByText(/stopped responding|training worker stopped/).count(),
});
console.log(`| minute | ${lessons.map((id) => `${id}: step, claims held`).join(' | ')} |`);
console.log(`| ---: | ${lessons.map(() => '---').join(' | ')} |`);
const t0 = Date.now();
while ((Date.now() - t0) / 60000 < minutes) {
  await new Promise((r) => setTimeout(r, every * 1000));
  const t = (Date.now() - t0) / 60000;
  const cells: string[] = [];
  for (const { id, page } of pages) {
    const s = { t, ...(await read(page)) };
    samples.get(id)?.push(s);
    cells.push(`${s.step}, ${s.holds.filter(Boolean).length}/${s.holds.length}${s.stalls ? `, ${s.stalls} stall notice(s)` : ''}`);
  }
  console.log(`| ${t.toFixed(1)} | ${cells.join(' | ')} |`);
}
let ok = true;
for (const { id, errors } of pages) {
  const ss = samples.get(id) ?? [];
  const last = ss.at(-1);
  const fellBack = ss.filter((s) => s.t > 1).some((s, i, all) => i > 0 && s.holds.some((h, k) => !h && all[i - 1].holds[k]));
  const allHold = !!last && last.holds.length > 0 && last.holds.every(Boolean);
  const stalled = ss.some((s) => s.stalls > 0);
  const pass = allHold && !fellBack && !stalled && errors.length === 0;
  ok &&= pass;
  console.log(`${id}: ${pass ? 'PASS' : 'FAIL'} — ${last?.step ?? 0} steps; every claim holds at the end: ${allHold}; a claim fell back after minute 1: ${fellBack}; stalls: ${stalled}; page errors: ${errors.length}`);
}
for (const b of browsers) await b.close();
try {
  process.kill(-(server.pid as number));
} catch {
  server.kill();
}
process.exit(ok ? 0 : 1);
