/**
 * Fuzz: malformed model files through the worker's real path (Trainer 'loadModel', driven by the
 * Node harness). Each is refused with a 'bad-model-file' notice whose message names the problem,
 * the run goes on untouched (the saved model is byte-identical), and nothing throws or hangs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Page } from '../worker/harness';
import { modelFileCases, XSS, type ModelKind } from './cases';

// A small model with several named tensors: 2-layer GRU (non-square weights), echo task.
const CONFIG = { task: 'echo', length: 8, lag: 1, symbols: 3, hiddenSize: 5, numLayers: 2, cell: 'gru', batchSize: 4, backend: 'reference' } as const;

const page = new Page();
await page.configure(CONFIG);
await page.trainer.handle({ type: 'step' }); // a model that has trained a step, not only the seed's
const good = await page.save();
const cases = modelFileCases(good, { heavy: true });

/** Sends a file as the page does and returns what the worker answered. */
async function load(text: string) {
  const from = page.messages.length;
  await page.trainer.handle({ type: 'loadModel', runId: page.runId + 1, text });
  return page.messages.slice(from);
}

describe('fuzz: malformed model files', () => {
  afterAll(() => {
    expect(page.notices('worker-error')).toEqual([]);
  });

  it('covers every kind with at least 120 files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    const kinds: ModelKind[] = ['header', 'size', 'state-dict', 'tensor', 'text', 'deep', 'huge', 'xss'];
    for (const kind of kinds) expect(cases.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(kind === 'xss' || kind === 'huge' || kind === 'deep' ? 3 : 10);
  });

  it.each(cases.map((c, i) => [`${c.kind}: ${c.name}`, i] as const))('%s', async (_label, i) => {
    const c = cases[i];
    const before = await page.save();
    const t0 = performance.now();
    const answer = await load(c.text);
    const ms = performance.now() - t0;
    c.text = ''; // let the big ones go
    expect(ms, 'no file takes long to refuse').toBeLessThan(c.heavy ? 5000 : 1000);
    const notices = answer.filter((m) => m.type === 'notice');
    expect(notices).toHaveLength(1);
    expect(answer.filter((m) => m.type !== 'notice' && m.type !== 'weights'), 'nothing else: no new run').toEqual([]);
    const [n] = notices as Extract<(typeof answer)[number], { type: 'notice' }>[];
    expect(n.code).toBe('bad-model-file');
    expect(n.level).toBe('error');
    expect(n.message).toMatch(c.want);
    expect(n.message).toMatch(/Your current model and settings are unchanged\.$/);
    expect(n.message).not.toMatch(/\[object |\n\s+at |Maximum call stack|^undefined|TypeError|RangeError/);
    expect(n.message.length).toBeLessThan(400);
    expect(await page.save(), 'the model (and its settings) are kept byte for byte').toBe(before);
  });

  it('still trains the same model afterwards, and a good file still loads', async () => {
    const from = page.messages.length;
    await page.trainer.handle({ type: 'step' });
    const frames = page.messages.slice(from).filter((m) => m.type === 'frame');
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) if (f.type === 'frame') for (const l of f.losses) expect(Number.isFinite(l)).toBe(true);
    // The saved file, with a byte-order mark in front (as some editors write it), loads.
    const answer = await load(`\uFEFF${good}`);
    expect(answer.filter((m) => m.type === 'notice')).toEqual([]);
    expect(answer.some((m) => m.type === 'ready')).toBe(true);
    expect(await page.save()).toBe(good);
  });

  it('user text in a key name comes back in the message as plain text, cut short', async () => {
    const file = JSON.parse(good);
    file.stateDict[XSS] = 1;
    const answer = await load(JSON.stringify(file));
    const n = answer.find((m) => m.type === 'notice');
    expect(n && n.type === 'notice' && n.message).toContain(JSON.stringify(XSS.slice(0, 37) + '...'));
  });
});
