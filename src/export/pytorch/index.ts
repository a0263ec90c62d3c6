/**
 * The experiment as a PyTorch script: a self-contained Python file (torch and the standard library)
 * that trains the playground's run for a link. Pure TypeScript, no Node API: the CLI
 * (scripts/export-pytorch.ts) and the page's Export menu both call `pytorchScript`.
 *
 * The script, part by part: header, the seeded generator (./rng), the task (./tasks), the model
 * (./model or ./successors), the loss (./loss), clipping and the optimizer (./optimizer), the
 * training loop and command line (./train), the embedded weights (./weights).
 */
import { describeAnySpec, initAnyModel, isSuccessorModel, type AnyModel } from '../../engine/anyModel';
import { saveAnyModel } from '../../engine/modelFile';
import { Rng } from '../../engine/rng';
import { makeTask, type CharLmTask, type Task } from '../../engine/tasks';
import { clipSpecOf, initSpecOf, modelSpecOf, optimizerSpecOf, taskSpecOf, truncationOf } from '../../settings/specs';
import type { PlaygroundConfig } from '../../settings/table';
import { headerSection } from './header';
import { lossSection } from './loss';
import { modelSection } from './model';
import { optimizerSection } from './optimizer';
import { rngSection } from './rng';
import { successorSection } from './successors';
import { isStreamTask, taskSection } from './tasks';
import { idBytes, wideIds, zlibBytes } from './tasks/charLm';
import { trainSection } from './train';
import { weightsSection } from './weights';

export interface ExportInput {
  config: PlaygroundConfig;
  /** the link query the header quotes */
  query: string;
  /** the task's corpus (char_lm): the user's text or the shipped one; '' for other tasks */
  text: string;
  /** the weights to start from; absent: the seed's initial weights (made here) */
  model?: AnyModel;
  /** the update the given weights are from (0: the start) */
  fromStep?: number;
}

/** The run's task, as the Trainer makes it. */
export function taskOf(config: PlaygroundConfig, text: string): Task {
  return makeTask(taskSpecOf(config, config.task === 'char_lm' ? text : ''));
}

/** The seed's initial weights, as the Trainer makes them (root.fork(1)). */
export function initialModel(config: PlaygroundConfig, task: Task): AnyModel {
  return initAnyModel(modelSpecOf(config, task.info), initSpecOf(config), new Rng(config.seed).fork(1));
}

export async function pytorchScript(input: ExportInput): Promise<string> {
  const c = input.config;
  if (c.task === 'seq2seq') throw new Error('task=seq2seq trains an encoder-decoder, which the PyTorch export does not cover yet');
  const spec = taskSpecOf(c, c.task === 'char_lm' ? input.text : '');
  const task = makeTask(spec);
  const model = input.model ?? initialModel(c, task);
  const fromStep = input.model ? (input.fromStep ?? 0) : 0;
  // a stream's chunk starts from the state the last one ended in; the playground keeps no such
  // state for the successor blocks yet (each chunk starts from zero there), so neither does the script
  const stream = isStreamTask(task.info.id) && !isSuccessorModel(model);
  const truncation = truncationOf(c);
  const corpus = task.info.id === 'char_lm' ? await zlibBytes(idBytes((task as CharLmTask).encode(input.text), wideIds(task.info.outputSize))) : undefined;
  const { stateDict: _weights, ...fileHeader } = saveAnyModel(model);
  const parts = [
    headerSection({ query: input.query, model: describeAnySpec(model.spec), task: task.info.name, fromStep, stream, zlib: corpus !== undefined, rnn: !isSuccessorModel(model) }),
    rngSection(),
    taskSection({ spec, info: task.info, corpus }),
    isSuccessorModel(model) ? successorSection(model.spec, truncation) : modelSection(model.spec, truncation),
    lossSection(task.info.loss, task.info.readout, task.info.outputSize, task.info.inputSize),
    optimizerSection(optimizerSpecOf(c), clipSpecOf(c)),
    trainSection({ seed: c.seed, batchSize: c.batchSize, stream, skip: fromStep, fileHeader: JSON.stringify(fileHeader) }),
    weightsSection(model.params, fromStep === 0 ? "the seed's, as the playground initializes them" : `the page's after ${fromStep} updates`),
  ];
  // The weights go last (they are long); Python needs them defined before main runs, so main's call
  // moves to the very end.
  const main = '\n\nif __name__ == "__main__":\n    main()';
  return `${parts.join('\n\n\n').replace(main, '')}\n\n\nif __name__ == "__main__":\n    main()\n`;
}
