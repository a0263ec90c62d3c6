/**
 * The page's side of the worker: starts it lazily, sends typed messages, and hands every message
 * from it to one listener. Imports worker code as types only.
 */
import type { FromWorker, ToWorker } from './protocol';

export type WorkerListener = (msg: FromWorker) => void;
export type CrashListener = (message: string) => void;

export class TrainingClient {
  private worker: Worker | null = null;

  constructor(
    private readonly listener: WorkerListener,
    private readonly onCrash: CrashListener,
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'rnn-playground-trainer' });
    w.onmessage = (ev: MessageEvent<FromWorker>) => this.listener(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault();
      this.restart();
      this.onCrash(ev.message || 'the training worker stopped');
    };
    w.onmessageerror = () => this.onCrash('a message from the training worker could not be read');
    this.worker = w;
    return w;
  }

  send(msg: ToWorker): void {
    this.ensure().postMessage(msg);
  }

  /** Ends the worker; the next send starts a fresh one (the caller re-sends settings and weights). */
  restart(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
