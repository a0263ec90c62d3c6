/** Shared by the engine's tests: the reference cases and the tolerance rule of their README. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared beside the project (CI clones the project with shared/ beside it). */
export const SHARED = process.env.RNN_PLAYGROUND_SHARED ?? resolve(here, '../../shared');
export const CASES_DIR = join(SHARED, 'reference', 'cases');

/** The case files of a folder (the RNN's cases unless told), sorted. */
export function caseFiles(dir = CASES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Every number of a nested value, objects in key order (so two state_dicts line up). */
export function flatten(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const e of v) flatten(e, out);
  else if (v && typeof v === 'object') for (const k of Object.keys(v).sort()) flatten((v as Record<string, unknown>)[k], out);
  return out;
}

/** The reference README's rule: ‖ours − ref‖₂ / max(‖ref‖₂, 1e-30). */
export function relativeError(ours: unknown, ref: unknown): number {
  const a = flatten(ours);
  const b = flatten(ref);
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-30);
}
