/** Temporal order (src/engine/tasks/temporalOrder.ts) in Python. */
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const temporalOrderTask: TaskWriter = ({ info }) => {
  const T = info.T;
  const w1 = [Math.round(0.1 * T), Math.round(0.2 * T)];
  const w2 = [Math.round(0.5 * T), Math.round(0.6 * T)];
  return dedent(String.raw`
    def make_batch(rng, B):
        """Temporal order: noise symbols a-d (ids 0-3) between a start mark E (6) and an end mark B (7);
        one step in each window holds X (4) or Y (5); the class at the end is XX, XY, YX or YY."""
        T, D = ${T}, 8
        w1, w2 = (${w1[0]}, ${w1[1]}), (${w2[0]}, ${w2[1]})
        x = [0.0] * (T * B * D)  # (T, B, D)
        target = [0] * B  # (B) class ids
        for b in range(B):
            t1 = w1[0] + rng.int(w1[1] - w1[0] + 1)
            t2 = w2[0] + rng.int(w2[1] - w2[0] + 1)
            s1 = rng.int(2)  # 0 = X, 1 = Y
            s2 = rng.int(2)
            for t in range(T):
                if t == 0:
                    symbol = 6
                elif t == T - 1:
                    symbol = 7
                elif t == t1:
                    symbol = 4 + s1
                elif t == t2:
                    symbol = 4 + s2
                else:
                    symbol = rng.int(4)
                x[(t * B + b) * D + symbol] = 1.0
            target[b] = 2 * s1 + s2
        return Batch(T, B, x, target, None)
  `);
};
