/**
 * Loads the kernels module (built from ./assembly by scripts/build-wasm.mjs) in a browser, a Web
 * Worker or Node: build/rnn.wasm (one thread, its own memory) or build/rnn-mt.wasm (the threaded
 * build: it imports a shared memory; ./threads.ts). In a Vite build each
 * `new URL('./build/….wasm', import.meta.url)` becomes a hashed asset; in Node (tests, benchmarks)
 * the URL is a file: URL, read with node:fs.
 */
import type { WasmMixerExports } from './mixers';

/** The module's exports. Pointers are byte offsets into `memory`; sizes and strides are in floats. */
export interface WasmKernels extends WasmMixerExports {
  readonly memory: WebAssembly.Memory;
  heap_base(): number;
  /** moves this instance's packing area (the threaded build's helper gets its own) */
  set_scratch(p: number): void;
  /** the bytes of one packing area */
  scratch_bytes(): number;
  gemm_nn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void;
  gemm_tn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void;
  /** floats of B (K, N) packed for gemm_nn_packed */
  packed_size(K: number, N: number): number;
  /** B (K, N), row stride ldb → its panels at P */
  pack_b(P: number, B: number, ldb: number, K: number, N: number): void;
  /** Wᵀ, W (N, K) row stride ldw, → panels at P, as pack_b would pack Wᵀ (K, N) */
  pack_bt(P: number, W: number, ldw: number, K: number, N: number): void;
  /** C (M, N) += A (M, K) · B, B packed at P: bit-identical to gemm_nn */
  gemm_nn_packed(M: number, N: number, K: number, A: number, lda: number, P: number, C: number, ldc: number): void;
  /** C (M, N) ← b1 (+ b2) + A1 (M, K1) · B1 + A2 (M, K2) · B2, B1 and B2 packed at P1, P2: a step's pre-activations in one pass */
  gemm_affine_packed(
    M: number, N: number, b1: number, b2: number,
    K1: number, A1: number, lda1: number, P1: number,
    K2: number, A2: number, lda2: number, P2: number,
    C: number, ldc: number,
  ): void;
  rnn_fwd(act: number, B: number, H: number, a: number, hout: number, ldo: number): void;
  rnn_bwd(act: number, B: number, H: number, h: number, dout: number, ldo: number, dnext: number, dA: number): void;
  lstm_fwd(B: number, H: number, gates: number, cprev: number, c: number, tc: number, hout: number, ldo: number): void;
  lstm_bwd(B: number, H: number, gates: number, cprev: number, tc: number, dout: number, ldo: number, dnext: number, dcnext: number, dA: number): void;
  gru_fwd(B: number, H: number, gi: number, gh: number, hprev: number, ldp: number, hn: number, hout: number, ldo: number): void;
  gru_bwd(
    B: number, H: number, gates: number, hn: number, hprev: number, ldp: number,
    dout: number, ldo: number, dnext: number, dgi: number, dgh: number,
  ): void;
  fill_rows(C: number, M: number, N: number, ldc: number, b1: number, b2: number): void;
  col_sums(dst: number, A: number, M: number, N: number, lda: number): void;
  transpose(dst: number, ldd: number, src: number, R: number, C: number): void;
  sumsq(x: number, n: number): number;
  scale(x: number, n: number, s: number): void;
  clamp(x: number, n: number, c: number): number;
  sgd(p: number, g: number, v: number, n: number, lr: number, mu: number, first: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, bc1: number, sqrtBc2: number): void;
  rmsprop(p: number, g: number, v: number, n: number, lr: number, alpha: number, eps: number): void;
  /** float64, for the analysis (./dense.ts): eigenvalues of H (n, n) into re, im (n); ort, f (n) work */
  hessenberg_eigenvalues(H: number, n: number, re: number, im: number, ort: number, f: number, maxPerValue: number): number;
  /** float64: A (rows, cols) to its upper bidiagonal d, e (cols); w (cols), v (rows) work */
  bidiagonalize(A: number, rows: number, cols: number, d: number, e: number, w: number, v: number): void;
  /** float64: the singular values of the bidiagonal (d, e) (cols) into d, unsorted */
  bidiagonal_sv(d: number, e: number, n: number, maxPerValue: number): void;
  /** float32 products for the fast analysis: J (n, n) float64 → compact float32 rows; Z = J Q and Jᵀ Y from them (Q, Y, Z float64 (n, m); work (m, n) float32) */
  compact_f32(src: number, n: number, dense: number, dst: number): void;
  apply_j32(A: number, n: number, dense: number, Q: number, m: number, Z: number, work: number): void;
  apply_jt32(A: number, n: number, dense: number, Y: number, m: number, Z: number, work: number): void;
  /** float64: max |x_i| over x (len), NaN if any entry is NaN, Infinity if any is infinite */
  max_abs(x: number, len: number): number;
  /** float64: dst row i (stride in floats) += d[i] · src row i, len entries, for i < rows (rows with d[i] = 0 skipped if skipZero) */
  add_scaled_rows(dst: number, dstStride: number, src: number, srcStride: number, d: number, rows: number, len: number, skipZero: number): void;
  /** float64 products as src/engine/linalg.ts's addMatMulBT, addMatMul, addMatMulAT (same argument order) */
  mm_bt(out: number, X: number, W: number, M: number, N: number, K: number): void;
  mm_acc(dX: number, dA: number, W: number, M: number, N: number, K: number): void;
  mm_at(dW: number, dA: number, X: number, M: number, N: number, K: number): void;
}

/** Where the module comes from: its bytes, a compiled module, or a URL (default: the built asset). */
export type WasmSource = BufferSource | WebAssembly.Module | string | URL;

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)), as wasm-feature-detect probes SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Whether this engine runs WebAssembly SIMD (fixed-width, 128-bit), which the wasm backend needs. */
export function isWasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Which build: 'st' one thread (build/rnn.wasm), 'mt' the threaded build on a shared memory (build/rnn-mt.wasm). */
export type WasmBuild = 'st' | 'mt';

function urlOf(build: WasmBuild): URL {
  // Written out literally so that Vite sees them and emits the assets.
  return build === 'mt' ? new URL('./build/rnn-mt.wasm', import.meta.url) : new URL('./build/rnn.wasm', import.meta.url);
}

/** The threaded build's memory limits, in 64 KiB pages, as scripts/build-wasm.mjs declares them. */
export const MT_PAGES = { initial: 16, maximum: 32768 } as const;

async function readBytes(url: URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    // Node only; the specifier is a variable so that bundlers leave it alone.
    const fsModule = 'node:fs/promises';
    const fs = await import(/* @vite-ignore */ fsModule);
    try {
      return await fs.readFile(url);
    } catch (err) {
      throw new Error(`wasm backend: cannot read ${url.pathname} (${(err as Error).message}); build it with \`npm run build:wasm\``);
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm backend: fetching ${url.href} gave HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Each built module, compiled once per page or worker: every backend then instantiates its own memory. */
const builtModules = new Map<WasmBuild, Promise<WebAssembly.Module>>();

export function compileBuilt(build: WasmBuild = 'st'): Promise<WebAssembly.Module> {
  let module = builtModules.get(build);
  if (!module) {
    module = readBytes(urlOf(build))
      .then((bytes) => WebAssembly.compile(bytes as BufferSource))
      .catch((err: unknown) => {
        builtModules.delete(build); // let a later call try again
        throw err;
      });
    builtModules.set(build, module);
  }
  return module;
}

export async function loadKernels(source?: WasmSource): Promise<WasmKernels> {
  if (!isWasmSimdSupported()) throw new Error('wasm backend: this WebAssembly engine has no SIMD support');
  let module: WebAssembly.Module;
  if (source === undefined) module = await compileBuilt('st');
  else if (source instanceof WebAssembly.Module) module = source;
  else {
    const bytes = typeof source === 'string' || source instanceof URL ? await readBytes(new URL(source, urlOf('st'))) : source;
    module = await WebAssembly.compile(bytes as BufferSource);
  }
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as WasmKernels;
}
