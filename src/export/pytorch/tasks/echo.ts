/** Delayed echo (src/engine/tasks/echo.ts) in Python. */
import type { EchoSpec } from '../../../engine/tasks';
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const echoTask: TaskWriter = ({ spec, info }) =>
  dedent(String.raw`
    def make_batch(rng, B):
        """Delayed echo: a random symbol (one of K) every step; the target is the symbol L steps
        back; the first L steps are masked out of the loss."""
        T, K, L = ${info.T}, ${info.inputSize}, ${(spec as EchoSpec).lag ?? 3}
        x = [0.0] * (T * B * K)  # (T, B, K)
        symbols = [0] * (T * B)  # (T, B)
        target = [0] * (T * B)  # (T, B) class ids, 0 where masked
        mask = [0.0] * (T * B)  # (T, B) 1 where the step is scored
        for t in range(T):
            for b in range(B):
                s = rng.int(K)
                symbols[t * B + b] = s
                x[(t * B + b) * K + s] = 1.0
                if t >= L:
                    target[t * B + b] = symbols[(t - L) * B + b]
                    mask[t * B + b] = 1.0
        return Batch(T, B, x, target, mask)
  `);
