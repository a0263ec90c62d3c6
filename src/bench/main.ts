/**
 * The bench page: exposes `window.bench.run(job, timeoutMs)` to scripts/bench.ts. Every job runs in
 * a fresh dedicated module worker (as the app trains), which is ended when the job is done or
 * when it runs past its time limit (a software GPU can take minutes per step).
 */
import type { BenchJob, JobResult } from './protocol';

const log = document.getElementById('log');

function describe(job: BenchJob): string {
  return job.kind === 'peak' ? `peak ${job.n}³` : `${job.backend} ${job.cell} H=${job.H}`;
}

window.bench = {
  ready: true,
  run(job, timeoutMs) {
    return new Promise<JobResult>((resolve) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      let done = false;
      const finish = (r: JobResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        worker.terminate();
        if (log) log.textContent += `${describe(job)}: ${JSON.stringify(r)}\n`;
        resolve(r);
      };
      const timer = setTimeout(() => finish({ ok: false, error: `timed out after ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
      worker.onmessage = (e: MessageEvent<JobResult>) => finish(e.data);
      worker.onerror = (e: ErrorEvent) => finish({ ok: false, error: `worker error: ${e.message || 'failed to load'}` });
      worker.postMessage(job);
    });
  },
};
