/**
 * The task library: `makeTask(spec)` for every task the engine trains on a plain Batch, and
 * `makeSeq2Seq(spec)` for the encoder–decoder task, whose data has a different shape.
 */
import { makeAdding } from './adding';
import { makeAssociativeRecall } from './associativeRecall';
import { makeCharLm } from './charLm';
import { makeCopyMemory } from './copyMemory';
import { makeEcho } from './echo';
import { makeFutureTag } from './futureTag';
import { makeParity } from './parity';
import { makeSelectiveCopy } from './selectiveCopy';
import { makeSines } from './sines';
import { makeTemporalOrder } from './temporalOrder';
import type { Task, TaskSpec } from './types';

export function makeTask(spec: TaskSpec): Task {
  switch (spec.kind) {
    case 'adding':
      return makeAdding(spec);
    case 'copy_memory':
      return makeCopyMemory(spec);
    case 'echo':
      return makeEcho(spec);
    case 'temporal_order':
      return makeTemporalOrder(spec);
    case 'parity':
      return makeParity(spec);
    case 'sines':
      return makeSines(spec);
    case 'char_lm':
      return makeCharLm(spec);
    case 'future_tag':
      return makeFutureTag(spec);
    case 'selective_copy':
      return makeSelectiveCopy(spec);
    case 'associative_recall':
      return makeAssociativeRecall(spec);
    default: {
      const never: never = spec; // a new spec kind that is not handled fails to compile here
      throw new RangeError(`unknown task kind: ${String((never as { kind?: unknown }).kind)}`);
    }
  }
}

export type * from './types';
export { makeAdding } from './adding';
export { makeCopyMemory, COPY_BLANK, COPY_DELIMITER } from './copyMemory';
export { makeEcho } from './echo';
export { makeTemporalOrder, TEMPORAL_ORDER_SYMBOLS } from './temporalOrder';
export { makeParity } from './parity';
export { makeSines, DEFAULT_SINES } from './sines';
export {
  makeCharLm,
  validateUserText,
  sampleFromLogits,
  REPLACEMENT_CHAR,
  DEFAULT_MAX_VOCAB,
  MIN_TEXT_CHARS,
  MAX_TEXT_CHARS,
} from './charLm';
export type { CharLmTask, TextCheck } from './charLm';
export { makeFutureTag, futureTagBaseline } from './futureTag';
export { makeSelectiveCopy, SELECTIVE_COPY_SYMBOLS, SELECTIVE_COPY_TOKENS } from './selectiveCopy';
export { makeAssociativeRecall, RECALL_KEYS } from './associativeRecall';
export { makeSeq2Seq, orderStatisticPmf } from './seq2seq';
export type { Seq2SeqBatch, Seq2SeqTask } from './seq2seq';
export { scoredStepsPerSequence } from './scored';
