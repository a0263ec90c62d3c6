/**
 * The requests a run sent its worker that are not answered yet. Each settles with the worker's
 * answer, or rejects with a RequestCancelled that says why the answer will never come (the worker
 * died or was replaced, or the run it was asked for ended): a caller never waits forever, and never
 * gets the answer of another run. A request the worker cannot serve rejects with RequestRefused.
 */
import type { FromWorker } from '../worker/protocol';

/** The worker's answers to requests: the weights, generated text, or why it cannot answer. */
type Reply = Extract<FromWorker, { requestId: number }>;
export type Answer = Exclude<Reply, { type: 'requestFailed' }>;

/** The answer will never come: the worker died or was replaced, or the run ended. */
export class RequestCancelled extends Error {
  override name = 'RequestCancelled';
}

/** The worker answered that it cannot do what was asked (no model yet, not the character model). */
export class RequestRefused extends Error {
  override name = 'RequestRefused';
}

interface Waiting {
  /** the run the request was asked for */
  runId: number;
  type: Answer['type'];
  resolve(answer: Answer): void;
  reject(e: Error): void;
}

export class PendingRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  /** A fresh request id for run `runId`, and the promise of its answer (of type `type`). */
  open<T extends Answer['type']>(type: T, runId: number): { requestId: number; answer: Promise<Extract<Answer, { type: T }>> } {
    const requestId = this.nextId++;
    const answer = new Promise<Extract<Answer, { type: T }>>((resolve, reject) => {
      this.waiting.set(requestId, { runId, type, resolve: resolve as (a: Answer) => void, reject });
    });
    return { requestId, answer };
  }

  /** Hands an answer to its request; false when nobody waits for it any more (cancelled before). */
  settle(reply: Reply): boolean {
    const w = this.waiting.get(reply.requestId);
    if (!w || (reply.type !== 'requestFailed' && w.type !== reply.type)) return false;
    this.waiting.delete(reply.requestId);
    if (reply.type === 'requestFailed') w.reject(new RequestRefused(reply.message));
    else w.resolve(reply);
    return true;
  }

  /** Rejects every request with `why`, or only those not asked for run `keepRunId`. */
  cancel(why: string, keepRunId?: number): void {
    for (const [id, w] of this.waiting) {
      if (w.runId === keepRunId) continue;
      this.waiting.delete(id);
      w.reject(new RequestCancelled(why));
    }
  }

  get size(): number {
    return this.waiting.size;
  }
}
