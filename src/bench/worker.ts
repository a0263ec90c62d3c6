/**
 * The bench worker: a dedicated module worker, where the app trains too. It runs one job (one
 * backend, cell and size; or the matmul peak) and posts one result; the page gives every job a
 * fresh worker, so that no backend's state or memory leaks into the next one's numbers.
 *
 * Our backends come from the registry (src/kernels/registry.ts), each loaded on first use; one
 * that cannot start is reported as unavailable. TF.js loads only for TF.js jobs (dynamic imports), so our backends' workers never pay for it.
 */
import type { Batch } from '../engine/batch';
import { initModel } from '../engine/init';
import type { ModelSpec } from '../engine/model';
import { Rng } from '../engine/rng';
import { createBackend } from '../kernels/registry';
import type { TrainOptionsForBackend } from '../kernels/types';
import { isTfjs, type BenchJob, type JobResult, type OurBackend, type PeakJob, type PeakResult, type TfjsBackend, type TrainJob, type TrainResult } from './protocol';
import tfjsWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((ev: MessageEvent<BenchJob>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** One training step; returns the loss. */
type Step = () => Promise<number>;

interface Prepared {
  description: string;
  isSoftware: boolean;
  step: Step;
  dispose(): void;
}

/** Random inputs and targets, time-major (T, B, ·) as our engine takes them. */
function dataOf(job: TrainJob): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(7);
  const x = new Float64Array(job.T * job.B * job.D).map(() => rng.normal()); // (T, B, D)
  const y = new Float64Array(job.T * job.B * job.Y).map(() => rng.normal()); // (T, B, Y)
  return { x, y };
}

async function prepareOurs(job: TrainJob, name: OurBackend): Promise<Prepared> {
  // wasm on two threads where the page can share memory and has a second core: the training speed of
  // the backend itself (the app keeps one thread on a machine with fewer than 4 cores: see defaultThreads)
  const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const backend = await createBackend(name, name === 'wasm' && isolated && navigator.hardwareConcurrency >= 2 ? { threads: 2 } : {});
  const spec: ModelSpec = { cell: job.cell, nonlinearity: 'tanh', inputSize: job.D, hiddenSize: job.H, numLayers: 1, bidirectional: false, outputSize: job.Y, initialState: 'zero' };
  await backend.setModel(initModel(spec, { scheme: 'pytorch' }, new Rng(1)));
  const { x, y } = dataOf(job);
  const batch: Batch = { B: job.B, T: job.T, inputSize: job.D, x, target: y };
  // No clipping: TF.js's compiled Adam does not clip either. The page's worker reads back what
  // this does: outputs, ‖∂L/∂h_t‖ per t, the final state (hiddenReads: false, as src/worker/trainer.ts).
  const opts: TrainOptionsForBackend = { loss: 'mse', readout: 'every_step', truncation: null, clip: null, optimizer: { name: 'adam', lr: 1e-3 }, hiddenReads: false };
  return {
    description: backend.description,
    isSoftware: backend.isSoftware,
    step: async () => (await backend.trainStep(batch, opts)).loss,
    dispose: () => backend.dispose(),
  };
}

/** (T, B, K) time-major to (B, T, K) batch-major, as tf.layers takes it. */
function batchMajor(a: Float64Array, T: number, B: number, K: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) out[(b * T + t) * K + k] = a[(t * B + b) * K + k];
  return out;
}

function rendererOf(gl: WebGLRenderingContext | WebGL2RenderingContext | undefined): string {
  if (!gl) return 'unknown renderer';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

async function prepareTfjs(job: TrainJob, name: TfjsBackend): Promise<Prepared> {
  const tf = await import('@tensorflow/tfjs');
  const tfName = name.slice('tfjs-'.length);
  let description = `TF.js ${tf.version.tfjs} ${tfName}`;
  if (tfName === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': tfjsWasmUrl, 'tfjs-backend-wasm-simd.wasm': tfjsWasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreadedUrl });
  }
  if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') failed`);
  await tf.ready();
  let isSoftware = false;
  if (tfName === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    description += simd ? ' (SIMD' : ' (no SIMD';
    description += threads ? ', multi-threaded)' : ', 1 thread: the page is not cross-origin isolated)';
  } else if (tfName === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    const renderer = rendererOf(gl);
    description += ` on ${renderer}`;
    isSoftware = /swiftshader|llvmpipe|software|basic render/i.test(renderer);
  } else {
    description += ' (float32 JavaScript)';
  }

  const { T, B, D, H, Y } = job;
  const model = tf.sequential();
  const rnnArgs = { units: H, returnSequences: true, inputShape: [T, D] };
  model.add(job.cell === 'lstm' ? tf.layers.lstm(rnnArgs) : job.cell === 'gru' ? tf.layers.gru(rnnArgs) : tf.layers.simpleRNN({ ...rnnArgs, activation: 'tanh' }));
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: Y }) }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const { x, y } = dataOf(job);
  const xs = tf.tensor3d(batchMajor(x, T, B, D), [B, T, D]);
  const ys = tf.tensor3d(batchMajor(y, T, B, Y), [B, T, Y]);
  return {
    description,
    isSoftware,
    step: async () => {
      const loss = await model.trainOnBatch(xs, ys); // reads the loss back: the step has finished
      return Array.isArray(loss) ? loss[0] : loss;
    },
    dispose: () => {
      xs.dispose();
      ys.dispose();
      model.dispose();
    },
  };
}

async function runTrain(job: TrainJob): Promise<TrainResult> {
  const p = isTfjs(job.backend) ? await prepareTfjs(job, job.backend) : await prepareOurs(job, job.backend);
  try {
    const t0 = performance.now();
    const lossFirst = await p.step();
    const firstStepMs = performance.now() - t0;
    for (let i = 1; i < job.warmup; i++) await p.step();
    let steps = 0;
    let lossLast = lossFirst;
    const start = performance.now();
    let elapsed = 0;
    while (steps === 0 || elapsed < job.seconds * 1000) {
      lossLast = await p.step();
      steps++;
      elapsed = performance.now() - start;
    }
    return { kind: 'train', ok: true, description: p.description, isSoftware: p.isSoftware, steps, seconds: elapsed / 1000, stepsPerSecond: steps / (elapsed / 1000), firstStepMs, lossFirst, lossLast };
  } finally {
    p.dispose();
  }
}

/** GFLOP/s of an n³ f32 matmul with the wasm backend's own SIMD kernel (gemm_nn), best of many. */
async function runPeak(job: PeakJob): Promise<PeakResult> {
  const k = await (await import('../kernels/wasm/loader')).loadKernels();
  if (typeof k.gemm_nn !== 'function') throw new Error('the wasm kernels export no gemm_nn');
  const n = job.n;
  const base = Math.ceil(Math.max(k.heap_base(), 1024) / 64) * 64;
  const need = base + 3 * n * n * 4;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const [A, Bm, C] = [base, base + n * n * 4, base + 2 * n * n * 4];
  const f = new Float32Array(k.memory.buffer);
  const rng = new Rng(3);
  for (let i = 0; i < 2 * n * n; i++) f[(A >> 2) + i] = rng.uniformIn(-0.5, 0.5);
  k.gemm_nn(n, n, n, A, n, Bm, n, C, n); // warm-up (tier-up)
  const reps = Math.max(1, Math.round(4e7 / (2 * n ** 3))); // each timed batch ≈ 40 MFLOP
  let best = Infinity;
  const start = performance.now();
  while (performance.now() - start < job.seconds * 1000 || best === Infinity) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) k.gemm_nn(n, n, n, A, n, Bm, n, C, n);
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return { kind: 'peak', ok: true, description: 'gemm_nn of src/kernels/wasm (WebAssembly SIMD, f32, 1 thread)', n, msPerMatmul: best, gflops: (2 * n ** 3) / (best / 1000) / 1e9 };
}

scope.onmessage = (ev) => {
  const job = ev.data;
  const run = job.kind === 'peak' ? runPeak(job) : runTrain(job);
  run.then(
    (result: JobResult) => scope.postMessage(result),
    (err: unknown) => scope.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies JobResult),
  );
};
