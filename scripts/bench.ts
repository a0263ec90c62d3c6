/**
 * `npm run bench`: training speed of our backends against TensorFlow.js, in headless Chromium.
 *
 *   npm run bench -- [--cells rnn,lstm,gru] [--sizes 32,64,128,256] [--seconds 3] [--warmup 2] [--rounds 1]
 *                    [--backends reference,wasm,webgpu,gpujs,tfjs-cpu,tfjs-wasm,tfjs-webgl]
 *                    [--timeout 120] [--app-seconds 10] [--no-app] [--no-peak] [--no-native] [--no-build]
 *                    [--app-only] [--app-queries '?backend=wasm,?backend=wasm&h=128']
 *
 * Steps 2 and 2b run row by row: for each cell and H, our backends, then native PyTorch, then
 * TF.js, so that ours and PyTorch's are measured seconds apart. --rounds N repeats them N times and
 * keeps each row's best round (the native anchor's too), and adds a "paired" column: the median
 * and range of the rounds' own ratios. On a shared machine one 3 s window can fall into another
 * tenant's burst of work, on either side; a pair measured back to back mostly shares it.
 * --app-only measures only step 3 (no bench page, no peak, no training rows, no native PyTorch):
 * the quick loop for work on the page's frame rate. --app-queries picks which app URLs step 3 opens.
 * --app-profile DIR also records a CPU profile of the app's main thread during each measurement
 * (DIR/app-<n>.cpuprofile, opens in Chrome DevTools) and prints its top self-time functions; the
 * profiler's own cost lowers the fps of that run, so profile and measure in separate runs.
 * --app-trace DIR records a Chromium trace instead (DIR/app-<n>.trace.json, opens in DevTools'
 * Performance panel) and prints the main thread's self time per trace event (style, layout, paint,
 * script…): where "(program)" in a CPU profile goes.
 *
 * It builds the bench page (vite.bench.config.ts → dist-bench/page) and the app (→ dist-bench/app),
 * serves both with `vite preview` (ports 4191 and 4192), and in one browser:
 *  1. the WASM-SIMD matmul peak: a 128³ f32 matmul with the wasm backend's own gemm kernel;
 *  2. every backend × cell × H: training steps/s at B = 32, T = 50, D = Y = 8, every-step MSE,
 *     Adam, each in a fresh dedicated worker, timed for --seconds after --warmup steps; TF.js runs
 *     tf.layers SimpleRNN/LSTM/GRU (returnSequences) + TimeDistributed(Dense), model.trainOnBatch;
 *  2b. native PyTorch on the same machine, the same model (./bench-native.ts), best of 1 and 2
 *     threads, and our best backend's ratio to it (--no-native leaves it out);
 *  3. the app's main thread while its worker trains: longest task, tasks > 50 ms and frame rate,
 *     for ?backend=reference and ?backend=wasm, at default settings and at ?h=128.
 * It prints markdown tables and writes everything to bench-results/bench-<date>.json.
 *
 * FLOPs per step (products only): forward 2·B·T·G·H·(D+H) + readout 2·B·T·H·Y, backward ≈ 2×.
 * A software GPU (SwiftShader, a fallback adapter) is flagged: its numbers are no speed claim.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';
import type { CellKind } from '../src/engine/model';
import { measureNative, type NativeResult } from './bench-native.ts';
import { ALL_BACKENDS, OUR_BACKENDS, TFJS_BACKENDS, flopsPerStep, type BenchBackend, type BenchJob, type JobResult, type TrainResult } from '../src/bench/protocol';

const ROOT = resolve(import.meta.dirname, '..');
const VITE = resolve(ROOT, 'node_modules/vite/bin/vite.js');
// Not 4190: that port (sieve) is on the Fetch standard's blocked list, so Chromium and Node refuse it.
const BENCH_PORT = 4191;
const APP_PORT = 4192;
const APP_OUT = 'dist-bench/app';
const B = 32;
const T = 50;
const D = 8;
const Y = 8;
const PEAK_N = 128;
const CELL_NAMES: Record<CellKind, string> = { rnn: 'RNN (tanh)', lstm: 'LSTM', gru: 'GRU' };

// ---------------------------------------------------------------------------------------------
// flags

interface Flags {
  cells: CellKind[];
  sizes: number[];
  backends: BenchBackend[];
  seconds: number;
  warmup: number;
  /** rounds of the training rows and the native anchor, alternating; each row keeps its best */
  rounds: number;
  timeoutS: number;
  appSeconds: number;
  app: boolean;
  peak: boolean;
  native: boolean;
  build: boolean;
  /** only the app's main-thread measurement (step 3) */
  appOnly: boolean;
  /** the app URLs step 3 opens */
  appQueries: string[];
  /** where CPU profiles of the app's main thread go, when asked for */
  appProfile: string | null;
  /** where Chromium traces of the app go, when asked for */
  appTrace: string | null;
}

const APP_QUERIES = ['?backend=reference', '?backend=wasm', '?backend=reference&h=128', '?backend=wasm&h=128'];

function usage(message: string): never {
  console.error(`bench: ${message}`);
  console.error('usage: npm run bench -- [--cells rnn,lstm,gru] [--sizes 32,64,128,256] [--backends ' + ALL_BACKENDS.join(',') + '] [--seconds 3] [--warmup 2] [--rounds 1] [--timeout 120] [--app-seconds 10] [--no-app] [--no-peak] [--no-native] [--no-build] [--app-only] [--app-queries ' + APP_QUERIES.join(',') + '] [--app-profile DIR] [--app-trace DIR]');
  process.exit(2);
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { cells: ['rnn', 'lstm', 'gru'], sizes: [32, 64, 128, 256], backends: [...ALL_BACKENDS], seconds: 3, warmup: 2, rounds: 1, timeoutS: 120, appSeconds: 10, app: true, peak: true, native: true, build: true, appOnly: false, appQueries: [...APP_QUERIES], appProfile: null, appTrace: null };
  const list = (v: string | undefined, flag: string): string[] => {
    if (!v) usage(`${flag} needs a value`);
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  };
  const num = (v: string | undefined, flag: string): number => {
    const n = Number(v);
    if (!v || !Number.isFinite(n) || n < 0) usage(`${flag} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--cells':
        f.cells = list(value(), flag).map((c) => {
          if (c !== 'rnn' && c !== 'lstm' && c !== 'gru') usage(`unknown cell ${c}`);
          return c;
        });
        break;
      case '--sizes':
        f.sizes = list(value(), flag).map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n) || n < 1) usage(`bad size ${s}`);
          return n;
        });
        break;
      case '--backends':
        f.backends = list(value(), flag).map((b) => {
          if (!(ALL_BACKENDS as readonly string[]).includes(b)) usage(`unknown backend ${b} (known: ${ALL_BACKENDS.join(', ')})`);
          return b as BenchBackend;
        });
        break;
      case '--seconds':
        f.seconds = num(value(), flag);
        break;
      case '--warmup':
        f.warmup = Math.max(1, Math.round(num(value(), flag)));
        break;
      case '--rounds':
        f.rounds = Math.max(1, Math.round(num(value(), flag)));
        break;
      case '--timeout':
        f.timeoutS = num(value(), flag);
        break;
      case '--app-seconds':
        f.appSeconds = num(value(), flag);
        break;
      case '--no-app':
        f.app = false;
        break;
      case '--no-peak':
        f.peak = false;
        break;
      case '--no-native':
        f.native = false;
        break;
      case '--no-build':
        f.build = false;
        break;
      case '--app-only':
        f.appOnly = true;
        break;
      case '--app-profile':
        f.appProfile = resolve(value() ?? usage(`${flag} needs a folder`));
        break;
      case '--app-trace':
        f.appTrace = resolve(value() ?? usage(`${flag} needs a folder`));
        break;
      case '--app-queries':
        f.appQueries = list(value(), flag).map((q) => (q.startsWith('?') ? q : `?${q}`));
        break;
      case '--help':
      case '-h':
        usage('help');
        break;
      default:
        usage(`unknown flag ${flag}`);
    }
  }
  if (f.appOnly) {
    if (!f.app) usage('--app-only and --no-app exclude each other');
    Object.assign(f, { cells: [], sizes: [], backends: [], peak: false, native: false });
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// building and serving

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

function viteBuild(args: string[], what: string): string | null {
  progress(`building ${what}…`);
  const r = spawnSync(process.execPath, [VITE, 'build', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status === 0) return null;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  return `vite build ${args.join(' ')} failed (exit ${r.status}):\n${out}`;
}

const servers: ChildProcess[] = [];

async function serve(args: string[], port: number): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview on port ${port} exited (${child.exitCode}): ${output.trim()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok || res.status === 404) return url;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview on port ${port} did not answer within 30 s: ${output.trim()}`);
}

function stopServers(): void {
  for (const s of servers.splice(0)) if (s.exitCode === null && s.pid !== undefined) s.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// the measurements

interface TrainRow {
  backend: BenchBackend;
  cell: CellKind;
  H: number;
  flopsPerStep: number;
  /** GFLOP/s, when the run succeeded */
  gflops: number | null;
  result: JobResult | { ok: false; error: string; skipped: true };
}

/** One round's steps/s of our best backend and of native PyTorch (best of 1 and 2 threads), run back to back. */
interface Pair {
  cell: CellKind;
  H: number;
  ours: number;
  native: number;
}

/** ours ÷ PyTorch over a row's rounds, each round's two measured seconds apart: median and range. */
function pairedRatios(pairs: Pair[], cell: CellKind, H: number): { median: number; min: number; max: number; n: number } | null {
  const r = pairs.filter((p) => p.cell === cell && p.H === H).map((p) => p.ours / p.native).sort((a, b) => a - b);
  if (r.length === 0) return null;
  const mid = r.length >> 1;
  const median = r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2;
  return { median, min: r[0], max: r[r.length - 1], n: r.length };
}

async function runJob(page: Page, job: BenchJob, timeoutMs: number): Promise<JobResult> {
  // The page owns the time limit (it ends the worker); page.evaluate itself has none.
  return page.evaluate(([j, t]) => window.bench.run(j, t), [job, timeoutMs] as const);
}

async function measurePeak(page: Page, seconds: number, timeoutMs: number): Promise<JobResult> {
  progress(`matmul peak ${PEAK_N}³…`);
  return runJob(page, { kind: 'peak', n: PEAK_N, seconds: Math.max(0.5, seconds) }, timeoutMs);
}

/**
 * The training rows of flags' cells, sizes and backends. A backend that timed out at one size is
 * not tried at larger ones of the same cell: `gaveUp` (cell/backend → why) carries that across calls.
 */
async function measureTraining(page: Page, flags: Flags, gaveUp = new Map<string, string>()): Promise<TrainRow[]> {
  const rows: TrainRow[] = [];
  for (const cell of flags.cells) {
    for (const H of [...flags.sizes].sort((a, b) => a - b)) {
      for (const backend of flags.backends) {
        const flops = flopsPerStep(cell, B, T, D, H, Y);
        const skip = gaveUp.get(`${cell}/${backend}`);
        if (skip) {
          rows.push({ backend, cell, H, flopsPerStep: flops, gflops: null, result: { ok: false, error: skip, skipped: true } });
          continue;
        }
        const job: BenchJob = { kind: 'train', backend, cell, B, T, D, H, Y, seconds: flags.seconds, warmup: flags.warmup };
        const t0 = Date.now();
        const result = await runJob(page, job, flags.timeoutS * 1000);
        const gflops = result.ok && result.kind === 'train' ? (flops * result.stepsPerSecond) / 1e9 : null;
        const shown = result.ok && result.kind === 'train' ? `${result.stepsPerSecond.toFixed(2)} steps/s, ${gflops?.toFixed(2)} GFLOP/s` : `failed: ${result.ok ? '?' : result.error}`;
        progress(`  ${cell} H=${H} ${backend}: ${shown} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        if (!result.ok && result.error.startsWith('timed out')) gaveUp.set(`${cell}/${backend}`, `skipped: timed out at H=${H}`);
        rows.push({ backend, cell, H, flopsPerStep: flops, gflops, result });
      }
    }
  }
  return rows;
}

interface AppRow {
  query: string;
  /** the backend the app's worker reported it ran */
  backend: string | null;
  isSoftware: boolean | null;
  stepsPerSecond: number | null;
  maxLongTaskMs: number | null;
  longTasksOver50: number | null;
  fps: number | null;
  seconds: number | null;
  notices: string[];
  error?: string;
}

// Browser-side code is passed as strings: tsx/esbuild may add helpers (`__name`) to functions,
// which do not exist in the page.
const APP_INIT_SCRIPT = `(() => {
  const state = { backend: null, notices: [], frames: 0, step: 0, stepsPerSecond: 0 };
  window.__benchApp = state;
  const Native = window.Worker;
  if (!Native) return;
  const Wrapped = function (url, options) {
    const w = new Native(url, options);
    w.addEventListener('message', (e) => {
      const m = e.data;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'ready' || m.type === 'backend') state.backend = m.backend;
      else if (m.type === 'status') state.step = m.step;
      else if (m.type === 'notice') state.notices.push(m.level + ': ' + m.message);
      else if (m.type === 'frame') {
        state.frames++;
        state.stepsPerSecond = m.stepsPerSecond;
        const idx = m.stepIndices;
        if (idx && idx.length) state.step = Math.max(state.step, Number(idx[idx.length - 1]));
      }
    });
    return w;
  };
  Wrapped.prototype = Native.prototype;
  window.Worker = Wrapped;
})();`;

const APP_MEASURE = (ms: number) => `(async () => {
  const durations = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) durations.push(e.duration); });
  obs.observe({ type: 'longtask' });
  let frames = 0;
  let running = true;
  const tick = () => { if (!running) return; frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const s0 = window.__benchApp.step;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ${ms}));
  running = false;
  const elapsed = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 100));
  for (const e of obs.takeRecords()) durations.push(e.duration);
  obs.disconnect();
  const s1 = window.__benchApp.step;
  return { elapsed, frames, maxLongTask: durations.length ? Math.max(...durations) : 0, over50: durations.filter((d) => d > 50).length, steps: s1 - s0, backend: window.__benchApp.backend, notices: window.__benchApp.notices };
})()`;

interface MeasureOut {
  elapsed: number;
  frames: number;
  maxLongTask: number;
  over50: number;
  steps: number;
  backend: { name: string; description: string; isSoftware: boolean } | null;
  notices: string[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** The profile's top functions by self time, as lines `  12.3 %  45 ms  name (file:line)`. */
function topSelfTime(profile: CpuProfile, top = 25): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byNode.get(id);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms; a sample's time runs to the next one
    if (!n) return;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} (${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1})`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const idle = self.get('(idle) (:0)') ?? 0;
  const rows = [...self.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`  busy ${(total - idle).toFixed(0)} ms of ${total.toFixed(0)} ms sampled`, ...rows.map(([k, ms]) => `  ${((100 * ms) / Math.max(1e-9, total - idle)).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${k}`)];
}

let profileCount = 0;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Self time per event name on the page's main thread (CrRendererMain), largest first. */
function topTraceSelfTime(events: TraceEvent[], top = 20): string[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['  no CrRendererMain thread in the trace'];
  const spans = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of spans) {
    const end = e.ts + (e.dur ?? 0);
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0));
    self.set(e.name, (self.get(e.name) ?? 0) + (e.dur ?? 0));
    stack.push({ end, name: e.name });
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return rows.map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

async function measureApp(browser: Browser, appUrl: string, query: string, seconds: number, profileDir: string | null = null, traceDir: string | null = null): Promise<AppRow> {
  progress(`app ${query}: ${seconds} s…`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    await context.addInitScript({ content: APP_INIT_SCRIPT });
    const page = await context.newPage();
    await page.goto(`${appUrl}/${query}`);
    await page.waitForFunction('window.__benchApp && window.__benchApp.backend !== null', null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction('window.__benchApp.frames > 0 && window.__benchApp.step > 0', null, { timeout: 60_000 });
    if (traceDir) await browser.startTracing(page, { screenshots: false });
    const cdp = profileDir ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    const m = (await page.evaluate(APP_MEASURE(seconds * 1000))) as MeasureOut;
    if (cdp && profileDir) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      mkdirSync(profileDir, { recursive: true });
      const file = resolve(profileDir, `app-${++profileCount}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      progress(`profile of ${query} → ${file} (top self time, main thread):\n${topSelfTime(profile).join('\n')}`);
    }
    if (traceDir) {
      const buf = await browser.stopTracing();
      mkdirSync(traceDir, { recursive: true });
      const file = resolve(traceDir, `app-${++profileCount}.trace.json`);
      writeFileSync(file, buf);
      const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] };
      progress(`trace of ${query} → ${file} (self time per event, main thread):\n${topTraceSelfTime(traceEvents).join('\n')}`);
    }
    return {
      query,
      backend: m.backend ? `${m.backend.name}: ${m.backend.description}` : null,
      isSoftware: m.backend?.isSoftware ?? null,
      stepsPerSecond: m.steps / m.elapsed,
      maxLongTaskMs: m.maxLongTask,
      longTasksOver50: m.over50,
      fps: m.frames / m.elapsed,
      seconds: m.elapsed,
      notices: m.notices,
    };
  } catch (e) {
    return { query, backend: null, isSoftware: null, stepsPerSecond: null, maxLongTaskMs: null, longTasksOver50: null, fps: null, seconds: null, notices: [], error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// the report

const fmt = (x: number, digits = 2): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));

/** Each (backend, cell, H) row at its faster round; a round that failed yields to one that did not. */
function bestRows(have: TrainRow[], round: TrainRow[]): TrainRow[] {
  if (have.length === 0) return round;
  return round.map((r) => {
    const old = have.find((h) => h.backend === r.backend && h.cell === r.cell && h.H === r.H);
    const sps = (x: TrainRow | undefined): number => (x?.result.ok && x.result.kind === 'train' ? x.result.stepsPerSecond : -1);
    return old && sps(old) >= sps(r) ? old : r;
  });
}

/** Each native row at its faster round, per thread count too; `round` may bring rows `have` lacks (rows are measured one at a time). */
function bestNative(have: NativeResult | null, round: NativeResult): NativeResult {
  if (!have || have.error) return round;
  const rows = have.rows.map((h) => {
    const r = round.rows.find((x) => x.cell === h.cell && x.H === h.H);
    if (!r) return h;
    const byThreads: Record<number, number> = { ...h.byThreads };
    for (const [t, v] of Object.entries(r.byThreads)) byThreads[Number(t)] = Math.max(byThreads[Number(t)] ?? 0, v);
    const best = r.stepsPerSecond > h.stepsPerSecond ? r : h;
    return { ...best, byThreads };
  });
  const added = round.rows.filter((r) => !have.rows.some((h) => h.cell === r.cell && h.H === r.H));
  return { ...have, rows: [...rows, ...added], error: round.error ?? have.error };
}

function cellText(r: TrainRow): string {
  const res = r.result;
  if (res.ok && res.kind === 'train') return `${fmt(res.stepsPerSecond)} (${fmt(r.gflops ?? 0)})${res.isSoftware ? ' ⚠' : ''}`;
  if (!res.ok) {
    if ('skipped' in res) return res.error;
    const reason = res.error.replace(/\s+/g, ' ').replace(/\|/g, '/');
    return res.error.startsWith('timed out') ? reason : `unavailable: ${reason.length > 70 ? reason.slice(0, 67) + '…' : reason}`;
  }
  return '?';
}

function trainOk(r: TrainRow | undefined): TrainResult | null {
  return r && r.result.ok && r.result.kind === 'train' ? r.result : null;
}

/** The fastest of `names` for a cell and size; a software GPU is no speed claim and is left out. */
function bestOf(rows: TrainRow[], cell: CellKind, H: number, names: readonly string[]): { name: string; sps: number } | null {
  let top: { name: string; sps: number } | null = null;
  for (const r of rows) {
    const res = trainOk(r);
    if (r.cell !== cell || r.H !== H || !res || res.isSoftware || !names.includes(r.backend)) continue;
    if (!top || res.stepsPerSecond > top.sps) top = { name: r.backend, sps: res.stepsPerSecond };
  }
  return top;
}

/** The bench page's tables: training steps/s per cell, the backends, the summary. */
function reportTraining(out: string[], flags: Flags, rows: TrainRow[], peak: JobResult | null, native: NativeResult | null, pairs: Pair[]): void {
  const backends = flags.backends;
  out.push('');
  const rounds = flags.rounds > 1 ? `; the best of ${flags.rounds} rounds, native PyTorch's too (each round runs ours and PyTorch's back to back, row by row; "paired" is the median of those rounds' ratios, with their range)` : '';
  out.push(`Training steps/s (GFLOP/s) at B=${B}, T=${T}, D=Y=${D}, one layer, every-step MSE, Adam; each cell timed for ${flags.seconds} s after ${flags.warmup} warm-up steps in a fresh dedicated worker${rounds}. ⚠ = software GPU (SwiftShader / fallback adapter): software, not a speed claim.`);
  for (const cell of flags.cells) {
    out.push('');
    out.push(`## ${CELL_NAMES[cell]}`);
    out.push('');
    const nativeCols = native?.rows.length ? ['PyTorch (native)', 'ours ÷ PyTorch', ...(flags.rounds > 1 ? ['paired'] : [])] : [];
    out.push(`| H | ${[...backends, ...nativeCols].join(' | ')} |`);
    out.push(`| ---: | ${[...backends, ...nativeCols].map(() => '---:').join(' | ')} |`);
    for (const H of [...flags.sizes].sort((a, b) => a - b)) {
      const cells = backends.map((b) => {
        const r = rows.find((x) => x.backend === b && x.cell === cell && x.H === H);
        return r ? cellText(r) : '';
      });
      if (nativeCols.length) {
        const n = native?.rows.find((x) => x.cell === cell && x.H === H);
        const ours = bestOf(rows, cell, H, OUR_BACKENDS);
        cells.push(n ? `${fmt(n.stepsPerSecond)} (${fmt(n.gflops)}; ${n.threads} thr)` : '');
        cells.push(n && ours ? `**${(ours.sps / n.stepsPerSecond).toFixed(2)}×** ${ours.name}` : '');
        const p = flags.rounds > 1 ? pairedRatios(pairs, cell, H) : null;
        if (flags.rounds > 1) cells.push(p ? `${p.median.toFixed(2)}× (${p.min.toFixed(2)}–${p.max.toFixed(2)})` : '');
      }
      out.push(`| ${H} | ${cells.join(' | ')} |`);
    }
  }

  out.push('');
  out.push('## Backends');
  out.push('');
  for (const b of backends) {
    const ok = rows.map(trainOk).find((r, i): r is TrainResult => !!r && rows[i].backend === b);
    const failure = rows.find((r) => r.backend === b && !r.result.ok && !('skipped' in r.result));
    const what = ok ? ok.description + (ok.isSoftware ? ' — ⚠ software, not a speed claim' : '') : `unavailable: ${failure && !failure.result.ok ? failure.result.error : 'not run'}`;
    out.push(`- ${b}: ${what}`);
  }
  if (native) out.push(`- PyTorch (native): ${native.error ? `not measured: ${native.error}` : native.description}; best of 1 and 2 threads per row`);
  if (peak) {
    out.push(`- WASM-SIMD matmul peak: ${peak.ok && peak.kind === 'peak' ? `${fmt(peak.gflops)} GFLOP/s (${peak.n}³ f32 in ${peak.msPerMatmul.toFixed(3)} ms; ${peak.description})` : `unavailable: ${peak.ok ? '?' : peak.error}`}`);
  }

  out.push('');
  out.push('## Summary');
  out.push('');
  const sizes = [...flags.sizes].sort((a, b) => a - b);
  const at = sizes.includes(128) ? 128 : sizes[sizes.length - 1];
  const peakGflops = peak && peak.ok && peak.kind === 'peak' ? peak.gflops : null;
  for (const cell of flags.cells) {
    const here = rows.filter((r) => r.cell === cell && r.H === at);
    const ours = bestOf(rows, cell, at, OUR_BACKENDS);
    const theirs = bestOf(rows, cell, at, TFJS_BACKENDS);
    const name = CELL_NAMES[cell];
    if (ours && theirs) out.push(`- ${name}: ours best vs TF.js best at H=${at}: ${(ours.sps / theirs.sps).toFixed(2)}× (${ours.name} ${fmt(ours.sps)} vs ${theirs.name} ${fmt(theirs.sps)} steps/s; software GPUs left out)`);
    else out.push(`- ${name}: ours best vs TF.js best at H=${at}: n/a (${ours ? 'no TF.js result' : 'no result of ours'})`);
    for (const H of sizes.filter((h) => h >= 128)) {
      const n = native?.rows.find((x) => x.cell === cell && x.H === H);
      const o = bestOf(rows, cell, H, OUR_BACKENDS);
      if (n && o) out.push(`- ${name}: ours best vs native PyTorch at H=${H}: ${(o.sps / n.stepsPerSecond).toFixed(2)}× (${o.name} ${fmt(o.sps)} vs ${fmt(n.stepsPerSecond)} steps/s, PyTorch on ${n.threads} thread(s))`);
    }
    const wasm = here.find((r) => r.backend === 'wasm');
    const wasmRes = trainOk(wasm);
    if (wasm && wasmRes && wasm.gflops !== null && peakGflops) out.push(`- ${name}: wasm at H=${at} reaches ${((100 * wasm.gflops) / peakGflops).toFixed(0)}% of the WASM-SIMD matmul peak (${fmt(wasm.gflops)} of ${fmt(peakGflops)} GFLOP/s)`);
    else out.push(`- ${name}: wasm at H=${at} vs the WASM-SIMD matmul peak: n/a (${!wasmRes ? 'no wasm result' : 'no peak measured'})`);
  }
}

function report(flags: Flags, rows: TrainRow[], peak: JobResult | null, native: NativeResult | null, pairs: Pair[], app: AppRow[], browserVersion: string): string {
  const out: string[] = [];
  out.push(`# RNN Playground benchmark — Chromium ${browserVersion}`);
  if (!flags.appOnly) reportTraining(out, flags, rows, peak, native, pairs);
  if (app.length) {
    out.push('');
    out.push(`## The app's main thread while its worker trains (${flags.appSeconds} s after Play)`);
    out.push('');
    out.push('| page | backend that ran | steps/s | max long task (ms) | tasks > 50 ms | fps | notes |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | --- |');
    for (const a of app) {
      if (a.error) {
        out.push(`| \`/${a.query}\` | failed: ${a.error.replace(/\|/g, '/')} | | | | | |`);
        continue;
      }
      const notes = [...new Set(a.notices.map((n) => n.replace(/\s+/g, ' ').replace(/\|/g, '/')))].join('; ');
      out.push(`| \`/${a.query}\` | ${a.backend ?? '?'}${a.isSoftware ? ' ⚠ software' : ''} | ${fmt(a.stepsPerSecond ?? 0)} | ${a.maxLongTaskMs ? a.maxLongTaskMs.toFixed(0) : '< 50'} | ${a.longTasksOver50} | ${fmt(a.fps ?? 0, 1)} | ${notes} |`);
    }
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const started = new Date();
  if (flags.build && !flags.appOnly) {
    const err = viteBuild(['--config', 'vite.bench.config.ts', '--logLevel', 'warn'], 'the bench page (dist-bench/page)');
    if (err) throw new Error(err);
  }
  let appBuildError: string | null = null;
  // A profile names functions only when the build keeps them (then the app runs a little slower).
  const keepNames = flags.appProfile || flags.appTrace ? ['--minify', 'false'] : [];
  if (flags.app && flags.build) appBuildError = viteBuild(['--outDir', APP_OUT, '--emptyOutDir', '--logLevel', 'warn', ...keepNames], `the app (${APP_OUT})`);

  const benchUrl = flags.appOnly ? null : await serve(['--config', 'vite.bench.config.ts'], BENCH_PORT);
  const appUrl = flags.app && !appBuildError ? await serve(['--outDir', APP_OUT], APP_PORT) : null;

  const browser = flags.appOnly ? null : await chromium.launch(chromiumLaunchOptions());
  let rows: TrainRow[] = [];
  let peak: JobResult | null = null;
  let native: NativeResult | null = null;
  /** our best backend and the native anchor, run back to back, per round and row */
  const pairs: Pair[] = [];
  const app: AppRow[] = [];
  let machine: unknown = null;
  let appVersion = '?';
  try {
    let page: Page | null = null;
    if (benchUrl && browser) {
      page = await browser.newPage();
      page.on('pageerror', (e) => progress(`bench page error: ${e.message}`));
      await page.goto(`${benchUrl}/bench.html`);
      await page.waitForFunction('window.bench && window.bench.ready === true', null, { timeout: 30_000 });
      machine = await page.evaluate('({ userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated: self.crossOriginIsolated })');
      if (flags.peak) peak = await measurePeak(page, Math.min(2, flags.seconds || 1), flags.timeoutS * 1000);
    }
    // Each (cell, H) runs our rows, then the native anchor's, then TF.js's: never beside each other
    // (both would share the same cores), and ours and PyTorch's seconds apart, so that both sample
    // the same stretch of a shared machine's load (pairs); each row keeps its best round.
    const gaveUp = new Map<string, string>();
    const isOurs = (b: BenchBackend): boolean => (OUR_BACKENDS as readonly string[]).includes(b);
    for (let round = 1; round <= flags.rounds; round++) {
      if (flags.rounds > 1) progress(`round ${round} of ${flags.rounds}`);
      const roundRows: TrainRow[] = [];
      for (const cell of flags.cells) {
        for (const H of [...flags.sizes].sort((a, b) => a - b)) {
          const one = { ...flags, cells: [cell], sizes: [H] };
          const ours = page ? await measureTraining(page, { ...one, backends: flags.backends.filter(isOurs) }, gaveUp) : [];
          // H twice, the best kept: a fresh python process's first row runs ~3 % slow (3 warm-up
          // steps), and PyTorch's rows used to follow one another in one process
          const anchor = flags.native ? measureNative([cell], [H, H], Math.max(1, flags.seconds), progress) : null;
          if (anchor) native = bestNative(native, anchor);
          const best = bestOf(ours, cell, H, OUR_BACKENDS);
          const theirs = anchor?.rows.find((r) => r.cell === cell && r.H === H);
          if (best && theirs) pairs.push({ cell, H, ours: best.sps, native: theirs.stepsPerSecond });
          const others = page ? await measureTraining(page, { ...one, backends: flags.backends.filter((b) => !isOurs(b)) }, gaveUp) : [];
          roundRows.push(...ours, ...others);
        }
      }
      rows = bestRows(rows, roundRows);
    }
    await page?.close();
    if (flags.app) {
      if (appUrl) {
        // The page's frame rate with Chromium's own software compositor, as on a laptop without a
        // GPU: the SwiftShader flags emulate a GPU for compositing too and cap any animated page
        // near 5 fps on 2 cores (e2e/smoothness.spec.ts explains the same choice).
        const base = chromiumLaunchOptions();
        const appBrowser = await chromium.launch({ ...base, args: (base.args ?? []).filter((a) => !a.includes('swiftshader')) });
        appVersion = appBrowser.version();
        try {
          for (const query of flags.appQueries) app.push(await measureApp(appBrowser, appUrl, query, flags.appSeconds, flags.appProfile, flags.appTrace));
        } finally {
          await appBrowser.close();
        }
      } else {
        app.push({ query: '', backend: null, isSoftware: null, stepsPerSecond: null, maxLongTaskMs: null, longTasksOver50: null, fps: null, seconds: null, notices: [], error: `the app did not build: ${appBuildError?.split('\n')[0]}` });
        progress(appBuildError ?? '');
      }
    }
    const version = browser?.version() ?? appVersion;
    const text = report(flags, rows, peak, native, pairs, app, version);
    console.log(text);

    const stamp = started.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
    const dir = resolve(ROOT, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `bench-${stamp}.json`);
    const json = {
      date: started.toISOString(),
      browser: `Chromium ${version}`,
      machine,
      settings: { B, T, D, Y, layers: 1, readout: 'every_step', loss: 'mse', optimizer: 'adam(lr=1e-3)', clip: null, ...flags },
      flopsFormula: 'forward 2·B·T·G·H·(D+H) + readout 2·B·T·H·Y; backward ≈ 2× forward; GFLOP/s = FLOPs/step × steps/s',
      peak,
      training: rows,
      native,
      pairs,
      app,
      report: text,
    };
    writeFileSync(file, JSON.stringify(json, null, 2));
    progress(`\nwrote ${file}`);
  } finally {
    await browser?.close();
    stopServers();
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    stopServers();
    process.exit(130);
  });
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  stopServers();
  process.exit(1);
});
