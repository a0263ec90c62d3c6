/**
 * The script's random generator: src/engine/rng.ts in Python, draw for draw (sfc32 seeded by
 * splitmix32, 53-bit uniforms, Box–Muller normals with the spare kept, fork), so the seed gives
 * the page's data bit for bit. Python's ints are unbounded: every 32-bit step is masked.
 */
import { dedent } from './python';

export function rngSection(): string {
  return dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 1. The seeded random generator (the playground's src/engine/rng.ts, draw for draw)
    #
    # sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) seeded through splitmix32. Every
    # number the playground draws for this run -- the task's data -- comes from it, so the same seed
    # gives the same batches here as on the page.
    # ---------------------------------------------------------------------------------------------
    M32 = 0xFFFFFFFF


    class Rng:
        def __init__(self, seed):
            s = seed & M32

            def splitmix32():
                nonlocal s
                s = (s + 0x9E3779B9) & M32
                z = s
                z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
                z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
                return (z ^ (z >> 16)) & M32

            self.a, self.b, self.c, self.d = splitmix32(), splitmix32(), splitmix32(), splitmix32()
            self.spare_normal = None  # Box-Muller makes two normals: the second waits here
            for _ in range(12):  # warm up, as sfc32's author recommends
                self.next_uint32()

        def next_uint32(self):
            t = (self.a + self.b + self.d) & M32
            self.d = (self.d + 1) & M32
            self.a = self.b ^ (self.b >> 9)
            self.b = (self.c + (self.c << 3)) & M32
            self.c = ((self.c << 21) | (self.c >> 11)) & M32
            self.c = (self.c + t) & M32
            return t

        def uniform(self):
            """Uniform in [0, 1) with 53 random bits."""
            hi = self.next_uint32() >> 5  # 27 bits
            lo = self.next_uint32() >> 6  # 26 bits
            return (hi * 67108864 + lo) / 9007199254740992

        def int(self, n):
            """Uniform integer in [0, n)."""
            return math.floor(self.uniform() * n)

        def normal(self):
            """Standard normal by the Box-Muller transform."""
            if self.spare_normal is not None:
                z, self.spare_normal = self.spare_normal, None
                return z
            u = 0.0
            while u == 0.0:  # log(0) would be -inf
                u = self.uniform()
            v = self.uniform()
            r = math.sqrt(-2 * math.log(u))
            self.spare_normal = r * math.sin(2 * math.pi * v)
            return r * math.cos(2 * math.pi * v)

        def fork(self, salt):
            """A new generator whose stream depends only on this one's seed and salt."""
            return Rng(self.next_uint32() ^ (((salt & M32) * 0x27D4EB2D) & M32))
  `);
}
