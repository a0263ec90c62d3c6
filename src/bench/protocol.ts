/**
 * What the bench page (src/bench/main.ts), its worker (src/bench/worker.ts) and the driver
 * (scripts/bench.ts) say to each other. Pure types and arithmetic: no DOM, no Node.
 */
import type { CellKind } from '../engine/model';
import { BACKEND_NAMES } from '../kernels/registry';
import type { BackendName } from '../kernels/types';

/** ours: every backend of the registry */
export const OUR_BACKENDS: readonly BackendName[] = BACKEND_NAMES;
export const TFJS_BACKENDS = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'] as const;
export type OurBackend = BackendName;
export type TfjsBackend = (typeof TFJS_BACKENDS)[number];
export type BenchBackend = OurBackend | TfjsBackend;
export const ALL_BACKENDS: readonly BenchBackend[] = [...OUR_BACKENDS, ...TFJS_BACKENDS];

export function isTfjs(b: BenchBackend): b is TfjsBackend {
  return b.startsWith('tfjs-');
}

/** One training configuration, timed for `seconds` after `warmup` steps. */
export interface TrainJob {
  kind: 'train';
  backend: BenchBackend;
  cell: CellKind;
  B: number;
  T: number;
  D: number;
  H: number;
  Y: number;
  seconds: number;
  warmup: number;
}

/** The WASM-SIMD matmul peak: an n³ f32 matmul with the wasm backend's own kernel. */
export interface PeakJob {
  kind: 'peak';
  n: number;
  seconds: number;
}

export type BenchJob = TrainJob | PeakJob;

export interface TrainResult {
  kind: 'train';
  ok: true;
  /** what really ran, e.g. "WebAssembly SIMD (float32)" or "TF.js webgl: ANGLE (… SwiftShader …)" */
  description: string;
  /** a CPU emulator pretending to be a GPU (SwiftShader, a fallback adapter): not a speed claim */
  isSoftware: boolean;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  /** the first warm-up step (shader compiles, buffer sizing) */
  firstStepMs: number;
  lossFirst: number;
  lossLast: number;
}

export interface PeakResult {
  kind: 'peak';
  ok: true;
  description: string;
  n: number;
  /** best of many timed runs */
  msPerMatmul: number;
  gflops: number;
}

export interface Failure {
  ok: false;
  error: string;
}

export type JobResult = TrainResult | PeakResult | Failure;

export interface BenchPageApi {
  ready: true;
  /** runs one job in a fresh dedicated worker; a job still running after `timeoutMs` is ended */
  run(job: BenchJob, timeoutMs: number): Promise<JobResult>;
}

declare global {
  interface Window {
    /** the bench page's API (src/bench/main.ts) */
    bench: BenchPageApi;
  }
}

/** Gates per cell, as in src/engine/model.ts (kept here so that the driver needs nothing else). */
export function gatesOfCell(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * FLOPs of one training step of a one-layer, one-direction model: forward 2·B·T·G·H·(D+H) for the
 * layer plus 2·B·T·H·Y for the readout, backward about twice the forward.
 */
export function flopsPerStep(cell: CellKind, B: number, T: number, D: number, H: number, Y: number): number {
  const forward = 2 * B * T * gatesOfCell(cell) * H * (D + H) + 2 * B * T * H * Y;
  return 3 * forward;
}
