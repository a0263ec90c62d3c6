/**
 * Two threads for the wasm backend. The threaded build (build/rnn-mt.wasm) runs in two instances
 * on one shared memory: the trainer's, and a helper worker's. They share two kinds of work:
 *  - a layer's recurrence (src/train/sweep.ts): the helper runs all T steps for the batch's last
 *    rows while the trainer runs the first ones, one hand-off per sweep (rows are independent
 *    through the recurrence, and the elementwise steps run on both threads);
 *  - each large product outside it: cut in two along N (or M when N is narrow or a weight
 *    gradient is tall), at a multiple of the kernel's register block.
 * Where each job is cut follows how fast the two threads have been (./shares.ts): a core that is
 * slower for a while (busy with something else) gets the smaller part.
 * Either way every element is computed by the very same instructions as on one thread: the
 * results are bit-identical, whatever the thread count (the tests hold them to exactly that).
 *
 * The two sides talk through a small control block (an Int32Array on its own SharedArrayBuffer):
 * the trainer writes a job and bumps SEQ; the helper, which polls for SPIN_MS after each job and
 * then sleeps on SEQ, runs it and stores SEQ into DONE. The trainer computes its own part
 * meanwhile, then waits for DONE the same way. A helper that does not answer within TIMEOUT_MS
 * makes the product throw (the worker then hands the run over to another backend): nothing waits
 * forever.
 *
 * When to split: waking a sleeping helper costs tens of microseconds (a futex wake, more in a VM),
 * so a product is split when the helper is awake (it finished a job within the last SPIN_MS / 2)
 * and the product has at least MIN_SPLIT_MACS multiply-adds, or when it is large enough to pay for
 * the wake (COLD_SPLIT_MACS). A per-step product in between, with the helper asleep, runs on the
 * trainer's thread and wakes the helper for the next one: BPTT's products come in runs, one per
 * time step. The small models (H = 32) have no product that splits or wakes: they stay on one
 * thread, as fast as before.
 */

import type { Kernels } from '../../train/kernels';
import { encodeSweep, decodeSweep, runSweep, sweepMacs, SWEEP_INTS, SWEEP_PASS, type SweepJob } from '../../train/sweep';
import { Shares } from './shares';

/** Whether this runs in Node (tests, the CLI) rather than a browser (whose workers have no `process`). */
export function inNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

/** The products both sides run, as the module exports them (byte pointers, strides in floats). */
export interface Products {
  gemm_nn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void;
  gemm_tn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void;
}

// The control block's slots.
const SEQ = 0; // the job number the trainer posted last
const DONE = 1; // the job number the helper finished last
const FAILED = 2; // 1 when the helper's last job threw
const OP = 3; // what to run
const HELPER_US = 4; // how long the helper's part of its last job took, in µs (Shares)
const ARGS = 5; // its arguments: a product's nine, or a sweep's rows [r0, r1) and its SweepJob
export const CONTROL_INTS = ARGS + Math.max(9, 2 + SWEEP_INTS);

const OP_NN = 0;
const OP_TN = 1;
const OP_QUIT = 2;
const OP_WAKE = 3;
const OP_SWEEP = 4;

/** Below this many multiply-adds a product runs on one thread: the hand-off (a few µs when the helper is awake) would cost more than half of it. */
export const MIN_SPLIT_MACS = 1 << 19;
/** From this many multiply-adds (~100 µs on one thread) a product is split even when the helper sleeps. */
export const COLD_SPLIT_MACS = 1 << 23;
/**
 * From this many multiply-adds a sweep is shared (T·B·G·H², ~0.2 ms on one thread; waking the
 * helper costs tens of µs): H ≥ 64 at B = 32, T = 50. The small models stay on one thread.
 */
export const SWEEP_SPLIT_MACS = 1 << 23;
/** How long the helper polls after a job before it sleeps: a job usually follows within microseconds (one cell's elementwise step). */
const SPIN_MS = 0.5;
/** A wait for the helper shorter than this (ms) is the hand-off itself: the helper was not late. */
const WAITED_MS = 0.02;
/** The trainer's own polls for the helper's part, before it sleeps. */
const SPIN = 1 << 14;
/** No half of any product the playground offers takes a second; ten mean the helper is gone. */
export const TIMEOUT_MS = 10_000;

/**
 * The helper's side: runs jobs until told to quit. Blocks its thread (Atomics.wait), so only in a worker.
 * @param k the helper's instance's products; `path` the same instance as the training path's kernels (sweeps)
 */
export function serveProducts(ctrl: Int32Array, k: Products, path: Kernels): void {
  let last = Atomics.load(ctrl, SEQ);
  for (;;) {
    let seq = Atomics.load(ctrl, SEQ);
    const until = performance.now() + SPIN_MS;
    for (let i = 1; seq === last; i++) {
      if ((i & 255) === 0 && performance.now() > until) break;
      seq = Atomics.load(ctrl, SEQ);
    }
    while (seq === last) {
      Atomics.wait(ctrl, SEQ, last);
      seq = Atomics.load(ctrl, SEQ);
    }
    last = seq;
    const op = ctrl[OP];
    if (op === OP_QUIT) return;
    const a = ctrl.subarray(ARGS, ARGS + 9);
    const start = performance.now();
    try {
      if (op === OP_WAKE) {
        // nothing to do: the trainer woke the helper for the products that follow
      } else if (op === OP_SWEEP) runSweep(path, decodeSweep(ctrl, ARGS + 2), a[0], a[1]);
      else if (op === OP_NN) k.gemm_nn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
      else k.gemm_tn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
      ctrl[FAILED] = 0;
      ctrl[HELPER_US] = Math.round(1000 * (performance.now() - start));
    } catch {
      ctrl[FAILED] = 1;
    }
    Atomics.store(ctrl, DONE, seq);
    Atomics.notify(ctrl, DONE);
  }
}

/**
 * When to share work: 'auto' as above; 'always' every product of MIN_SPLIT_MACS or more, awake or
 * not, and every sweep of 8 rows or more (tests: what is shared does not depend on timing).
 */
export type SplitPolicy = 'auto' | 'always';

/**
 * The trainer's side: the module's products, each large one split with the helper, and the
 * sweeps' split.
 * @param k the trainer's own instance; `path` the same instance as the path's kernels, products unsplit (the trainer's rows of a sweep)
 */
export function splitProducts(
  ctrl: Int32Array, k: Products, path: Kernels, timeoutMs = TIMEOUT_MS, policy: SplitPolicy = 'auto', shares = new Shares(),
): Products & { splitSweep(job: SweepJob): boolean; quit(): void; splits(): number } {
  let seq = Atomics.load(ctrl, SEQ);
  /** performance.now() when the helper last finished a job: it polls for SPIN_MS after that */
  let activeAt = -Infinity;
  /** a wake-up posted and not yet joined */
  let wakePending = false;
  /** products shared with the helper so far */
  let splits = 0;
  /** a sweep's arguments as posted: [r0, r1, ...job] */
  const sweepArgs = new Int32Array(2 + SWEEP_INTS);
  /** whether the helper is polling (it finished a job, or woke, within the last SPIN_MS / 2) */
  const helperAwake = (): boolean => {
    if (wakePending && Atomics.load(ctrl, DONE) === seq) {
      wakePending = false;
      activeAt = performance.now(); // it woke a moment ago at most
    }
    return performance.now() - activeAt < SPIN_MS / 2;
  };
  const post = (op: number, args: ArrayLike<number>): number => {
    // The helper reads a job's arguments after it sees SEQ move: never overwrite them before it is done.
    if (wakePending) join(seq, 'waking up');
    wakePending = op === OP_WAKE;
    ctrl.set(args, ARGS);
    ctrl[OP] = op;
    Atomics.store(ctrl, SEQ, ++seq); // publishes the arguments written above
    Atomics.notify(ctrl, SEQ);
    return seq;
  };
  /**
   * Waits for the helper's part of `job`, posted at `postedAt`; the trainer's own `own` units ended
   * at `ownEnd`, the helper had `helped`: the next job's parts follow both speeds. The helper's
   * time is what it measured, or, when the trainer had to wait for it, everything from the post to
   * its answer: a helper that was asleep and woke late (tens of µs, more in a VM) cost that too.
   */
  const joinPart = (job: number, what: string, postedAt: number, own: number, ownEnd: number, helped: number): void => {
    join(job, what);
    const answered = performance.now();
    const helperMs = Math.max(ctrl[HELPER_US] / 1000, answered - ownEnd > WAITED_MS ? answered - postedAt : 0);
    shares.observe(own, ownEnd - postedAt, helped, helperMs);
  };
  const join = (job: number, what: string): void => {
    let done = Atomics.load(ctrl, DONE);
    for (let i = 0; done !== job && i < SPIN; i++) done = Atomics.load(ctrl, DONE);
    while (done !== job) {
      if (Atomics.wait(ctrl, DONE, done, timeoutMs) === 'timed-out') throw new Error(`wasm backend: its helper thread did not finish ${what} within ${timeoutMs / 1000} s`);
      done = Atomics.load(ctrl, DONE);
    }
    activeAt = performance.now();
    if (ctrl[FAILED]) throw new Error(`wasm backend: its helper thread failed in ${what}`);
  };
  /**
   * C (M, N) += op(A) · B with the helper taking the columns from n1 (or the rows from m1);
   * `rowStep` is how far one row of C moves A: lda floats for A (M, K), 1 float for Aᵀ (A is (K, M)).
   */
  const split = (op: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, rowStep: number): boolean => {
    const macs = M * N * K;
    if (macs < MIN_SPLIT_MACS) return false;
    if (policy === 'auto' && macs < COLD_SPLIT_MACS && !helperAwake()) {
      // Only a per-step product (a batch of rows against a weight matrix: M below N and K) wakes
      // the helper: T more of its kind follow. A tall product over T·B rows comes alone.
      if (!wakePending && op === OP_NN && M < N && M < K) post(OP_WAKE, []);
      return false;
    }
    let job: number;
    const name = op === OP_NN ? 'gemm_nn' : 'gemm_tn';
    // Tall weight gradients (gemm_tn, M ≥ 2N) split along M: each thread then packs only its part
    // of A, the larger operand (LSTM's ∂W_hh at H = 256: halves of 8.0 ms instead of 8.4).
    const tall = op === OP_TN && M >= 2 * N && M >= 8;
    const t0 = performance.now();
    let own: number;
    let units: number;
    if (N >= 16 && !tall) {
      units = N;
      own = shares.ownPart(N, 8); // the register block is 4 × 8: strips of 8 columns stay whole
      job = post(op, [M, N - own, K, A, lda, B + 4 * own, ldb, C + 4 * own, ldc]);
      run(op, M, own, K, A, lda, B, ldb, C, ldc);
    } else if (M >= 8) {
      units = M;
      own = shares.ownPart(M, 4); // blocks of 4 rows stay whole
      job = post(op, [M - own, N, K, A + 4 * own * rowStep, lda, B, ldb, C + 4 * own * ldc, ldc]);
      run(op, own, N, K, A, lda, B, ldb, C, ldc);
    } else return false;
    joinPart(job, `${name} ${M}×${N}×${K}`, t0, own, performance.now(), units - own);
    splits++;
    return true;
  };
  const run = (op: number, ...a: [number, number, number, number, number, number, number, number, number]): void => {
    if (op === OP_NN) k.gemm_nn(...a);
    else k.gemm_tn(...a);
  };
  return {
    gemm_nn(M, N, K, A, lda, B, ldb, C, ldc) {
      if (!split(OP_NN, M, N, K, A, lda, B, ldb, C, ldc, lda)) k.gemm_nn(M, N, K, A, lda, B, ldb, C, ldc);
    },
    gemm_tn(M, N, K, A, lda, B, ldb, C, ldc) {
      if (!split(OP_TN, M, N, K, A, lda, B, ldb, C, ldc, 1)) k.gemm_tn(M, N, K, A, lda, B, ldb, C, ldc);
    },
    splitSweep(job) {
      if (job.B < 8) return false;
      if (policy === 'auto' && sweepMacs(job) < SWEEP_SPLIT_MACS) return false;
      const m1 = shares.ownPart(job.B, 4); // blocks of 4 rows stay whole
      sweepArgs[0] = m1;
      sweepArgs[1] = job.B;
      encodeSweep(job, sweepArgs, 2);
      const t0 = performance.now();
      const posted = post(OP_SWEEP, sweepArgs);
      runSweep(path, job, 0, m1);
      const what = `the ${job.pass === SWEEP_PASS.forward ? 'forward' : 'backward'} recurrence of rows ${m1}–${job.B - 1}`;
      joinPart(posted, what, t0, m1, performance.now(), job.B - m1);
      splits++;
      return true;
    },
    splits: () => splits,
    quit() {
      if (wakePending) Atomics.wait(ctrl, DONE, seq - 1, 100); // at most a moment: quitting never throws
      wakePending = false;
      post(OP_QUIT, []);
    },
  };
}
