/** What a task's part of the script is made from: the engine's spec (with the user's text) and the task's info. */
import type { TaskInfo, TaskSpec } from '../../../engine/tasks';

export interface TaskSource {
  spec: TaskSpec;
  info: TaskInfo;
  /** char_lm only: the corpus as the task's class ids in order (the task's encode of the text), as
   *  bytes (tasks/charLm.ts idBytes), zlib-compressed */
  corpus?: Uint8Array;
}

/** One task's Python: it defines `make_batch(rng, B)`, or for a stream `make_stream(rng, B)`. */
export type TaskWriter = (src: TaskSource) => string;
