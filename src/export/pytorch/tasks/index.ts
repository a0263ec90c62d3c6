/**
 * The task's part of the script: the Batch record, the one generator the run needs (the others
 * are left out), and `batches(rng, B)`, the endless sequence of training batches as the
 * playground's Trainer draws them (a fresh batch each step, or a stream's next chunk).
 */
import type { TaskId } from '../../../engine/tasks';
import { dedent } from '../python';
import { addingTask } from './adding';
import { associativeRecallTask } from './associativeRecall';
import { charLmTask } from './charLm';
import { copyMemoryTask } from './copyMemory';
import { echoTask } from './echo';
import { futureTagTask } from './futureTag';
import { parityTask } from './parity';
import { selectiveCopyTask } from './selectiveCopy';
import { sinesTask } from './sines';
import { temporalOrderTask } from './temporalOrder';
import type { TaskSource, TaskWriter } from './types';

export type { TaskSource } from './types';

const WRITERS: Record<Exclude<TaskId, 'seq2seq'>, TaskWriter> = {
  adding: addingTask,
  copy_memory: copyMemoryTask,
  echo: echoTask,
  temporal_order: temporalOrderTask,
  parity: parityTask,
  sines: sinesTask,
  char_lm: charLmTask,
  future_tag: futureTagTask,
  selective_copy: selectiveCopyTask,
  associative_recall: associativeRecallTask,
};

/** Whether the task arrives as a stream whose chunks carry the network's state. */
export const isStreamTask = (id: TaskId): boolean => id === 'sines';

export function taskSection(src: TaskSource): string {
  const id = src.info.id;
  if (id === 'seq2seq') throw new Error('sequence to sequence trains an encoder-decoder, which the PyTorch export does not cover yet');
  const stream = isStreamTask(id);
  return [
    dedent(String.raw`
      # ---------------------------------------------------------------------------------------------
      # 2. The task: ${src.info.name} (the playground's src/engine/tasks, for this task only)
      #
      # ${src.info.description}
      # Buffers are flat lists in time-major order (t, b, k), as the playground keeps them.
      # ---------------------------------------------------------------------------------------------
      Batch = collections.namedtuple("Batch", "T B x target mask")
    `),
    WRITERS[id](src),
    dedent(
      stream
        ? String.raw`
          def batches(rng, B):
              """The training data: consecutive chunks of B streams (each chunk goes on from the last)."""
              stream = make_stream(rng, B)
              while True:
                  yield stream.next()
        `
        : String.raw`
          def batches(rng, B):
              """The training data: a fresh batch of B sequences for every step."""
              while True:
                  yield make_batch(rng, B)
        `,
    ),
  ].join('\n\n\n');
}
