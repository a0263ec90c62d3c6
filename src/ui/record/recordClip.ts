/**
 * Records a panel as a WebM clip. Each frame is the panel's figure exactly as its image export
 * composes it (exportCapture.ts → exportCompose.ts: title, step, charts, text) drawn on one canvas,
 * then encoded with WebCodecs (VideoEncoder, VP8, else VP9) at a timestamp we set, frame i at
 * i / fps: the file's clock is ours, not the screen's, so the clip holds exactly the frames it
 * says. Frames are captured no faster than fps in real time, and later when a capture takes
 * longer (a slow machine records for longer; the clip still lasts frames / fps). The muxing into
 * WebM is mediabunny's, loaded only when a clip is recorded.
 */
import { captureScene, svgImage } from '../exportCapture';
import { sceneSize, sceneSvg } from '../exportCompose';
import { fitTop, frameCount, frameTime, videoSize, CLIP_MAX_SCALE } from './clipPlan';

export interface ClipRequest {
  title: string;
  /** the panel's content: what each frame shows */
  root: HTMLElement;
  /** the subtitle at the moment a frame is taken, e.g. "RNN Playground · step 664" */
  subtitle: () => string;
  seconds: number;
  fps: number;
  /** after each frame: how many are in the clip so far, of how many */
  onProgress: (frames: number, total: number) => void;
  /** Stop: the clip ends with the frames taken so far, and is saved */
  stop: AbortSignal;
}

export interface Clip {
  blob: Blob;
  /** frames in the file; the clip lasts frames / fps seconds */
  frames: number;
  width: number;
  height: number;
  codec: 'vp8' | 'vp9';
}

/** Why this browser cannot record a clip, in words; null when it can try. */
export function recordingUnsupported(): string | null {
  if (typeof VideoEncoder !== 'function' || typeof VideoFrame !== 'function')
    return 'this browser cannot encode video (it has no WebCodecs VideoEncoder)';
  return null;
}

/** The codec the browser encodes at this size: VP8, else VP9; null when neither. */
async function pickCodec(width: number, height: number, fps: number): Promise<'vp8' | 'vp9' | null> {
  for (const [codec, full] of [['vp8', 'vp8'], ['vp9', 'vp09.00.10.08']] as const) {
    try {
      const { supported } = await VideoEncoder.isConfigSupported({ codec: full, width, height, bitrate: 2_000_000, framerate: fps });
      if (supported) return codec;
    } catch {
      // a codec string this browser does not know: try the next
    }
  }
  return null;
}

/** Waits `ms`, or less when the recording is stopped. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || stop.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done);
  });
}

/** Longest wait for one step of a recording (a frame drawn, encoded, the file written): none can hang. */
const STEP_LIMIT_MS = 30_000;

/** `work`, or an error in words if it has not finished within STEP_LIMIT_MS. */
function answered<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${STEP_LIMIT_MS / 1000} s`)), STEP_LIMIT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The panel's figure now, as a loaded image, its size in CSS px, and its background colour. */
async function figure(req: ClipRequest, scale: number) {
  const r = req.root.getBoundingClientRect();
  if (!req.root.isConnected || r.width < 1 || r.height < 1) throw new Error('the panel left the screen during the recording');
  const scene = captureScene(req.root, req.title, req.subtitle(), scale);
  if (!scene.items.length) throw new Error('the panel shows nothing yet');
  return { image: await svgImage(sceneSvg(scene)), ...sceneSize(scene), background: scene.background };
}

/** Records the clip; throws with the reason in words when it cannot. */
export async function recordClip(req: ClipRequest): Promise<Clip> {
  const unsupported = recordingUnsupported();
  if (unsupported) throw new Error(unsupported);
  const total = frameCount(req.seconds, req.fps);
  const start = performance.now();
  // The first frame fixes the video's size; later frames are fitted into it.
  let shot = await answered(figure(req, CLIP_MAX_SCALE), 'drawing the panel');
  const size = videoSize(shot.width, shot.height);
  const codec = await pickCodec(size.width, size.height, req.fps);
  if (!codec) throw new Error(`this browser cannot encode VP8 or VP9 video at ${size.width} × ${size.height}`);
  const canvas = document.createElement('canvas');
  canvas.width = size.width; // pixels: even both ways, at most CLIP_MAX_SIZE
  canvas.height = size.height;
  // A canvas in memory, not on the GPU: a VideoFrame of it is a copy, where a GPU canvas waits on a
  // GPU process busy drawing the training page (measured while training headless: up to 10 s a frame,
  // against 60 ms).
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser gave no 2D canvas to draw the frames on');
  const { Output, WebMOutputFormat, BufferTarget, CanvasSource, QUALITY_HIGH } = await import('mediabunny');
  const target = new BufferTarget();
  const output = new Output({ format: new WebMOutputFormat(), target });
  const source = new CanvasSource(canvas, { codec, quality: QUALITY_HIGH, keyFrameInterval: 1 });
  output.addVideoTrack(source, { frameRate: req.fps });
  await output.start();
  let frames = 0;
  try {
    for (let i = 0; i < total; i++) {
      if (i > 0) {
        await pause(start + (i * 1000) / req.fps - performance.now(), req.stop);
        if (req.stop.aborted) break;
        shot = await answered(figure(req, size.scale), 'drawing the panel');
      }
      const at = fitTop(shot.width, shot.height, size.width, size.height);
      ctx.fillStyle = shot.background;
      ctx.fillRect(0, 0, size.width, size.height);
      ctx.drawImage(shot.image, at.x, at.y, at.width, at.height);
      await answered(source.add(frameTime(i, req.fps), 1 / req.fps), 'the video encoder');
      frames = i + 1;
      req.onProgress(frames, total);
    }
    await answered(output.finalize(), 'writing the file');
  } catch (e) {
    await output.cancel().catch(() => undefined);
    throw e;
  }
  if (!target.buffer) throw new Error('the encoder gave no file');
  return { blob: new Blob([target.buffer], { type: 'video/webm' }), frames, width: size.width, height: size.height, codec };
}
