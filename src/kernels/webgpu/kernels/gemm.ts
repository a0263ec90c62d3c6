/**
 * The products shared by gemmNN and gemmTN, C (M, N) += op(A) · B with op(A) = A (M, K) or Aᵀ with
 * A (K, M). Two kernels of each:
 *
 * One thread per element of C, for the small per-step products, (B, H) · (H, G·H): no barrier.
 *
 * Tiled, for the large (T·B)-row products: each workgroup (8 × 8 threads) computes a 32 × 32 tile
 * of C, walking K in steps of 32 through workgroup memory; each thread keeps a 4 × 4 block of C in
 * registers, so that one pair of barriers pays for 32·16 multiply-adds per thread.
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const FIELDS = u32s('M', 'N', 'K', 'A', 'lda', 'B', 'ldb', 'C', 'ldc');

/** The tile edge: rows and columns of C per workgroup, and the K step. */
export const TILE = 32;

/** Whether a product is worth the tiles: enough rows and columns to fill them, and enough work
 *  that staging through workgroup memory beats each thread reading its own row and column. */
export function worthTiles(M: number, N: number, K: number): boolean {
  return Math.min(M, N) >= 16 && M * N * K >= 1 << 18;
}

/** One thread per element of C: the dot product of op(A)'s row and B's column. */
export function elementGemm(name: string, transposedA: boolean): Program {
  const a = transposedA ? 'u.A + k * u.lda + row' : 'u.A + row * u.lda + k';
  return {
    name,
    fields: FIELDS,
    body: `${MAIN_1D}
  if (i >= u.M * u.N) { return; }
  let row = i / u.N;
  let j = i % u.N;
  var s = 0.0;
  for (var k = 0u; k < u.K; k++) { s += arena[${a}] * arena[u.B + k * u.ldb + j]; }
  arena[u.C + row * u.ldc + j] += s;
}`,
  };
}

export function tiledGemm(name: string, transposedA: boolean): Program {
  // Each loads its A tile walking the contiguous index fastest: m for A (K, M), k for A (M, K).
  const loadA = transposedA
    ? `let kk = e / TS;
      let mm = e % TS;
      if (k0 + kk < u.K && row0 + mm < u.M) { a = arena[u.A + (k0 + kk) * u.lda + row0 + mm]; }`
    : `let mm = e / TS;
      let kk = e % TS;
      if (row0 + mm < u.M && k0 + kk < u.K) { a = arena[u.A + (row0 + mm) * u.lda + k0 + kk]; }`;
  return {
    name,
    fields: FIELDS,
    body: `
const TS = ${TILE}u;
var<workgroup> As: array<f32, ${TILE * TILE}>; // (TS k, TS m) op(A)'s tile, k-major
var<workgroup> Bs: array<f32, ${TILE * TILE}>; // (TS k, TS n) B's tile
@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_index) flat: u32, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * TS;
  let col0 = wid.x * TS;
  let rm = lid.y * 4u; // this thread's 4 rows of the tile
  let cn = lid.x * 4u; // and 4 columns
  var acc: array<vec4<f32>, 4>; // acc[r] = C[rm + r, cn .. cn + 4)
  for (var k0 = 0u; k0 < u.K; k0 += TS) {
    for (var e = flat; e < TS * TS; e += 64u) {
      var a = 0.0;
      ${loadA}
      As[kk * TS + mm] = a;
      let kb = e / TS;
      let nb = e % TS;
      var b = 0.0;
      if (k0 + kb < u.K && col0 + nb < u.N) { b = arena[u.B + (k0 + kb) * u.ldb + col0 + nb]; }
      Bs[e] = b;
    }
    workgroupBarrier();
    let kn = min(TS, u.K - k0); // a short last step (or a small K) stops at K, not at the tile
    for (var kk = 0u; kk < kn; kk++) {
      let o = kk * TS;
      let av = vec4<f32>(As[o + rm], As[o + rm + 1u], As[o + rm + 2u], As[o + rm + 3u]);
      let bv = vec4<f32>(Bs[o + cn], Bs[o + cn + 1u], Bs[o + cn + 2u], Bs[o + cn + 3u]);
      acc[0] += av.x * bv;
      acc[1] += av.y * bv;
      acc[2] += av.z * bv;
      acc[3] += av.w * bv;
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let i = row0 + rm + r;
    if (i >= u.M) { break; }
    for (var c = 0u; c < 4u; c++) {
      let j = col0 + cn + c;
      if (j < u.N) { arena[u.C + i * u.ldc + j] += acc[r][c]; }
    }
  }
}`,
  };
}

/** Records one product with the kernel its size calls for. */
export function recordGemm(rec: Recorder, kernels: { element: Program; tiled: Program }, M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number): void {
  if (M * N * K === 0) return;
  const args = [M, N, K, A, lda, B, ldb, C, ldc];
  if (worthTiles(M, N, K)) rec.dispatch(kernels.tiled, args, [Math.ceil(N / TILE), Math.ceil(M / TILE)]);
  else rec.dispatch(kernels.element, args, grid(M * N));
}
