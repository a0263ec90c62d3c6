/** The adding problem (src/engine/tasks/adding.ts) in Python. */
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const addingTask: TaskWriter = ({ info }) =>
  dedent(String.raw`
    def make_batch(rng, B):
        """Adding problem: T steps of (value in [0, 1), marker bit); two marked, one in each half;
        the target, read at the last step, is their sum."""
        T, D, half = ${info.T}, 2, ${Math.floor(info.T / 2)}
        x = [0.0] * (T * B * D)  # (T, B, D) time-major, as the playground stores it
        target = [0.0] * B  # (B, 1)
        for b in range(B):
            for t in range(T):
                x[(t * B + b) * D] = rng.uniform()
            first = rng.int(half)
            second = half + rng.int(T - half)
            x[(first * B + b) * D + 1] = 1.0
            x[(second * B + b) * D + 1] = 1.0
            target[b] = x[(first * B + b) * D] + x[(second * B + b) * D]
        return Batch(T, B, x, target, None)
  `);
