/**
 * Notices a training worker that says it is playing but has stopped talking: a computation that
 * never returns (the hang this was written for was an SVD on subnormal numbers), an endless loop,
 * a worker the browser froze. Pure logic with an injected clock, so Node tests drive it.
 *
 * The worker sends a frame only after the page acknowledged the previous one (back-pressure), so
 * silence counts only while the page owes nothing: from the later of the last message heard and
 * the last acknowledgement (or play) sent. A page that is not drawing (a background tab, whose
 * animation frames stop and so its acknowledgements) is never judged.
 */
import type { FromWorker, ToWorker } from './protocol';

export interface WatchdogOptions {
  /** silence longer than this (ms) while playing is a stall, unless steps are known to be slower */
  minSilenceMs?: number;
  /** a stall also needs silence longer than this many times the slowest answer seen (from an acknowledgement to the next frame) */
  slowestGapFactor?: number;
  /** until two frames have shown how long a step takes, silence up to this long is allowed: the
   *  first steps of a large model on a loaded laptop can take many seconds each */
  firstStepsMs?: number;
}

export class Watchdog {
  private playing = false;
  /** the page is waiting for the worker: it sent play or an acknowledgement and heard no frame since */
  private owed = false;
  private since = 0;
  private slowestGap = 0;
  /** frames heard while playing, since the worker started */
  private framesHeard = 0;
  private readonly minSilenceMs: number;
  private readonly factor: number;
  private readonly firstStepsMs: number;

  constructor(opts: WatchdogOptions = {}) {
    this.minSilenceMs = opts.minSilenceMs ?? 6000;
    this.factor = opts.slowestGapFactor ?? 4;
    this.firstStepsMs = opts.firstStepsMs ?? 30_000;
  }

  /** the silence (ms) after which the worker counts as stalled */
  get limitMs(): number {
    const learned = Math.max(this.minSilenceMs, this.factor * this.slowestGap);
    return this.framesHeard < 2 ? Math.max(this.firstStepsMs, learned) : learned;
  }

  sent(msg: ToWorker, now: number): void {
    if (msg.type === 'play' || msg.type === 'frameAck') {
      this.owed = true;
      this.since = now;
      // Playing starts when the worker says so (its status): a worker still building a large
      // model when Play was pressed is busy, not stalled, and the page still shows "Play".
    } else if (msg.type === 'pause' || msg.type === 'configure' || msg.type === 'reset' || msg.type === 'loadModel' || msg.type === 'setText') {
      // A new run or a pause: the worker answers with a status; until then nothing is owed.
      if (msg.type === 'pause') this.playing = false;
    }
  }

  heard(msg: FromWorker, now: number): void {
    if (msg.type === 'status') this.playing = msg.playing;
    if (msg.type === 'frame') {
      // How long the worker took to answer what it owed (not the time between frames, which also
      // holds the page's own waits: a hidden tab would teach the watchdog minutes).
      if (this.owed && this.playing && this.framesHeard > 0) this.slowestGap = Math.max(this.slowestGap, now - this.since);
      if (this.playing) this.framesHeard++;
      this.owed = false;
    }
    // Any message proves the worker's event loop is alive; the clock restarts.
    this.since = now;
  }

  /** ms of silence so far that count against the worker (0 when nothing is owed). Time while the
   *  page is hidden never counts: the clock restarts when it is seen again. */
  silence(now: number, pageVisible = true): number {
    if (!pageVisible) this.since = now;
    if (!this.playing || !this.owed || !pageVisible) return 0;
    return now - this.since;
  }

  stalled(now: number, pageVisible = true): boolean {
    return this.silence(now, pageVisible) > this.limitMs;
  }

  /** After a restart: a fresh worker owes nothing and has no history of slow steps. */
  reset(): void {
    this.playing = false;
    this.owed = false;
    this.slowestGap = 0;
    this.framesHeard = 0;
  }
}
