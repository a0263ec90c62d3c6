/** Selective copying (src/engine/tasks/selectiveCopy.ts) in Python. */
import { SELECTIVE_COPY_TOKENS, type SelectiveCopySpec } from '../../../engine/tasks';
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const selectiveCopyTask: TaskWriter = ({ spec, info }) => {
  const K = info.outputSize;
  const N = (spec as SelectiveCopySpec).tokens ?? SELECTIVE_COPY_TOKENS;
  return dedent(String.raw`
    def make_batch(rng, B):
        """Selective copying: N symbols (of K) scattered among S noise steps (id K), then N recall
        marks (id K + 1) ask for them back in order; only the N recalls are scored."""
        T, K, N = ${info.T}, ${K}, ${N}
        C = T - N  # context steps, where the symbols sit
        D, NOISE, MARK = K + 2, K, K + 1
        x = [0.0] * (T * B * D)  # (T, B, D)
        target = [0] * (T * B)  # (T, B) class ids, 0 where masked
        mask = [0.0] * (T * B)  # (T, B) 1 at the N recall steps
        for b in range(B):
            placed = 0
            for t in range(C):
                sid = NOISE
                if rng.uniform() * (C - t) < N - placed:
                    sid = rng.int(K)
                    r = (C + placed) * B + b  # the recall step that asks for it
                    target[r] = sid
                    mask[r] = 1.0
                    placed += 1
                x[(t * B + b) * D + sid] = 1.0
            for t in range(C, T):
                x[(t * B + b) * D + MARK] = 1.0
        return Batch(T, B, x, target, mask)
  `);
};
