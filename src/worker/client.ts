/**
 * The page's side of the worker: starts it lazily, sends typed messages, hands every message from
 * it to one listener, and watches it: a worker that is playing but silent for too long (see
 * watchdog.ts) is ended, and `onStall` tells the owner, who restarts the run from its last
 * weights. Of the worker's code it imports types and the protocol's pure helpers only (which
 * buffers a message moves), nothing that trains.
 */
import { transferablesOf, type FromWorker, type ToWorker } from './protocol';
import { Watchdog } from './watchdog';

export type WorkerListener = (msg: FromWorker) => void;
export type CrashListener = (message: string) => void;
/** the worker was ended after `silentMs` of silence while playing */
export type StallListener = (silentMs: number) => void;

/** What the client needs of a Worker (a fake one in Node tests). */
export interface WorkerLike {
  /** `transfer`: the buffers that move with the message (the sender's copies become empty) */
  postMessage(msg: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  onmessageerror: ((ev: MessageEvent) => void) | null;
}

export interface ClientEnv {
  spawn(): WorkerLike;
  now(): number;
  /** a repeating timer; returns its canceller */
  every(ms: number, fn: () => void): () => void;
  /** false while the page is hidden (a background tab does not draw, so it does not acknowledge) */
  visible(): boolean;
}

const browserEnv = (): ClientEnv => ({
  spawn: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'rnn-playground-trainer' }) as unknown as WorkerLike,
  now: () => performance.now(),
  every: (ms, fn) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
  visible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
});

/** How often the watchdog looks. */
const WATCH_EVERY_MS = 1000;

export class TrainingClient {
  private worker: WorkerLike | null = null;
  private readonly watchdog = new Watchdog();
  private stopWatching: (() => void) | null = null;
  private readonly env: ClientEnv;

  constructor(
    private readonly listener: WorkerListener,
    private readonly onCrash: CrashListener,
    private readonly onStall: StallListener = (ms) => onCrash(`it did not answer for ${Math.round(ms / 1000)} s`),
    env?: ClientEnv,
  ) {
    this.env = env ?? browserEnv();
  }

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.env.spawn();
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      this.watchdog.heard(ev.data, this.env.now());
      this.listener(ev.data);
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      this.restart();
      this.onCrash(ev.message || 'the training worker stopped');
    };
    w.onmessageerror = () => this.onCrash('a message from the training worker could not be read');
    this.worker = w;
    this.stopWatching = this.env.every(WATCH_EVERY_MS, () => this.check());
    return w;
  }

  private check(): void {
    const now = this.env.now();
    if (!this.worker || !this.watchdog.stalled(now, this.env.visible())) return;
    const silent = this.watchdog.silence(now);
    this.restart();
    this.onStall(silent);
  }

  send(msg: ToWorker): void {
    const w = this.ensure();
    this.watchdog.sent(msg, this.env.now());
    w.postMessage(msg, transferablesOf(msg));
  }

  /** Ends the worker; the next send starts a fresh one (the caller re-sends settings and weights). */
  restart(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.worker?.terminate();
    this.worker = null;
    this.watchdog.reset();
  }
}
