import type { ModelSpec } from '../model';
import { gruCell } from './gru';
import { lstmCell } from './lstm';
import { rnnCell } from './rnn';
import type { Cell } from './types';

export type { Cell, StepCache, StepDims, StepGrads } from './types';

export function cellFor(spec: ModelSpec): Cell {
  if (spec.cell === 'lstm') return lstmCell;
  if (spec.cell === 'gru') return gruCell;
  return rnnCell(spec.nonlinearity);
}
