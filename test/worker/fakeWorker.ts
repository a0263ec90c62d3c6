/**
 * Fake workers and a fake clock for RunController tests in Node. `ScriptedWorker` records what the
 * page sends and lets a test answer by hand; `TrainerWorker` runs the real Trainer behind the
 * same boundary, every message passed through structuredClone with its transfer list, as
 * postMessage does: a transferred buffer really is moved (the sender's copy is left empty).
 */
import { readFileSync } from 'node:fs';
import type { ClientEnv, WorkerLike } from '../../src/worker/client';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../src/worker/config';
import { transferablesOf, type FromWorker, type MetricFrame, type ToWorker } from '../../src/worker/protocol';
import { Trainer } from '../../src/worker/trainer';
import type { RunEnv } from '../../src/store/runController';
import { referenceOnly } from './harness';

export class ScriptedWorker implements WorkerLike {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: ((ev: MessageEvent) => void) | null = null;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
  /** The worker's error event, as a real worker that threw raises it. */
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
  /** The messages of one type the page sent, in order. */
  of<T extends ToWorker['type']>(type: T): Extract<ToWorker, { type: T }>[] {
    return this.sent.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type);
  }
}

/** A postMessage in Node: a structured clone that moves the listed buffers. */
const deliver = <T>(msg: T, transfer: Transferable[]): T => structuredClone(msg, { transfer });

export class TrainerWorker implements WorkerLike {
  /** what the page posted (its moved buffers now empty), its transfer list, and what the trainer got */
  received: { msg: ToWorker; transfer: Transferable[]; delivered: ToWorker }[] = [];
  /** what the trainer posted (its moved buffers now empty), its transfer list, and what the page got */
  posted: { msg: FromWorker; transfer: Transferable[]; delivered: FromWorker }[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: ((ev: MessageEvent) => void) | null = null;
  private readonly trainer = new Trainer({
    // As worker.ts posts: the buffers transferablesOf names move with the message.
    post: (msg) => {
      const transfer = transferablesOf(msg);
      const data = deliver(msg, transfer);
      this.posted.push({ msg, transfer, delivered: data });
      setImmediate(() => this.terminated || this.onmessage?.({ data } as MessageEvent<FromWorker>));
    },
    createBackend: referenceOnly,
    loadDefaultText: async () => readFileSync('public/text/kjv-genesis.txt', 'utf8'),
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
  });
  postMessage(msg: ToWorker, transfer: Transferable[]): void {
    const data = deliver(msg, transfer);
    this.received.push({ msg, transfer, delivered: data });
    setImmediate(() => this.terminated || void this.trainer.handle(data));
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    this.terminated = true;
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

/**
 * One fake clock for the page: timers (`later`, the watchdog's `every`) run only when a test
 * advances it, and "after paint" callbacks only when it paints.
 */
export function rig<W extends WorkerLike>(spawn: () => W) {
  let t = 0;
  let visible = true;
  const timers: { at: number; every: number | null; fn: () => void; live: boolean }[] = [];
  let painted: (() => void)[] = [];
  const workers: W[] = [];
  const client: ClientEnv = {
    spawn: () => {
      const w = spawn();
      workers.push(w);
      return w;
    },
    now: () => t,
    every: (ms, fn) => {
      const timer = { at: t + ms, every: ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    visible: () => visible,
  };
  const env: RunEnv = {
    client,
    now: () => t,
    afterPaint: (fn) => painted.push(fn),
    later: (ms, fn) => {
      const timer = { at: t + ms, every: null, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
  };
  /** Moves the clock on by `ms`, running every timer that falls due, in order. */
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      t = due.at;
      if (due.every === null) due.live = false;
      else due.at += due.every;
      due.fn();
    }
    t = end;
  };
  /** The browser paints: what waited for it runs. */
  const paint = () => {
    const fns = painted;
    painted = [];
    fns.forEach((fn) => fn());
  };
  return { env, workers, advance, paint, now: () => t, hide: (hidden: boolean) => (visible = !hidden) };
}

/** Lets the fake worker's queued work (setImmediate) run. */
export const turn = () => new Promise<void>((r) => setImmediate(r));

export const config = (patch: Partial<PlaygroundConfig> = {}): PlaygroundConfig => ({ ...DEFAULT_CONFIG, ...patch });

/** A metric frame of run `runId` carrying the steps `steps` (loss = step, for telling apart). */
export function frame(runId: number, steps: number[]): MetricFrame {
  const f = (fn: (s: number) => number) => Float64Array.from(steps, fn);
  return {
    type: 'frame',
    runId,
    step: steps.at(-1) ?? 0,
    stepIndices: f((s) => s),
    losses: f((s) => s),
    lossesPerStep: f((s) => s),
    metrics: f(() => 0.5),
    gradNormsBefore: f(() => 1),
    gradNormsAfter: f(() => 1),
    clipped: new Uint8Array(steps.length),
    stepsPerSecond: 10,
    hiddenGradNorms: new Float64Array([3, 2, 1]),
    inputGradNorms: new Float64Array([0.5, 1, 2]),
    inputGradStep: steps[0] ?? 0,
    snapshot: null,
    analysis: null,
    memory: null,
  };
}
