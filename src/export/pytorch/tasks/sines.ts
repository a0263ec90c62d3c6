/** Noisy sines, streamed (src/engine/tasks/sines.ts) in Python: the stream carries its phase and last value between chunks. */
import { DEFAULT_SINES, type SinesSpec } from '../../../engine/tasks';
import { dedent, pyNum } from '../python';
import type { TaskWriter } from './types';

export const sinesTask: TaskWriter = ({ spec, info }) => {
  const s = spec as SinesSpec;
  const components = (s.components ?? DEFAULT_SINES).map((c) => `(${pyNum(c.amplitude)}, ${pyNum(c.period)})`).join(', ');
  return dedent(String.raw`
    COMPONENTS = [${components}]  # (amplitude, period in steps) of each sine
    NOISE_STD = ${pyNum(s.noiseStd ?? 0.1)}


    class SineStream:
        """B endless streams of a sum of sines plus Gaussian noise, read in chunks of T steps: x_t is
        the current value, the target the next one. Each chunk goes on where the last one ended."""

        def __init__(self, rng, B):
            self.own = rng.fork(0x5E3)  # the stream's private generator
            self.B = B
            C = len(COMPONENTS)
            self.phase = [2 * math.pi * self.own.uniform() for _ in range(B * C)]  # (B, C)
            self.tau = 0  # absolute step of current
            self.current = [self.sample(b, 0) for b in range(B)]  # (B) the next chunk's first input

        def sample(self, b, at):
            s = 0.0
            for k, (amplitude, period) in enumerate(COMPONENTS):
                s += amplitude * math.sin((2 * math.pi * at) / period + self.phase[b * len(COMPONENTS) + k])
            return s + NOISE_STD * self.own.normal()

        def next(self, T=${info.T}):
            B = self.B
            x = [0.0] * (T * B)  # (T, B, 1)
            target = [0.0] * (T * B)  # (T, B, 1)
            for t in range(T):
                for b in range(B):
                    s = self.sample(b, self.tau + 1)
                    x[t * B + b] = self.current[b]
                    target[t * B + b] = s
                    self.current[b] = s
                self.tau += 1
            return Batch(T, B, x, target, None)


    def make_stream(rng, B):
        return SineStream(rng, B)
  `);
};
