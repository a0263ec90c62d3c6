/**
 * The native anchor of `npm run bench`: PyTorch on this machine's CPU (float32), timed by
 * ../shared/bench/torch_rnn_steps.py on the very model the browser rows time (one layer, B = 32,
 * T = 50, D = Y = 8, every-step MSE, Adam). It runs once per thread count (1 and 2: on a small
 * machine PyTorch's second thread often costs more than it gives) and keeps the best per cell and
 * size, as the goal says ("best of 1 and 2 threads").
 *
 * It needs a python3 that imports torch: /usr/bin/python3 with Debian's python3-torch first (a
 * pyenv python3 on PATH usually has none), then python3 on PATH. OpenBLAS's processor overrides
 * are removed from the environment, as ../shared/bench/README.md says. Without torch the column
 * says why, and the rest of the bench runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CellKind } from '../src/engine/model';

export interface NativeRow {
  cell: CellKind;
  H: number;
  /** the better of the thread counts tried */
  threads: number;
  stepsPerSecond: number;
  gflops: number;
  /** steps/s per thread count tried */
  byThreads: Record<number, number>;
}

export interface NativeResult {
  rows: NativeRow[];
  /** what ran: interpreter, torch version, BLAS */
  description: string;
  /** why there is no column, when there is none */
  error?: string;
}

const SCRIPT = resolve(import.meta.dirname, '../../shared/bench/torch_rnn_steps.py');

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.OPENBLAS_CORETYPE;
  delete e.OPENBLAS_L2_SIZE;
  return e;
}

/** The first python3 that imports torch, and what it says of itself. */
function findTorch(): { python: string; about: string } | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    const r = spawnSync(python, ['-c', "import torch; print(f'PyTorch {torch.__version__}')"], { encoding: 'utf8', env: env(), timeout: 60_000 });
    if (r.status === 0) return { python, about: r.stdout.trim() };
  }
  return null;
}

/** Which BLAS library the process really maps (Debian switches it by alternatives, not by build). */
function blasOf(python: string): string {
  const r = spawnSync(python, ['-c', "import torch, re; torch.ones(2, 2) @ torch.ones(2, 2); print(' '.join(sorted({re.sub(r'.*/', '', l.split()[-1]) for l in open('/proc/self/maps') if 'blas' in l})))"], { encoding: 'utf8', env: env(), timeout: 60_000 });
  const libs = r.status === 0 ? r.stdout.trim() : '';
  if (!libs) return 'BLAS unknown';
  return /openblas/i.test(libs) ? `OpenBLAS (${libs})` : `reference BLAS (${libs}): install libopenblas0-pthread for a fair anchor`;
}

export function measureNative(cells: CellKind[], sizes: number[], seconds: number, progress: (m: string) => void): NativeResult {
  if (!existsSync(SCRIPT)) return { rows: [], description: '', error: `no native anchor script at ${SCRIPT}` };
  const torch = findTorch();
  if (!torch) return { rows: [], description: '', error: 'no python3 here imports torch (Debian: apt-get install python3-torch libopenblas0-pthread)' };
  const description = `${torch.about} on the CPU, float32, ${blasOf(torch.python)} (${torch.python} ${SCRIPT.split('/').slice(-3).join('/')})`;
  const best = new Map<string, NativeRow>();
  for (const threads of [1, 2]) {
    progress(`native PyTorch, ${threads} thread(s)…`);
    const r = spawnSync(torch.python, [SCRIPT, '--threads', String(threads), '--seconds', String(seconds), '--sizes', sizes.join(','), '--cells', cells.join(',')], {
      encoding: 'utf8',
      env: env(),
      timeout: 30 * 60_000,
    });
    if (r.status !== 0) return { rows: [...best.values()], description, error: `torch_rnn_steps.py --threads ${threads} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}` };
    for (const line of r.stdout.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      const o = JSON.parse(line) as { cell: CellKind; H: number; threads: number; steps_per_s: number; gflops: number };
      const key = `${o.cell} ${o.H}`;
      const have = best.get(key);
      const byThreads = { ...(have?.byThreads ?? {}), [threads]: o.steps_per_s };
      if (!have || o.steps_per_s > have.stepsPerSecond) best.set(key, { cell: o.cell, H: o.H, threads, stepsPerSecond: o.steps_per_s, gflops: o.gflops, byThreads });
      else have.byThreads = byThreads;
    }
  }
  return { rows: [...best.values()], description };
}
