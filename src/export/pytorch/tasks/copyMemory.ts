/** Copy memory (src/engine/tasks/copyMemory.ts) in Python. */
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const copyMemoryTask: TaskWriter = ({ info }) =>
  dedent(String.raw`
    def make_batch(rng, B):
        """Copy memory: 10 symbols (1..8), blanks (0), the delimiter (9) one step before the recall;
        the targets are blank except the last 10 steps, which are the 10 symbols again."""
        T, D, RECALL = ${info.T}, ${info.inputSize}, 10
        recall_start = T - RECALL
        x = [0.0] * (T * B * D)  # (T, B, D)
        target = [0] * (T * B)  # (T, B) class ids, blank unless set below
        for b in range(B):
            for t in range(T):
                symbol = 0
                if t < RECALL:
                    symbol = 1 + rng.int(8)
                elif t == recall_start - 1:
                    symbol = 9
                x[(t * B + b) * D + symbol] = 1.0
                if t < RECALL:
                    target[(recall_start + t) * B + b] = symbol
        return Batch(T, B, x, target, None)
  `);
