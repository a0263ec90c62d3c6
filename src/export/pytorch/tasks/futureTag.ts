/** Tag with the next marker (src/engine/tasks/futureTag.ts) in Python. */
import type { FutureTagSpec } from '../../../engine/tasks';
import { dedent, pyNum } from '../python';
import type { TaskWriter } from './types';

export const futureTagTask: TaskWriter = ({ spec, info }) =>
  dedent(String.raw`
    def make_batch(rng, B):
        """Future tagging: each step is noise (id K) or, with probability q, one of K markers; every
        step's label is the first marker at or after it (steps after the last marker are masked)."""
        T, K, q = ${info.T}, ${info.outputSize}, ${pyNum((spec as FutureTagSpec).markerProb ?? 0.2)}
        D, NOISE = K + 1, K
        x = [0.0] * (T * B * D)  # (T, B, D)
        target = [0] * (T * B)  # (T, B) class ids, 0 where unlabelled
        mask = [0.0] * (T * B)  # (T, B)
        symbol = [0] * T  # one sequence, drawn first so labels can look ahead
        for b in range(B):
            for t in range(T):
                symbol[t] = rng.int(K) if rng.uniform() < q else NOISE
            nxt = -1  # the first marker at or after t, scanning backwards
            for t in range(T - 1, -1, -1):
                if symbol[t] != NOISE:
                    nxt = symbol[t]
                x[(t * B + b) * D + symbol[t]] = 1.0
                if nxt >= 0:
                    target[t * B + b] = nxt
                    mask[t * B + b] = 1.0
        return Batch(T, B, x, target, mask)
  `);
