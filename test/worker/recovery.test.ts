/**
 * The way back from a divergence: the worker keeps finite checkpoints, says which one a restore
 * brings back, and a restore with the advised live change trains on, where pressing play with the
 * blown-up weights (the old dead end) diverges again at once.
 */
import { describe, expect, it } from 'vitest';
import type { PlaygroundConfig } from '../../src/worker/config';
import type { FromWorker } from '../../src/worker/protocol';
import { Page } from './harness';

type Diverged = Extract<FromWorker, { type: 'diverged' }>;

// The `exploding` lesson's no-clipping run: a ReLU RNN at ρ = 1.5, SGD with momentum, no clipping.
const exploding: Partial<PlaygroundConfig> = { task: 'adding', length: 30, cell: 'rnn', nonlinearity: 'relu', init: 'gaussian', gain: 1.5, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, hiddenSize: 32, clip: 'off', seed: 3 };

function divergences(page: Page): Diverged[] {
  return page.messages.filter((m): m is Diverged => m.type === 'diverged' && m.runId === page.runId);
}

async function divergedPage(): Promise<{ page: Page; d: Diverged; config: PlaygroundConfig }> {
  const page = new Page();
  await page.configure(exploding);
  const initial = await page.save();
  await page.trainUntil(100);
  const [d] = divergences(page);
  expect(d).toBeDefined();
  const ready = page.messages.find((m) => m.type === 'ready' && m.runId === page.runId);
  if (ready?.type !== 'ready') throw new Error('no ready message');
  expect(JSON.parse(initial).stateDict).toBeDefined();
  return { page, d, config: ready.config };
}

describe('divergence recovery', () => {
  it('offers to restore a checkpoint from before the blow-up, with a live change first', async () => {
    const { d } = await divergedPage();
    expect(d.step).toBeGreaterThan(0);
    expect(d.restoreStep).not.toBeNull();
    expect(d.restoreStep as number).toBeLessThan(d.step);
    expect(d.advice[0]).toEqual({ label: 'turn on norm clipping (c = 1)', patch: { clip: 'norm', clipMax: 1 }, live: true });
    expect(d.message).toContain(`restore the weights of step ${d.restoreStep}`);
    expect(d.message).toContain('turn on norm clipping (c = 1)');
  });

  it('the advised change alone on the kept weights diverges again (the old dead end)', async () => {
    const { page, d, config } = await divergedPage();
    await page.trainer.handle({ type: 'configure', runId: page.runId, config: { ...config, ...d.advice[0].patch } });
    const before = page.messages.length;
    await page.trainer.handle({ type: 'play' });
    for (let i = 0; i < 200 && page.messages.slice(before).every((m) => m.type !== 'diverged'); i++) {
      await new Promise((r) => setTimeout(r, 5));
      page.ack();
    }
    await page.trainer.handle({ type: 'pause' });
    expect(page.messages.slice(before).some((m) => m.type === 'diverged')).toBe(true);
  });

  it('restored weights with the advised change train on, below the baseline', async () => {
    const { page, d, config } = await divergedPage();
    const start = page.lastStep();
    await page.trainer.handle({ type: 'restore', runId: page.runId, fromStep: d.restoreStep as number, config: { ...config, ...d.advice[0].patch } });
    await page.trainer.handle({ type: 'pause' });
    const losses = () => page.losses();
    const seen = losses().length;
    await page.trainer.handle({ type: 'play' });
    while (page.lastStep() < start + 300 && divergences(page).length === 1) {
      await new Promise((r) => setTimeout(r, 5));
      page.ack();
    }
    await page.trainer.handle({ type: 'pause' });
    expect(divergences(page).length).toBe(1);
    const after = losses().slice(seen);
    expect(after.length).toBeGreaterThanOrEqual(300);
    expect(after.every(Number.isFinite)).toBe(true);
    // The adding problem's memoryless baseline is 1/6 (MSE); the clipped run gets below it.
    const tail = after.slice(-50);
    expect(tail.reduce((a, b) => a + b, 0) / tail.length).toBeLessThan(1 / 6);
  });

  it('restoring step 0 brings back exactly the seeded initial weights', async () => {
    const page = new Page();
    await page.configure(exploding);
    const initial = JSON.parse(await page.save()).stateDict;
    await page.trainUntil(100);
    const [d] = divergences(page);
    expect(d.restoreStep).toBe(0);
    const ready = page.messages.find((m) => m.type === 'ready') as Extract<FromWorker, { type: 'ready' }>;
    // Pause is queued behind the restore, so not a single step runs in between.
    const restoring = page.trainer.handle({ type: 'restore', runId: page.runId, fromStep: 0, config: { ...ready.config, clip: 'norm', clipMax: 1 } });
    const pausing = page.trainer.handle({ type: 'pause' });
    await Promise.all([restoring, pausing]);
    expect(JSON.parse(await page.save()).stateDict).toEqual(initial);
  });
});
