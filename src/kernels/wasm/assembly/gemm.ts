/**
 * Dense float32 products on row-major matrices in linear memory, accumulating (C +=), with leading
 * dimensions in elements and pointers in bytes. Two forms cover every product of BPTT:
 *
 *   gemm_nn  C (M, N) += A (M, K) · B (K, N)         forward a = x Wᵀ (B = Wᵀ, a transposed copy),
 *                                                     ∂L/∂x = ∂L/∂a · W
 *   gemm_tn  C (M, N) += Aᵀ · B, A (K, M), B (K, N)   weight gradients ∂L/∂W = ∂L/∂aᵀ · x over T·B rows
 *
 * Both follow Goto's GEMM in miniature. K is cut into blocks of KC rows; for each block every
 * 8-column strip of B is copied to a contiguous kc × 8 panel (it stays in L1: no cache-set
 * conflicts however the caller's row stride falls, and sequential reads), and a 4 × 8 block of C
 * is computed in eight f32x4 registers, each step loading two vectors of the panel and
 * broadcasting four scalars of A (`v128.load32_splat`, a plain broadcast load on x86).
 * gemm_nn reads A in place (four rows, each contiguous along K); gemm_tn, whose A columns are
 * strided along K, first copies a block of A to 4-wide panels too (in L2).
 * Edges: a strip past N is zero-padded and only its real columns are added to C; rows past M
 * take a one-row block (nn) or zero-padded panels (tn). With N ≤ 8, gemm_tn reads A in place.
 */

import { transpose4 } from './vector';

const KC = 256;
const MC = 512;
const TILE_BYTES: usize = 4 * 8 * 4;
const B_PANEL_BYTES: usize = KC * 8 * 4;
const A_BLOCK_BYTES: usize = KC * MC * 4;

const SCRATCH_BYTES: usize = TILE_BYTES + B_PANEL_BYTES + A_BLOCK_BYTES;

/** The packed panels: static, zeroed, reserved below __heap_base (no bytes in the binary). */
const SCRATCH = memory.data(<i32>SCRATCH_BYTES, 64);

/**
 * Where this instance packs its panels. Two instances on one shared memory (the threaded build:
 * a helper thread takes half of each large product) would both pack at SCRATCH; the helper's
 * instance is moved to its own area with set_scratch. A global, so per instance.
 */
let scratch: usize = SCRATCH;

/** Moves this instance's packing area to `p` (scratch_bytes() bytes, 64-byte aligned). */
export function set_scratch(p: usize): void {
  scratch = p;
}

/** The bytes a packing area takes. */
export function scratch_bytes(): usize {
  return SCRATCH_BYTES;
}

/** B[k0 : k0+kc, n0 : n0+8] → a contiguous kc × 8 panel at wb, zero past column `cols` */
// @ts-ignore: decorator
@inline function packB(B: usize, sb: usize, k0: i32, kc: i32, n0: i32, cols: i32, wb: usize): void {
  let src = B + <usize>k0 * sb + ((<usize>n0) << 2);
  let dst = wb;
  if (cols == 8) {
    for (let k = 0; k < kc; k++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += sb;
      dst += 32;
    }
  } else {
    const zero = f32x4.splat(0);
    for (let k = 0; k < kc; k++) {
      v128.store(dst, zero);
      v128.store(dst, zero, 16);
      for (let c = 0; c < cols; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(src + ((<usize>c) << 2)));
      src += sb;
      dst += 32;
    }
  }
}

/** the block held in c00 … c31 → the tile (4 rows of 8 floats) */
// @ts-ignore: decorator
@inline function park(tile: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
}

/** C (rows ≤ 4, cols ≤ 8) += the block held in c00 … c31; a partial block goes through `tile`. */
// @ts-ignore: decorator
@inline function addBlock(
  C: usize, sc: usize, rows: i32, cols: i32, tile: usize,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  if (rows == 4 && cols == 8) {
    const c1 = C + sc;
    const c2 = c1 + sc;
    const c3 = c2 + sc;
    v128.store(C, f32x4.add(v128.load(C), c00));
    v128.store(C, f32x4.add(v128.load(C, 16), c01), 16);
    v128.store(c1, f32x4.add(v128.load(c1), c10));
    v128.store(c1, f32x4.add(v128.load(c1, 16), c11), 16);
    v128.store(c2, f32x4.add(v128.load(c2), c20));
    v128.store(c2, f32x4.add(v128.load(c2, 16), c21), 16);
    v128.store(c3, f32x4.add(v128.load(c3), c30));
    v128.store(c3, f32x4.add(v128.load(c3, 16), c31), 16);
  } else {
    park(tile, c00, c01, c10, c11, c20, c21, c30, c31);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const p = C + <usize>r * sc + ((<usize>c) << 2);
        store<f32>(p, load<f32>(p) + load<f32>(tile + ((<usize>(r * 8 + c)) << 2)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The register blocks of gemm_nn, gemm_nn_packed and gemm_affine_packed: a 4 × 8 block of C in
// eight f32x4 registers, summed over up to two runs of steps (rows of A against a packed panel,
// one packing block each), then finished as `end` says.

/** the block's end: C += the sum (gemm_nn) */
const END_ADD = 0;
/** C ← b1 (+ b2) + the sum (gemm_affine_packed's last pair of packing blocks) */
const END_BIAS = 1;
/** the tile ← the sum, for the next pair (the one before the last) */
const END_TILE = 2;

/**
 * 4 rows of C (row stride sc; cols of the strip): the sum, from 0 (`first`) or from the tile, of
 * two runs: 4 rows of A from a (row stride sa) against kc steps of the panel pb, then the same from
 * a2, pb2, kc2 (either kc may be 0). Ends as `end` says.
 */
// @ts-ignore: decorator
@inline function block4(
  kc: i32, a: usize, sa: usize, pb: usize, kc2: i32, a2: usize, sa2: usize, pb2: usize,
  C: usize, sc: usize, cols: i32, tile: usize, b1: usize, b2: usize, first: bool, end: i32,
): void {
  const z = f32x4.splat(0);
  let c00 = first ? z : v128.load(tile);
  let c01 = first ? z : v128.load(tile, 16);
  let c10 = first ? z : v128.load(tile, 32);
  let c11 = first ? z : v128.load(tile, 48);
  let c20 = first ? z : v128.load(tile, 64);
  let c21 = first ? z : v128.load(tile, 80);
  let c30 = first ? z : v128.load(tile, 96);
  let c31 = first ? z : v128.load(tile, 112);
  for (let run = 0; run < 2; run++) {
    let a0 = run == 0 ? a : a2;
    const s = run == 0 ? sa : sa2;
    let p = run == 0 ? pb : pb2;
    const n = run == 0 ? kc : kc2;
    let a1 = a0 + s;
    let a2r = a1 + s;
    let a3 = a2r + s;
    for (let k = 0; k < n; k++) {
      const b0 = v128.load(p);
      const b1v = v128.load(p, 16);
      let v = v128.load32_splat(a0);
      c00 = f32x4.add(c00, f32x4.mul(v, b0));
      c01 = f32x4.add(c01, f32x4.mul(v, b1v));
      v = v128.load32_splat(a1);
      c10 = f32x4.add(c10, f32x4.mul(v, b0));
      c11 = f32x4.add(c11, f32x4.mul(v, b1v));
      v = v128.load32_splat(a2r);
      c20 = f32x4.add(c20, f32x4.mul(v, b0));
      c21 = f32x4.add(c21, f32x4.mul(v, b1v));
      v = v128.load32_splat(a3);
      c30 = f32x4.add(c30, f32x4.mul(v, b0));
      c31 = f32x4.add(c31, f32x4.mul(v, b1v));
      a0 += 4;
      a1 += 4;
      a2r += 4;
      a3 += 4;
      p += 32;
    }
  }
  if (end == END_ADD) {
    addBlock(C, sc, 4, cols, tile, c00, c01, c10, c11, c20, c21, c30, c31);
  } else if (end == END_BIAS && cols == 8) {
    let v0 = v128.load(b1);
    let v1 = v128.load(b1, 16);
    if (b2) {
      v0 = f32x4.add(v0, v128.load(b2));
      v1 = f32x4.add(v1, v128.load(b2, 16));
    }
    const r1 = C + sc;
    const r2 = r1 + sc;
    const r3 = r2 + sc;
    v128.store(C, f32x4.add(v0, c00));
    v128.store(C, f32x4.add(v1, c01), 16);
    v128.store(r1, f32x4.add(v0, c10));
    v128.store(r1, f32x4.add(v1, c11), 16);
    v128.store(r2, f32x4.add(v0, c20));
    v128.store(r2, f32x4.add(v1, c21), 16);
    v128.store(r3, f32x4.add(v0, c30));
    v128.store(r3, f32x4.add(v1, c31), 16);
  } else {
    park(tile, c00, c01, c10, c11, c20, c21, c30, c31);
    if (end == END_BIAS) storeBiased(C, sc, 4, cols, tile, b1, b2);
  }
}

/** the one-row form of block4 (the tile's first row) */
// @ts-ignore: decorator
@inline function block1(
  kc: i32, a: usize, pb: usize, kc2: i32, a2: usize, pb2: usize,
  C: usize, sc: usize, cols: i32, tile: usize, b1: usize, b2: usize, first: bool, end: i32,
): void {
  const z = f32x4.splat(0);
  let c00 = first ? z : v128.load(tile);
  let c01 = first ? z : v128.load(tile, 16);
  for (let run = 0; run < 2; run++) {
    let a0 = run == 0 ? a : a2;
    let p = run == 0 ? pb : pb2;
    const n = run == 0 ? kc : kc2;
    for (let k = 0; k < n; k++) {
      const v = v128.load32_splat(a0);
      c00 = f32x4.add(c00, f32x4.mul(v, v128.load(p)));
      c01 = f32x4.add(c01, f32x4.mul(v, v128.load(p, 16)));
      a0 += 4;
      p += 32;
    }
  }
  if (end == END_ADD) {
    addBlock(C, sc, 1, cols, tile, c00, c01, z, z, z, z, z, z);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  if (end == END_BIAS) storeBiased(C, sc, 1, cols, tile, b1, b2);
}

/** C's block (rows × cols, row stride sc) ← the biases' strip + the tile */
// @ts-ignore: decorator
@inline function storeBiased(C: usize, sc: usize, rows: i32, cols: i32, tile: usize, b1: usize, b2: usize): void {
  for (let j = 0; j < cols; j++) {
    const o = (<usize>j) << 2;
    const bias = b2 ? load<f32>(b1 + o) + load<f32>(b2 + o) : load<f32>(b1 + o);
    for (let r = 0; r < rows; r++) store<f32>(C + <usize>r * sc + o, bias + load<f32>(tile + ((<usize>r) << 5) + o));
  }
}

// ---------------------------------------------------------------------------------------------
// C (M, N) += A (M, K) · B (K, N)

/** C (4 rows from C, row stride sc; cols of the strip) += 4 rows of A from a0 (row stride sa) times kc steps of the packed panel pb */
// @ts-ignore: decorator
@inline function nnBlock4(kc: i32, a0: usize, sa: usize, pb: usize, C: usize, sc: usize, cols: i32, tile: usize): void {
  block4(kc, a0, sa, pb, 0, 0, 0, 0, C, sc, cols, tile, 0, 0, true, END_ADD);
}

/** the last M mod 4 rows, one at a time */
// @ts-ignore: decorator
@inline function nnBlock1(kc: i32, a0: usize, pb: usize, C: usize, sc: usize, cols: i32, tile: usize): void {
  block1(kc, a0, pb, 0, 0, 0, C, sc, cols, tile, 0, 0, true, END_ADD);
}

/** All M rows of A (from acol, kc steps) against one packed panel pb, into C's strip at ccol: the
 *  same blocks in the same order for gemm_nn and gemm_nn_packed, so their results are identical. */
// @ts-ignore: decorator
@inline function nnPanel(M: i32, kc: i32, acol: usize, sa: usize, pb: usize, ccol: usize, sc: usize, cols: i32, tile: usize): void {
  let m = 0;
  for (; m + 4 <= M; m += 4) nnBlock4(kc, acol + <usize>m * sa, sa, pb, ccol + <usize>m * sc, sc, cols, tile);
  for (; m < M; m++) nnBlock1(kc, acol + <usize>m * sa, pb, ccol + <usize>m * sc, sc, cols, tile);
}

export function gemm_nn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  const tile = scratch;
  const wb = scratch + TILE_BYTES;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let n0 = 0; n0 < N; n0 += 8) {
      const cols = min(8, N - n0);
      packB(B, sb, k0, kc, n0, cols, wb);
      nnPanel(M, kc, A + ((<usize>k0) << 2), sa, wb, C + ((<usize>n0) << 2), sc, cols, tile);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// B packed once, read by many products: a recurrence multiplies by the same W_hh at every step.
//
// The whole of B (K, N) as the panels gemm_nn packs one at a time: for each block of KC rows from
// k0, its strips of 8 columns (the last zero-padded), kc × 8 each; block k0 starts at float
// k0 · N8 (N8 = N rounded up to 8), its strip n0 at n0 · kc within it. The products read the same
// numbers in the same order as gemm_nn: the results are bit-identical.

/** floats of B (K, N) packed */
export function packed_size(K: i32, N: i32): i32 {
  return K * ((N + 7) & ~7);
}

/** B (K, N), row stride ldb → its panels at P (packed_size(K, N) floats) */
export function pack_b(P: usize, B: usize, ldb: i32, K: i32, N: i32): void {
  const sb = (<usize>ldb) << 2;
  const N8 = (N + 7) & ~7;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let n0 = 0; n0 < N; n0 += 8) packB(B, sb, k0, kc, n0, min(8, N - n0), P + ((<usize>(k0 * N8 + n0 * kc)) << 2));
  }
}

/**
 * B = Wᵀ, W (N, K) with row stride ldw → B's panels at P, as pack_b(P, B) would pack them: the
 * transpose and the packing in one pass (the forward's W_hhᵀ straight from W_hh). Eight rows of W
 * give a panel's eight columns; four steps of k at a time go through two 4 × 4 transposes.
 */
export function pack_bt(P: usize, W: usize, ldw: i32, K: i32, N: i32): void {
  const sw = (<usize>ldw) << 2;
  const N8 = (N + 7) & ~7;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let n0 = 0; n0 < N; n0 += 8) {
      const cols = min(8, N - n0);
      const dst = P + ((<usize>(k0 * N8 + n0 * kc)) << 2);
      const w0 = W + <usize>n0 * sw + ((<usize>k0) << 2); // W[n0, k0]
      let k = 0;
      if (cols == 8) {
        for (; k + 4 <= kc; k += 4) {
          const p = w0 + ((<usize>k) << 2);
          const q = dst + ((<usize>k) << 5);
          transpose4(q, 32, v128.load(p), v128.load(p + sw), v128.load(p + 2 * sw), v128.load(p + 3 * sw));
          const p4 = p + 4 * sw;
          transpose4(q + 16, 32, v128.load(p4), v128.load(p4 + sw), v128.load(p4 + 2 * sw), v128.load(p4 + 3 * sw));
        }
      }
      for (; k < kc; k++) {
        const q = dst + ((<usize>k) << 5);
        for (let c = 0; c < 8; c++) {
          store<f32>(q + ((<usize>c) << 2), c < cols ? load<f32>(w0 + <usize>c * sw + ((<usize>k) << 2)) : 0);
        }
      }
    }
  }
}

/** C (M, N) += A (M, K) · B, B packed by pack_b */
export function gemm_nn_packed(M: i32, N: i32, K: i32, A: usize, lda: i32, P: usize, C: usize, ldc: i32): void {
  const sa = (<usize>lda) << 2;
  const sc = (<usize>ldc) << 2;
  const tile = scratch;
  const N8 = (N + 7) & ~7;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let n0 = 0; n0 < N; n0 += 8) {
      const cols = min(8, N - n0);
      nnPanel(M, kc, A + ((<usize>k0) << 2), sa, P + ((<usize>(k0 * N8 + n0 * kc)) << 2), C + ((<usize>n0) << 2), sc, cols, tile);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// C (M, N) += Aᵀ · B,  A (K, M), B (K, N)
//
// K runs over T·B rows (hundreds to thousands), and A's four columns of a block sit in four
// floats of rows that are lda apart, so A[k0 : k0+kc, m0 : m0+MC] is first copied to 4-wide
// panels (kc × 4 each, contiguous, in L2) that every strip of B then passes over.

/** 4 columns of A (4 floats at pa, then pa += astep: 16 packed, lda·4 in place), kc steps, against the packed panel pb */
// @ts-ignore: decorator
@inline function tnBlock(kc: i32, pa: usize, astep: usize, pb: usize, C: usize, sc: usize, rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += astep;
    pb += 32;
  }
  addBlock(C, sc, rows, cols, tile, c00, c01, c10, c11, c20, c21, c30, c31);
}

export function gemm_tn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  const tile = scratch;
  const wb = scratch + TILE_BYTES;
  const wa = wb + B_PANEL_BYTES;
  const zero = f32x4.splat(0);
  if (N <= 8) {
    // One strip of B, so nothing would reuse a packed A: read A in place (weight gradients of a
    // layer with few inputs, the readout's bias-free parts).
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      packB(B, sb, k0, kc, 0, N, wb);
      const arow = A + <usize>k0 * sa;
      let m = 0;
      for (; m + 4 <= M; m += 4) tnBlock(kc, arow + ((<usize>m) << 2), sa, wb, C + <usize>m * sc, sc, 4, N, tile);
      for (; m < M; m++) {
        for (let n = 0; n < N; n++) {
          let ap = arow + ((<usize>m) << 2);
          let bp = wb + ((<usize>n) << 2);
          let acc: f32 = 0;
          for (let k = 0; k < kc; k++) {
            acc += load<f32>(ap) * load<f32>(bp);
            ap += sa;
            bp += 32;
          }
          const p = C + <usize>m * sc + ((<usize>n) << 2);
          store<f32>(p, load<f32>(p) + acc);
        }
      }
    }
    return;
  }
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let m0 = 0; m0 < M; m0 += MC) {
      const mc = min(MC, M - m0);
      // A[k0 : k0+kc, m0 : m0+mc] → panels of 4 columns; panel i, row k at wa + (i·kc + k)·16
      const panels = (mc + 3) >> 2;
      for (let i = 0; i < panels; i++) {
        const mb = m0 + 4 * i;
        const valid = min(4, M - mb);
        let src = A + <usize>k0 * sa + ((<usize>mb) << 2);
        let dst = wa + ((<usize>(i * kc)) << 4);
        if (valid == 4) {
          for (let k = 0; k < kc; k++) {
            v128.store(dst, v128.load(src));
            src += sa;
            dst += 16;
          }
        } else {
          for (let k = 0; k < kc; k++) {
            v128.store(dst, zero);
            for (let r = 0; r < valid; r++) store<f32>(dst + ((<usize>r) << 2), load<f32>(src + ((<usize>r) << 2)));
            src += sa;
            dst += 16;
          }
        }
      }
      for (let n0 = 0; n0 < N; n0 += 8) {
        const cols = min(8, N - n0);
        packB(B, sb, k0, kc, n0, cols, wb);
        for (let i = 0; i < panels; i++) {
          const mb = m0 + 4 * i;
          tnBlock(kc, wa + ((<usize>(i * kc)) << 4), 16, wb, C + <usize>mb * sc + ((<usize>n0) << 2), sc, min(4, M - mb), cols, tile);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A recurrence's pre-activations in one pass over them:
//
//   C (M, N) ← b1 + b2 + A1 (M, K1) · B1 + A2 (M, K2) · B2,  B1 and B2 packed (pack_b, pack_bt)
//
// At every step a_t = b_ih + b_hh + x_t W_ihᵀ + h_{t−1} W_hhᵀ. As three passes (fill a_t with the
// biases, += x_t W_ihᵀ, += h_{t−1} W_hhᵀ) each 4 × 8 block of a_t went through memory three times,
// and the first pass met its rows cold: the backward pass touched them last, megabytes ago. Here
// each block sums both products over all of K1 + K2 in its registers and is written once. The
// packing blocks (KC steps each) of A1·B1, then of A2·B2, go two at a time through one register
// block; with more than two (K1 or K2 over KC), the sum waits in the tile between pairs.
// b2 may be absent (0); K1 or K2 may be 0.

/** C (M, N), row stride ldc, ← b1 (+ b2) + A1 · B1 + A2 · B2 (see above); P1, P2 the packed B1 (K1, N), B2 (K2, N) */
export function gemm_affine_packed(
  M: i32, N: i32, b1: usize, b2: usize,
  K1: i32, A1: usize, lda1: i32, P1: usize,
  K2: i32, A2: usize, lda2: i32, P2: usize,
  C: usize, ldc: i32,
): void {
  const sa1 = (<usize>lda1) << 2;
  const sa2 = (<usize>lda2) << 2;
  const sc = (<usize>ldc) << 2;
  const tile = scratch;
  const N8 = (N + 7) & ~7;
  const blocks1 = (K1 + KC - 1) / KC;
  const blocks = blocks1 + (K2 + KC - 1) / KC; // the packing blocks of both products, in order
  for (let n0 = 0; n0 < N; n0 += 8) {
    const cols = min(8, N - n0);
    const o = (<usize>n0) << 2;
    const bias1 = b1 + o;
    const bias2 = b2 ? b2 + o : 0;
    for (let m = 0; m < M; m += 4) {
      const rows = min(4, M - m);
      // the blocks two at a time (the second of a pair absent: kc 0)
      for (let i = 0; i < max(blocks, 1); i += 2) {
        let kcA = 0;
        let kcB = 0;
        let aA: usize = 0;
        let aB: usize = 0;
        let pA: usize = 0;
        let pB: usize = 0;
        let sA: usize = 0;
        let sB: usize = 0;
        for (let h = 0; h < 2 && i + h < blocks; h++) {
          const two = i + h >= blocks1; // a block of A2 · B2
          const k0 = (two ? i + h - blocks1 : i + h) * KC;
          const kc = min(KC, (two ? K2 : K1) - k0);
          const sa = two ? sa2 : sa1;
          const a = (two ? A2 : A1) + <usize>m * sa + ((<usize>k0) << 2);
          const pb = (two ? P2 : P1) + ((<usize>(k0 * N8 + n0 * kc)) << 2);
          if (h == 0) {
            kcA = kc;
            aA = a;
            pA = pb;
            sA = sa;
          } else {
            kcB = kc;
            aB = a;
            pB = pb;
            sB = sa;
          }
        }
        const first = i == 0;
        const c = C + <usize>m * sc + o;
        const end = i + 2 >= blocks ? END_BIAS : END_TILE;
        if (rows == 4) block4(kcA, aA, sA, pA, kcB, aB, sB, pB, c, sc, cols, tile, bias1, bias2, first, end);
        else for (let r = 0; r < rows; r++) block1(kcA, aA + <usize>r * sA, pA, kcB, aB + <usize>r * sB, pB, c + <usize>r * sc, sc, cols, tile + ((<usize>r) << 5), bias1, bias2, first, end);
      }
    }
  }
}
