/** Associative recall (src/engine/tasks/associativeRecall.ts) in Python. */
import { dedent } from '../python';
import type { TaskWriter } from './types';

export const associativeRecallTask: TaskWriter = ({ info }) => {
  const V = info.outputSize;
  return dedent(String.raw`
    def make_batch(rng, B):
        """Associative recall: n steps each show a key (n distinct of K, units V..V+K-1) with its value
        (one of V, units 0..V-1); the last step shows one of the keys alone; answer its value."""
        T, V, K = ${info.T}, ${V}, ${info.inputSize - V}
        n, D = T - 1, V + K
        x = [0.0] * (T * B * D)  # (T, B, D)
        target = [0] * B  # (B) the queried value
        keys = list(range(K))  # shuffled in part for each sequence, carried on to the next
        values = [0] * n
        for b in range(B):
            for i in range(n):
                j = i + rng.int(K - i)
                keys[i], keys[j] = keys[j], keys[i]
                values[i] = rng.int(V)
                x[(i * B + b) * D + V + keys[i]] = 1.0  # step i: the pair's key ...
                x[(i * B + b) * D + values[i]] = 1.0  # ... and its value
            q = rng.int(n)  # which pair is asked for
            x[(n * B + b) * D + V + keys[q]] = 1.0
            target[b] = values[q]
        return Batch(T, B, x, target, None)
  `);
};
