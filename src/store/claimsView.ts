/**
 * The claims of the lesson on screen, evaluated on the runs on screen: what the lesson bar ticks.
 * Whoever shows a lesson's runs publishes their figures here (the side-by-side view for its
 * variants, the playground for a single-run lesson); the same checks `npm run lesson` prints.
 * Evaluation is throttled (a few times a second is plenty to read, and it never blocks a frame).
 */
import { create } from 'zustand';
import { evaluateClaims, type ClaimResult, type LessonFigures } from '../lessons/claims';
import type { Lesson } from '../lessons/lessons';

export interface ClaimsView {
  lesson: string;
  results: ClaimResult[];
  /** the fewest steps any of the lesson's runs has done, and the count the claims are made for */
  step: number;
  steps: number;
}

export const useLessonClaims = create<ClaimsView | null>()(() => null);

const EVERY_MS = 250;
let pending: { lesson: Lesson; figures: () => LessonFigures } | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastAt = -Infinity;

function evaluate(): void {
  timer = null;
  if (!pending) return;
  const { lesson, figures } = pending;
  pending = null;
  lastAt = performance.now();
  const f = figures();
  useLessonClaims.setState({ lesson: lesson.id, results: evaluateClaims(lesson.claims, f), step: Math.min(...f.variants.map((v) => v.steps)), steps: lesson.steps }, true);
}

/** New figures for the lesson's runs (computed lazily, at most every EVERY_MS). */
export function publishFigures(lesson: Lesson, figures: () => LessonFigures): void {
  pending = { lesson, figures };
  if (timer !== null) return;
  timer = setTimeout(evaluate, Math.max(0, lastAt + EVERY_MS - performance.now()));
}

/** No lesson runs on screen (free play, or a comparing lesson's full playground). */
export function clearClaims(): void {
  pending = null;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  useLessonClaims.setState(null, true);
}
