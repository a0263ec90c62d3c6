/**
 * How the wasm backend's two threads divide a job: in proportion to how fast each has been.
 *
 * Two cores are not always equally fast:
 *  - a laptop's hybrid CPU pairs performance and efficiency cores;
 *  - the browser's own threads, or another program, take turns on one core;
 *  - on a virtual machine, the host may run someone else's work on the other half of a core.
 *    On the machine this was written on, the same product (16 × 1024 × 256) ran at 52 GFLOP/s on
 *    one virtual core and 29 on the other, for seconds at a time, while a register-only FP loop
 *    ran at full speed on both: the other tenant was sharing that core's caches.
 * With even halves, every shared job then waits for the slower thread. So each job's two parts are
 * timed, and the next job gives the helper the share that would have made both finish together.
 *
 * Which rows or columns a thread takes never changes what is computed: parts are whole register
 * blocks (4 rows, 8 columns), each element is the same instructions either way, and the results
 * stay bit-identical to one thread.
 */

/** A part shorter than this (ms) is mostly hand-off and timer resolution: it does not move the shares. */
const MIN_OBSERVED_MS = 0.05;
/** How far one job moves the share toward what it measured: smooths single slow moments. */
const RATE = 0.3;
/** The helper's share stays in [LOW, 1 − LOW]: both keep a part, so both keep being measured. */
const LOW = 0.05;

export class Shares {
  /** the helper's fraction of a job's work (rows or columns), even until measured */
  helper = 0.5;

  /**
   * One shared job's two parts: `own` units (rows or columns) in `ownMs` on the trainer's thread,
   * `helped` units in `helperMs` on the helper's.
   */
  observe(own: number, ownMs: number, helped: number, helperMs: number): void {
    if (own <= 0 || helped <= 0 || ownMs < MIN_OBSERVED_MS || helperMs < MIN_OBSERVED_MS) return;
    const ownSpeed = own / ownMs; // units per ms
    const helperSpeed = helped / helperMs;
    const target = helperSpeed / (ownSpeed + helperSpeed); // both would finish together
    this.helper = Math.min(1 - LOW, Math.max(LOW, this.helper + RATE * (target - this.helper)));
  }

  /**
   * How many of `units` the trainer's thread takes, in whole blocks of `block` from the start, so
   * that the blocks stay whole on both sides: the nearest to its share, at least one block, and
   * leaving the helper at least one unit (the rest, with any ragged end). Needs units > block.
   */
  ownPart(units: number, block: number): number {
    const most = Math.ceil(units / block) - 1; // blocks the trainer may take
    const share = Math.round((1 - this.helper) * (units / block));
    return block * Math.min(most, Math.max(1, share));
  }
}

/** Shares that never move (tests: uneven parts on purpose, whatever the timing). */
export class FixedShares extends Shares {
  constructor(helper: number) {
    super();
    this.helper = helper;
  }
  override observe(_own: number, _ownMs: number, _helped: number, _helperMs: number): void {}
}
