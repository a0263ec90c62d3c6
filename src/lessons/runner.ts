/**
 * Runs a lesson without a page: each variant trains through the worker's own Trainer (the same
 * steps, data and weights as in the browser, on the same seed), driven one `step` message at a
 * time, and the figures its claims check are collected from what the Trainer posts.
 *
 * No DOM and no Node API: the backends and the corpus come in through `RunnerDeps`, so the
 * command (scripts/lesson-cli.ts) and the tests share this one path.
 */
import type { Batch } from '../engine/batch';
import { layerParams } from '../engine/model';
import { spectralRadius } from '../engine/spectra';
import type { TaskInfo } from '../engine/tasks';
import type { BackendName, TrainingBackend } from '../kernels/types';
import type { BackendFactory } from '../worker/backends';
import type { PlaygroundConfig } from '../worker/config';
import { costCurvesOf } from '../worker/costs';
import { unpackParams, type FromWorker, type MetricFrame, type WeightsMessage } from '../worker/protocol';
import { TrainerRouter } from '../worker/router';
import { evaluateClaims, finalAverage, type ClaimResult, type LessonFigures, type VariantFigures } from './claims';
import { lessonVariants, type Lesson } from './lessons';

export interface RunnerDeps {
  createBackend: BackendFactory;
  /** the shipped corpus for the character model */
  loadDefaultText(): Promise<string>;
}

export interface RunOptions {
  seed: number;
  /** updates per variant; the lesson's own count when absent */
  steps?: number;
  backend: BackendName;
}

/** Weights are read back (and ρ sampled) this often; it also bounds the batches the Trainer keeps
 *  for a backend handover, which the page's clock would otherwise bound. */
const READ_BACK_EVERY = 20;

/** Steps scored per sequence in this batch: Σ mask / B, T for an unmasked every-step readout, 1 for a final-step one. */
export function scoredStepsPerSequence(batch: Batch, info: TaskInfo): number {
  if (info.readout === 'final_step') return 1;
  if (!batch.mask) return batch.T;
  let s = 0;
  for (const m of batch.mask) s += m;
  return s / batch.B;
}

function rhoOf({ spec, params }: WeightsMessage): number {
  return spectralRadius(layerParams(unpackParams(spec, params), 0, 0).W_hh, spec.hiddenSize);
}

/** Trains one variant for `steps` updates (or until it diverges) and returns its figures. */
export async function runVariant(label: string, role: VariantFigures['role'], config: PlaygroundConfig, steps: number, deps: RunnerDeps): Promise<VariantFigures> {
  const messages: FromWorker[] = [];
  // Per applied step, from the batches the backend really trained on: the loss per scored step.
  const scored: number[] = [];
  let info: TaskInfo | null = null;
  const createBackend = async (name: BackendName): Promise<TrainingBackend> => {
    const inner = await deps.createBackend(name);
    return {
      ...inner,
      async trainStep(batch, opts) {
        const stats = await inner.trainStep(batch, opts);
        if (stats.applied && info) scored.push(scoredStepsPerSequence(batch, info));
        return stats;
      },
    };
  };
  // A clock that stands still: the Trainer then runs the analysis only when asked (at the start and
  // at the end), and reads weights back only when asked; neither changes what it trains.
  const trainer = new TrainerRouter({ post: (m) => messages.push(m), createBackend, loadDefaultText: deps.loadDefaultText, now: () => 0, yieldToEvents: async () => {} });
  await trainer.handle({ type: 'configure', runId: 1, config });
  const ready = messages.find((m) => m.type === 'ready');
  if (!ready || ready.type !== 'ready') {
    const why = messages.find((m) => m.type === 'notice');
    throw new Error(`${label}: the run did not start${why && why.type === 'notice' ? `: ${why.message}` : ''}`);
  }
  info = ready.task;
  const used = messages.filter((m) => m.type === 'backend').pop();
  // The encoder–decoder trains in the float64 engine whatever backend is asked for (worker/seq2seqTrainer.ts).
  const seq2seq = info.id === 'seq2seq';
  if (!seq2seq && used?.type === 'backend' && used.backend.name !== config.backend) throw new Error(`${label}: the ${config.backend} backend did not start (${used.backend.name} ran instead)`);
  const isRnn = !seq2seq && ready.model.cell === 'rnn'; // ρ(W_hh) of a plain stack; the encoder–decoder has two
  let requestId = 0;
  const readBack = async (): Promise<number | null> => {
    const id = ++requestId;
    await trainer.handle({ type: 'readWeights', requestId: id });
    const m = messages.find((x) => x.type === 'weights' && x.requestId === id);
    const rho = isRnn && m?.type === 'weights' ? rhoOf(m.weights) : null;
    // Keep only the frames; the weights are done with.
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i].type === 'weights') messages.splice(i, 1);
    return rho;
  };
  const rhos: number[] = [];
  const sampleRho = async () => {
    const rho = await readBack();
    if (rho !== null) rhos.push(rho);
  };
  await sampleRho();
  const firstFrame = messages.find((m): m is MetricFrame => m.type === 'frame');
  const initialJacobianSingularValues = firstFrame?.analysis?.stateJacobianSingularValues ?? null;

  let diverged = false;
  for (let done = 0; done < steps && !diverged; done++) {
    await trainer.handle({ type: 'step' });
    diverged = messages.some((m) => m.type === 'notice' && m.code === 'diverged');
    if ((done + 1) % READ_BACK_EVERY === 0) await sampleRho();
  }
  await sampleRho();

  const frames = messages.filter((m): m is MetricFrame => m.type === 'frame');
  const rawLoss = frames.flatMap((f) => Array.from(f.losses));
  const metric = frames.flatMap((f) => Array.from(f.metrics));
  // No backend trains the encoder–decoder, so its frames' own loss per target step is the one.
  if (seq2seq) scored.push(...frames.flatMap((f) => Array.from(f.losses, () => info.T)));
  if (rawLoss.length !== scored.length) throw new Error(`${label}: ${rawLoss.length} losses for ${scored.length} batches`);
  const loss = rawLoss.map((l, i) => l / scored[i]);
  const last = frames[frames.length - 1];
  const lastInput = frames.filter((f) => f.inputGradNorms.length > 0).pop(); // every `step` computes it
  return {
    label,
    role,
    steps: metric.length,
    diverged,
    metric: { name: info.metric.name, final: finalAverage(metric), baseline: info.baseline.value, higherIsBetter: info.metric.higherIsBetter },
    loss: { final: finalAverage(loss) },
    spectralRadius: isRnn ? { start: rhos[0], end: rhos[rhos.length - 1] } : null,
    gradNormByStep: Array.from(last.hiddenGradNorms),
    inputGradNorms: lastInput ? Array.from(lastInput.inputGradNorms) : [],
    history: { metric, loss, spectralRadius: isRnn ? rhos : null, step: frames.flatMap((f) => Array.from(f.stepIndices)) },
    initialJacobianSingularValues,
    costs: costCurvesOf(config, info),
  };
}

export interface LessonReport {
  lesson: string;
  seed: number;
  steps: number;
  figures: LessonFigures;
  claims: ClaimResult[];
}

/** Every variant of a lesson on one seed, one after the other, and its claims on the result. */
export async function runLesson(lesson: Lesson, opts: RunOptions, deps: RunnerDeps): Promise<LessonReport> {
  const steps = opts.steps ?? lesson.steps;
  const variants: VariantFigures[] = [];
  for (const v of lessonVariants(lesson)) variants.push(await runVariant(v.label, v.role, { ...v.config, seed: opts.seed, backend: opts.backend }, steps, deps));
  const figures = { variants };
  return { lesson: lesson.id, seed: opts.seed, steps, figures, claims: evaluateClaims(lesson.claims, figures) };
}

/** The report as the command prints it (non-finite numbers become null). */
export function reportJson(r: LessonReport): unknown {
  return {
    lesson: r.lesson,
    seed: r.seed,
    steps: r.steps,
    variants: r.figures.variants.map((v) => ({
      label: v.label,
      role: v.role,
      steps: v.steps,
      diverged: v.diverged,
      metric: { name: v.metric.name, final: v.metric.final, baseline: v.metric.baseline },
      loss: { final: v.loss.final },
      spectralRadius: v.spectralRadius,
      gradNormByStep: v.gradNormByStep,
      inputGradNorms: v.inputGradNorms,
    })),
    claims: r.claims,
  };
}
