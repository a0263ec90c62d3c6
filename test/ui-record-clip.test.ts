/**
 * The plan of a recorded clip (src/ui/record/clipPlan.ts): frames and their timestamps on the
 * clip's own clock, the video's size (even both ways for VP8, capped for a slide, aspect kept),
 * where a frame's picture sits when the panel's height changed, the file name and the item's words.
 */
import { describe, expect, it } from 'vitest';
import { clipDuration, clipFileName, fitTop, frameCount, frameTime, recordLabel, videoSize, CLIP_FPS, CLIP_SECONDS } from '../src/ui/record/clipPlan';

describe('clip plan', () => {
  it('a 5 s clip at 10 fps is 50 frames at 0, 0.1, …, 4.9 s and lasts 5 s', () => {
    const n = frameCount(CLIP_SECONDS, CLIP_FPS);
    expect(n).toBe(50);
    const times = Array.from({ length: n }, (_, i) => frameTime(i, CLIP_FPS));
    expect(times[0]).toBe(0);
    expect(times[49]).toBeCloseTo(4.9, 12);
    // evenly spaced, by 1 / fps
    for (let i = 1; i < n; i++) expect(times[i] - times[i - 1]).toBeCloseTo(0.1, 12);
    expect(clipDuration(n, CLIP_FPS)).toBe(5);
    expect(frameCount(0, 10)).toBe(1);
    expect(frameCount(2.04, 10)).toBe(20);
  });

  it('the video is twice the CSS size where that fits, even both ways', () => {
    // a laptop panel: 611.5 × 301.25 CSS px → 1223 × 602.5 px → 1222 × 602
    expect(videoSize(611.5, 301.25)).toEqual({ width: 1222, height: 602, scale: 2 });
    expect(videoSize(3, 3)).toEqual({ width: 6, height: 6, scale: 2 });
    expect(videoSize(0.2, 0.2)).toEqual({ width: 2, height: 2, scale: 2 });
  });

  it('a wide or tall panel is scaled down into 1280 px with its aspect kept, still even', () => {
    const wide = videoSize(1001, 401); // scale 1280 / 1001
    expect(wide.scale).toBeCloseTo(1280 / 1001, 12);
    expect(wide.width).toBe(1280);
    expect(wide.height).toBe(2 * Math.floor((401 * 1280) / 1001 / 2)); // 512.76 → 512
    expect(wide.height % 2).toBe(0);
    const tall = videoSize(390, 1700); // a phone panel that scrolls
    expect(tall.height).toBe(1280);
    expect(tall.width).toBe(2 * Math.floor((390 * 1280) / 1700 / 2)); // 293.6 → 292
    for (const [w, h] of [
      [333.3, 777.7],
      [1919, 1079],
      [641, 359],
    ]) {
      const s = videoSize(w, h);
      expect(s.width % 2 + (s.height % 2)).toBe(0);
      expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(1280);
      expect(Math.abs(s.width / s.height - w / h)).toBeLessThan(0.01 * (w / h) + 2 / s.height);
    }
  });

  it('a picture that grew taller is shrunk into the frame, centred; one that shrank sits at the top', () => {
    // the first frame fixed 1222 × 602; the panel is now 1222 × 702 px tall
    const taller = fitTop(1222, 702, 1222, 602);
    expect(taller.height).toBeCloseTo(602, 9);
    expect(taller.width).toBeCloseTo((1222 * 602) / 702, 9);
    expect(taller.x).toBeCloseTo((1222 - taller.width) / 2, 9);
    expect(taller.y).toBe(0);
    // now 1222 × 502: full width, a band of background under it
    expect(fitTop(1222, 502, 1222, 602)).toEqual({ x: 0, y: 0, width: 1222, height: 502 });
    // the same size: drawn as is
    expect(fitTop(1223, 602.5, 1222, 602).width).toBeCloseTo(1222, 1);
  });

  it('the file is named as the other exports; the item says what it does and how far it is', () => {
    expect(clipFileName('gradient-norms')).toBe('rnn-playground-gradient-norms.webm');
    expect(recordLabel({ kind: 'idle' })).toBe('Record 5 s clip (WebM)');
    expect(recordLabel({ kind: 'recording', frames: 21, total: 50, fps: 10 })).toBe('Recording 2.1 / 5.0 s');
    expect(recordLabel({ kind: 'saving' })).toBe('Saving the clip…');
  });
});
