/**
 * Export → Record 5 s clip (WebM): the download is a real WebM (EBML magic; read by our own
 * reader, e2e/webmFile.ts, not the library that wrote it: 10 frames a second at the timestamps
 * the recorder set, the first a key frame), the browser's own <video> plays it back with the
 * duration those timestamps give, and its decoded frames show the panel changing as it trained.
 * Stop saves what is recorded; with training paused the clip shows what is on screen; a browser
 * without a video encoder is told so in words.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { readWebm, type WebmSummary } from './webmFile';

const URL_ = '/?task=adding&len=10&h=8&backend=wasm';

/**
 * The clip as the browser sees it: its <video> element's duration (Chromium's own demuxer), and
 * every frame decoded by the browser's VideoDecoder from the blocks our reader found: how many
 * frames came out, and how the first and the last compare.
 */
async function decode(page: Page, bytes: Buffer, file: WebmSummary) {
  const codec = file.codec === 'V_VP8' ? 'vp8' : 'vp09.00.10.08';
  const chunks = file.frames.map((f) => ({ key: f.key, us: Math.round(f.time * 1e6), b64: Buffer.from(f.data).toString('base64') }));
  return page.evaluate(
    async ({ b64, codec, chunks }) => {
      const bin = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const video = document.createElement('video');
      const url = URL.createObjectURL(new Blob([bin(b64)], { type: 'video/webm' }));
      await new Promise<void>((resolve, reject) => {
        video.onloadedmetadata = () => resolve();
        video.onerror = () => reject(new Error(`the browser could not open the clip: ${video.error?.message}`));
        video.src = url;
      });
      URL.revokeObjectURL(url);
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const pixels: Uint8ClampedArray[] = [];
      let png = '';
      let decoded = 0;
      let failure: Error | null = null;
      const decoder = new VideoDecoder({
        output: (frame) => {
          canvas.width = frame.displayWidth;
          canvas.height = frame.displayHeight;
          ctx.drawImage(frame, 0, 0);
          frame.close();
          decoded++;
          if (!pixels.length) png = canvas.toDataURL('image/png');
          pixels.push(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
          if (pixels.length > 2) pixels.splice(1, 1); // keep the first and the latest
        },
        error: (e) => (failure = e),
      });
      decoder.configure({ codec });
      for (const c of chunks) decoder.decode(new EncodedVideoChunk({ type: c.key ? 'key' : 'delta', timestamp: c.us, data: bin(c.b64) }));
      await decoder.flush();
      if (failure) throw failure;
      const [a, b] = [pixels[0], pixels.at(-1)!];
      let differ = 0;
      let dark = 0; // opaque pixels of text and lines: a frame of the panel, not a blank one
      for (let i = 0; i < a.length; i += 4) {
        if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 60) differ++;
        if (a[i + 3] === 255 && a[i] + a[i + 1] + a[i + 2] < 300) dark++;
      }
      const n = a.length / 4;
      return { duration: video.duration, width: video.videoWidth, height: video.videoHeight, decoded, differ: differ / n, dark: dark / n, png };
    },
    { b64: bytes.toString('base64'), codec, chunks },
  );
}

/** The recorded file, checked as a WebM of `frames` frames at 10 fps; its first frame as PNG bytes. */
/** @param changed the panel changed while it recorded (a step the test took), so the last frame must differ from the first */
async function checkClip(page: Page, bytes: Buffer, frames: number, changed: boolean) {
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML magic
  expect(bytes.length).toBeGreaterThan(8 * 1024);
  const file = readWebm(bytes);
  expect(file.codec).toMatch(/^V_VP[89]$/);
  expect(file.width % 2).toBe(0);
  expect(file.height % 2).toBe(0);
  expect(file.width).toBeLessThanOrEqual(1280);
  expect(file.frames.length).toBe(frames);
  file.frames.forEach((f, i) => expect(f.time).toBeCloseTo(i / 10, 6));
  expect(file.frames[0].key).toBe(true);
  expect(file.duration).toBeCloseTo(frames / 10, 2);
  // The browser's own demuxer gives the same duration and size; its decoder gives every frame,
  // and, when the test changed the panel meanwhile, the last differs from the first.
  const shown = await decode(page, bytes, file);
  expect(shown.duration).toBeCloseTo(frames / 10, 1);
  expect(shown.width).toBe(file.width);
  expect(shown.height).toBe(file.height);
  expect(shown.decoded).toBe(frames);
  expect(shown.dark).toBeGreaterThan(0.005);
  if (changed) expect(shown.differ).toBeGreaterThan(0.0005);
  return { file, firstFrame: Buffer.from(shown.png.split(',')[1], 'base64') };
}

/**
 * The page's clock stops: from here the recorder takes a frame only when the test lets its 1/10 s
 * pass (Playwright's clock drives the page's timers, performance.now and animation frames), so
 * what the item shows while recording, and where Stop lands, never depend on the machine's speed.
 */
async function stopClock(page: Page): Promise<void> {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
}

/** Lets the page's stopped clock run, a clip frame's worth at a time, until `done` settles. */
async function runClockUntil<T>(page: Page, done: Promise<T>): Promise<T> {
  let settled = false;
  void done.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await page.clock.runFor(100);
    await new Promise((r) => setTimeout(r, 20)); // the recorder's own awaits (drawing, encoding) run in real time
  }
  return done;
}

test('a training panel records a 5 s WebM clip from its Export menu', async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.clock.install();
  await page.goto(URL_);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await page.getByTestId('header-step').textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const panel = page.getByTestId('panel-training');
  await panel.getByText('Export').click();
  const item = panel.getByTestId('record-training');
  await expect(item).toHaveText('Record 5 s clip (WebM)');
  await page.screenshot({ path: info.outputPath('menu.png') });
  await stopClock(page);
  const saved = page.waitForEvent('download', { timeout: 100_000 });
  await item.click();
  // While it records (frame i is taken no sooner than i / 10 s in), the item says how far it is and offers Stop.
  await expect(item.getByRole('status')).toHaveText('Recording 0.1 / 5.0 s');
  await expect(panel.getByTestId('record-stop-training')).toBeVisible();
  const download = await runClockUntil(page, saved);
  expect(download.suggestedFilename()).toBe('rnn-playground-training.webm');
  await page.clock.resume();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(item).toHaveText('Record 5 s clip (WebM)');
  // Whether training moved the panel during these 5 s is not checked here (the next test takes a
  // step while it records, and checks that frame by frame).
  const { file, firstFrame } = await checkClip(page, readFileSync(await download.path()), 50, false);
  expect(file.frames.at(-1)!.time).toBeCloseTo(4.9, 6);
  writeFileSync(info.outputPath('first-frame.png'), firstFrame); // to look at: test-results/…/first-frame.png
});

test('paused, Stop saves the frames so far; a step taken meanwhile shows in the clip', async ({ page }) => {
  test.setTimeout(90_000);
  await page.clock.install();
  await page.goto(URL_);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  await step.click();
  await expect(page.getByTestId('header-step')).toHaveText('1', { timeout: 30_000 });
  const panel = page.getByTestId('panel-training');
  await panel.getByText('Export').click();
  await stopClock(page);
  await panel.getByTestId('record-training').click();
  const status = panel.getByTestId('record-training').getByRole('status');
  await expect(status).toHaveText('Recording 0.1 / 5.0 s', { timeout: 30_000 });
  await page.clock.runFor(100);
  await expect(status).toHaveText('Recording 0.2 / 5.0 s', { timeout: 30_000 });
  // One step while it records: the frames taken after the page shows step 2 show step 2.
  await step.click();
  await expect(page.getByTestId('header-step')).toHaveText('2', { timeout: 30_000 });
  for (const shown of ['0.3', '0.4']) {
    await page.clock.runFor(100);
    await expect(status).toHaveText(`Recording ${shown} / 5.0 s`, { timeout: 30_000 });
  }
  const saved = page.waitForEvent('download', { timeout: 30_000 });
  await panel.getByTestId('record-stop-training').click(); // the recording stops here, in the click
  await page.clock.resume(); // the file is written on the page's timers
  const download = await saved;
  const bytes = readFileSync(await download.path());
  // Stop pressed while the item showed 0.4 s, the clock stopped: exactly those 4 frames.
  const frames = readWebm(bytes).frames.length;
  expect(frames).toBe(4);
  await checkClip(page, bytes, frames, true);
  await expect(panel.getByTestId('record-training')).toHaveText('Record 5 s clip (WebM)');
});

test('a browser with no video encoder is told so in the menu', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as { VideoEncoder?: unknown }).VideoEncoder;
  });
  await page.goto(URL_);
  const panel = page.getByTestId('panel-training');
  await panel.getByText('Export').click();
  await expect(panel.getByTestId('record-training')).toHaveText(/^No clip: this browser cannot encode video \(it has no WebCodecs VideoEncoder\)/);
});
