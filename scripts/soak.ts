/**
 * Soak: the app trains at full speed for a long time while the page's and the worker's heaps and
 * the frame rate are sampled; they must stay flat (bounded histories) and steady.
 *   npx tsx scripts/soak.ts [--minutes 30] [--every 30] [--query "?backend=wasm"]
 * Builds the app, serves it with vite preview on 127.0.0.1:4193, drives Debian's Chromium with its
 * own software compositor (as a laptop without a GPU), and prints one row per sample plus a
 * summary (heap growth per hour from a least-squares fit of the second half).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const minutes = Number(arg('minutes', '30'));
const every = Number(arg('every', '30'));
const query = arg('query', '?backend=wasm');
const PORT = 4193;

if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--outDir', 'dist-soak', '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-soak', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));

const base = chromiumLaunchOptions();
const browser = await chromium.launch({ ...base, args: [...(base.args ?? []).filter((a) => !a.includes('swiftshader')), '--enable-precise-memory-info'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(`http://127.0.0.1:${PORT}/${query}`);
await page.waitForTimeout(2000);
await page.getByTestId('play').click();

const heap = 'performance.memory ? performance.memory.usedJSHeapSize : NaN';

/** The worker's JS heap through the browser's DevTools protocol (workers have no performance.memory):
 *  attach to the worker target and ask Runtime.getHeapUsage through Target.sendMessageToTarget. */
const browserCdp = await browser.newBrowserCDPSession();
let workerSession: string | null = null;
let msgId = 0;
const pending = new Map<number, (v: number) => void>();
browserCdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
  const m = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
  if (m.id !== undefined) pending.get(m.id)?.(m.result?.usedSize ?? NaN);
});
async function workerHeapBytes(): Promise<number> {
  if (!workerSession) {
    const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
    const w = targetInfos.find((t) => t.type === 'worker');
    if (!w) return NaN;
    workerSession = ((await browserCdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false })) as { sessionId: string }).sessionId;
  }
  const id = ++msgId;
  const answer = new Promise<number>((res) => {
    pending.set(id, res);
    setTimeout(() => res(NaN), 5000);
  });
  await browserCdp.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
  return answer;
}
const fpsProbe = `new Promise((res) => { let n = 0; const t0 = performance.now(); function tick() { n++; if (performance.now() - t0 < 2000) requestAnimationFrame(tick); else res(n / 2); } requestAnimationFrame(tick); })`;
const rows: { t: number; step: number; pageMB: number; workerMB: number; fps: number }[] = [];
console.log('| minute | step | steps/s | page heap MB | worker heap MB | fps |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
const t0 = Date.now();
let lastStep = 0;
let lastT = 0;
while ((Date.now() - t0) / 60000 < minutes) {
  await page.waitForTimeout(every * 1000);
  await page.requestGC?.();
  const t = (Date.now() - t0) / 60000;
  const step = Number(await page.getByTestId('header-step').textContent());
  const pageMB = ((await page.evaluate(heap)) as number) / 2 ** 20;
  const workerMB = (await workerHeapBytes()) / 2 ** 20;
  const fps = (await page.evaluate(fpsProbe)) as number;
  const rate = (step - lastStep) / ((t - lastT) * 60);
  rows.push({ t, step, pageMB, workerMB, fps });
  console.log(`| ${t.toFixed(1)} | ${step} | ${rate.toFixed(0)} | ${pageMB.toFixed(1)} | ${workerMB.toFixed(1)} | ${fps.toFixed(0)} |`);
  lastStep = step;
  lastT = t;
}

/** MB per hour from a least-squares line through the second half of the samples. */
function slopePerHour(key: 'pageMB' | 'workerMB'): number {
  const pts = rows.slice(Math.floor(rows.length / 2)).filter((r) => Number.isFinite(r[key]));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((a, r) => a + r.t, 0) / pts.length;
  const my = pts.reduce((a, r) => a + r[key], 0) / pts.length;
  const num = pts.reduce((a, r) => a + (r.t - mx) * (r[key] - my), 0);
  const den = pts.reduce((a, r) => a + (r.t - mx) ** 2, 0);
  return (num / den) * 60;
}
const fps = rows.map((r) => r.fps);
console.log(`\nsummary: ${rows.at(-1)?.step ?? 0} steps in ${minutes} min; page heap ${rows[0]?.pageMB.toFixed(1)} → ${rows.at(-1)?.pageMB.toFixed(1)} MB (second-half trend ${slopePerHour('pageMB').toFixed(1)} MB/h); worker heap ${rows[0]?.workerMB.toFixed(1)} → ${rows.at(-1)?.workerMB.toFixed(1)} MB (${slopePerHour('workerMB').toFixed(1)} MB/h); fps min ${Math.min(...fps).toFixed(0)}, median ${[...fps].sort((a, b) => a - b)[Math.floor(fps.length / 2)].toFixed(0)}; page errors: ${errors.length}`);
await browser.close();
try {
  process.kill(-(server.pid as number));
} catch {
  server.kill();
}
