/**
 * The plan of a recorded clip, pure so it is tested in Node: how many frames and at which times
 * (the clip's own clock, set by us, not the wall clock), the video's pixel size (even both ways,
 * as VP8's 4:2:0 chroma needs, and capped for a slide), where each frame's picture sits in it,
 * the file's name and the words the menu item shows.
 */

/** Frames per second of a clip: a training curve moves smoothly enough; each frame is a full capture. */
export const CLIP_FPS = 10;
/** The clip the menu records, in seconds of video. */
export const CLIP_SECONDS = 5;
/** The largest video, in pixels each way: sharp on a 1280 × 720 slide, small as a file. */
export const CLIP_MAX_SIZE = 1280;
/** Device pixels per CSS pixel at most, as the PNG export (EXPORT_SCALE). */
export const CLIP_MAX_SCALE = 2;

/** Number of frames in a clip of `seconds` at `fps` (at least 1). */
export function frameCount(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/** Frame i's timestamp in seconds on the clip's own clock: i / fps, whenever it was captured. */
export const frameTime = (i: number, fps: number): number => i / fps;

/** The clip's length in seconds when it holds `frames` frames: each lasts 1 / fps. */
export const clipDuration = (frames: number, fps: number): number => frames / fps;

/**
 * The video's size for a figure of `width` × `height` CSS px: `maxScale` device px per CSS px
 * where that fits in `maxSize` each way, less where not (the aspect kept), then rounded down to
 * even numbers, at least 2 × 2. `scale` is what the figure is drawn at.
 */
export function videoSize(width: number, height: number, maxSize = CLIP_MAX_SIZE, maxScale = CLIP_MAX_SCALE): { width: number; height: number; scale: number } {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const scale = Math.min(maxScale, maxSize / w, maxSize / h);
  const even = (v: number) => Math.max(2, 2 * Math.floor(Math.min(maxSize, v) / 2));
  return { width: even(w * scale), height: even(h * scale), scale };
}

/**
 * Where a picture of w × h goes in a frame of W × H: as large as fits with its aspect kept,
 * centred across and at the top (a panel that grew taller during the clip shrinks a little
 * instead of being cut off; one that shrank leaves a band of background under it).
 */
export function fitTop(w: number, h: number, W: number, H: number): { x: number; y: number; width: number; height: number } {
  const s = Math.min(W / Math.max(w, 1e-9), H / Math.max(h, 1e-9));
  const width = w * s;
  const height = h * s;
  return { x: (W - width) / 2, y: 0, width, height };
}

/** The clip's file name, as the panel's other exports are named (rnn-playground-<id>.<ext>). */
export const clipFileName = (id: string): string => `rnn-playground-${id}.webm`;

/** What a recording is doing, for the menu item. */
export type RecordState = { kind: 'idle' } | { kind: 'starting' } | { kind: 'recording'; frames: number; total: number; fps: number } | { kind: 'saving' };

/** The menu item's words for a state. */
export function recordLabel(state: RecordState, seconds = CLIP_SECONDS): string {
  switch (state.kind) {
    case 'idle':
      return `Record ${seconds} s clip (WebM)`;
    case 'starting':
      return 'Starting the recording…';
    case 'recording':
      return `Recording ${clipDuration(state.frames, state.fps).toFixed(1)} / ${clipDuration(state.total, state.fps).toFixed(1)} s`;
    case 'saving':
      return 'Saving the clip…';
  }
}
