/** Parity (src/engine/tasks/parity.ts) in Python. */
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const parityTask: TaskWriter = ({ info }) =>
  dedent(String.raw`
    def make_batch(rng, B):
        """Parity: T random bits, one a step; the class at the end is the number of ones mod 2."""
        T = ${info.T}
        x = [0.0] * (T * B)  # (T, B, 1)
        target = [0] * B  # (B) class ids
        for b in range(B):
            ones = 0
            for t in range(T):
                bit = rng.int(2)
                x[t * B + b] = float(bit)
                ones += bit
            target[b] = ones % 2
        return Batch(T, B, x, target, None)
  `);
