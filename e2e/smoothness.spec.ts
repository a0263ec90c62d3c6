/**
 * The main thread stays smooth while the worker trains at full speed: no task over 50 ms, and the
 * page keeps drawing.
 *
 * Run with Chromium's own software compositor, as on a laptop without a GPU: the SwiftShader flags
 * the other tests need (WebGL2/WebGPU in a worker) emulate a GPU for compositing too, which caps any
 * animated page at ~5 fps on 2 cores and says nothing about what a user sees.
 */
import { test, expect } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';

const base = chromiumLaunchOptions();
test.use({ launchOptions: { ...base, args: (base.args ?? []).filter((a) => !a.includes('swiftshader')) } });

test('the main thread has no task over 50 ms and keeps drawing while training runs at full speed', async ({ page }) => {
  await page.goto('/?backend=reference');
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; frames: number };
    w.longTasks = [];
    w.frames = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
    const tick = () => {
      w.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(1500); // start-up (first frames, first analysis) is not the steady state
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; frames: number };
    w.longTasks = [];
    w.frames = 0;
  });
  await page.waitForTimeout(5000);
  const { longTasks, frames } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; frames: number };
    return { longTasks: [...w.longTasks], frames: w.frames };
  });
  const steps = Number(await page.getByTestId('header-step').textContent());
  expect(steps).toBeGreaterThan(50);
  expect(Math.max(0, ...longTasks)).toBeLessThanOrEqual(50);
  expect(frames / 5).toBeGreaterThan(30);
});
