/**
 * The page's watchdog, driven with a fake worker and a fake clock: a worker that plays but stops
 * talking is ended and reported once; a slow but living worker, a paused one, one the page has not
 * acknowledged and a hidden page are never judged stalled.
 */
import { describe, expect, it } from 'vitest';
import { TrainingClient } from '../../src/worker/client';
import type { FromWorker } from '../../src/worker/protocol';
import { rig, ScriptedWorker } from './fakeWorker';

function watched() {
  const { env, workers, advance, hide } = rig(() => new ScriptedWorker());
  const stalls: number[] = [];
  const client = new TrainingClient(() => {}, () => {}, (ms) => stalls.push(ms), env.client);
  const frame = (step: number): FromWorker =>
    ({ type: 'frame', runId: 1, step, stepIndices: new Float64Array(), losses: new Float64Array(), metrics: new Float64Array(), gradNormsBefore: new Float64Array(), gradNormsAfter: new Float64Array(), clipped: new Uint8Array(), stepsPerSecond: 0, hiddenGradNorms: new Float64Array(), snapshot: null, analysis: null }) as FromWorker;
  /** Play, and the worker says it plays. */
  const play = () => {
    client.send({ type: 'play' });
    workers[0].emit({ type: 'status', runId: 1, playing: true, step: 0 });
  };
  /** `n` frames, each `ms` after the last acknowledgement, each acknowledged at once. */
  const frames = (n: number, ms: number, from = 1) => {
    for (let i = from; i < from + n; i++) {
      advance(ms);
      workers[0].emit(frame(i));
      client.send({ type: 'frameAck' });
    }
  };
  return { client, workers, stalls, advance, frame, play, frames, hide };
}

describe('watchdog', () => {
  it('ends a worker that plays but has been silent past the limit, once, and reports the silence', () => {
    const r = watched();
    r.play();
    r.frames(3, 100);
    r.advance(5000);
    expect(r.stalls).toEqual([]);
    r.advance(2000);
    expect(r.stalls.length).toBe(1);
    expect(r.stalls[0]).toBeGreaterThan(6000);
    expect(r.workers[0].terminated).toBe(true);
    r.advance(60_000);
    expect(r.stalls.length).toBe(1); // a fresh worker is only started by the next send
    r.client.send({ type: 'configure', runId: 2, config: {} as never });
    expect(r.workers.length).toBe(2);
  });

  it('never judges a worker that keeps sending frames, however long the run', () => {
    const r = watched();
    r.play();
    for (let i = 0; i < 600; i++) {
      r.advance(200);
      r.workers[0].emit(r.frame(i));
      r.client.send({ type: 'frameAck' });
    }
    expect(r.stalls).toEqual([]);
  });

  it('gives the first steps after a start 30 s: a large model on a loaded laptop is slow to start', () => {
    const r = watched();
    r.play();
    r.advance(25_000); // the first step of a large model
    expect(r.stalls).toEqual([]);
    r.workers[0].emit(r.frame(1));
    r.client.send({ type: 'frameAck' });
    r.advance(25_000);
    expect(r.stalls).toEqual([]);
    r.workers[0].emit(r.frame(2));
    r.client.send({ type: 'frameAck' });
    // Two frames 25 s apart: the learned limit is now 4 × 25 s.
    r.advance(99_000);
    expect(r.stalls).toEqual([]);
    r.advance(2000);
    expect(r.stalls.length).toBe(1);
  });

  it('a long wait for the page (a hidden tab) does not teach it leniency', () => {
    const r = watched();
    r.play();
    r.frames(3, 100);
    r.advance(100);
    r.workers[0].emit(r.frame(4));
    r.advance(120_000); // the page drew nothing for two minutes: no acknowledgement
    r.client.send({ type: 'frameAck' });
    r.advance(100);
    r.workers[0].emit(r.frame(5));
    r.client.send({ type: 'frameAck' });
    r.advance(7000);
    expect(r.stalls.length).toBe(1);
  });

  it('does not judge a worker still building its run when Play was pressed, only once it says it plays', () => {
    const r = watched();
    r.client.send({ type: 'configure', runId: 1, config: {} as never });
    r.client.send({ type: 'play' });
    r.advance(120_000); // a large model's backend trial: no word from the worker
    expect(r.stalls).toEqual([]);
    r.workers[0].emit({ type: 'status', runId: 1, playing: true, step: 0 });
    r.advance(29_000);
    expect(r.stalls).toEqual([]);
    r.advance(2000);
    expect(r.stalls.length).toBe(1);
  });

  it('learns slow steps: silence is judged against four times the slowest gap seen', () => {
    const r = watched();
    r.play();
    r.frames(3, 3000); // 3 s per step: a large model on a slow backend
    r.advance(11_000);
    expect(r.stalls).toEqual([]);
    r.advance(2000);
    expect(r.stalls.length).toBe(1);
  });

  it('does not count time the page owes an acknowledgement, time paused, or time hidden', () => {
    const r = watched();
    r.play();
    r.workers[0].emit(r.frame(1));
    r.client.send({ type: 'frameAck' });
    r.advance(100);
    r.workers[0].emit(r.frame(2)); // no acknowledgement sent: the worker is right to wait
    r.advance(60_000);
    expect(r.stalls).toEqual([]);
    r.client.send({ type: 'frameAck' });
    r.client.send({ type: 'pause' });
    r.advance(60_000);
    expect(r.stalls).toEqual([]);
    r.client.send({ type: 'play' });
    r.workers[0].emit({ type: 'status', runId: 1, playing: true, step: 2 });
    r.hide(true);
    r.advance(60_000);
    expect(r.stalls).toEqual([]);
    r.hide(false);
    r.advance(1000);
    expect(r.stalls).toEqual([]); // hidden time never counts
    r.advance(6000);
    expect(r.stalls.length).toBe(1); // visible again and still silent: judged
  });
});
