/**
 * Fuzz: pasted texts for the character model, through the worker's real path (Trainer 'setText').
 * A refused text gets a 'bad-text' notice that says why and leaves the current run untouched; an
 * accepted one starts a run that trains without NaN, its vocabulary capped (rare characters → U+FFFD).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_VOCAB, REPLACEMENT_CHAR } from '../../src/engine/tasks/charLm';
import type { FromWorker } from '../../src/worker/protocol';
import { Page } from '../worker/harness';
import { textCases } from './cases';

const T = 20;
const CONFIG = { task: 'char_lm', length: T, hiddenSize: 8, batchSize: 4, backend: 'reference' } as const;
const cases = textCases(T);

const page = new Page();
await page.configure(CONFIG);

type Notice = Extract<FromWorker, { type: 'notice' }>;
const distinct = (text: string) => new Set(Array.from(text.replace(/\r\n?/g, '\n'))).size;

/** Sends a text as the page does ("Train on this text") and returns what the worker answered. */
async function paste(text: string) {
  const from = page.messages.length;
  await page.trainer.handle({ type: 'setText', runId: ++page.runId, text });
  return page.messages.slice(from);
}

describe('fuzz: pasted texts', () => {
  it('has at least 60 texts, refused and accepted, in every script', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.refused).length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => !c.refused).length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = cases[i];
    const text = c.text;
    c.text = ''; // let the big ones go after this test
    const readies = () => page.messages.filter((m) => m.type === 'ready');
    const taskBefore = readies().at(-1)?.task.description;
    const before = await page.save();
    const t0 = performance.now();
    const answer = await paste(text);
    expect(performance.now() - t0).toBeLessThan(c.heavy ? 5000 : 1000);
    const notices = answer.filter((m): m is Notice => m.type === 'notice');
    expect(notices.filter((n) => n.code !== 'bad-text'), 'no other notice (no worker error)').toEqual([]);
    for (const n of notices) {
      expect(n.message.length).toBeLessThan(400);
      expect(n.message).not.toMatch(/\[object |\n\s+at |undefined|NaN|Error/);
    }

    if (c.refused) {
      expect(notices).toHaveLength(1);
      expect(notices[0].level).toBe('error');
      expect(notices[0].message).toMatch(c.refused);
      expect(answer.filter((m) => m.type === 'ready'), 'no new run').toEqual([]);
      expect(await page.save(), 'the current run is untouched').toBe(before);
      // A reset rebuilds the run from the text it had, not from the refused one.
      await page.trainer.handle({ type: 'reset', runId: ++page.runId });
      expect(readies().at(-1)?.task.description).toBe(taskBefore);
      return;
    }

    // Accepted: a new run on this text, its vocabulary capped.
    const ready = answer.find((m) => m.type === 'ready');
    expect(ready, `accepted: ${notices.map((n) => n.message).join(' ')}`).toBeDefined();
    if (ready?.type !== 'ready') return;
    const V = distinct(text);
    if (V > DEFAULT_MAX_VOCAB) {
      // the most frequent characters and U+FFFD (one slot fewer when U+FFFD is itself among the most frequent)
      expect(ready.task.inputSize).toBeLessThanOrEqual(DEFAULT_MAX_VOCAB);
      expect(ready.task.inputSize).toBeGreaterThanOrEqual(DEFAULT_MAX_VOCAB - 1);
      expect(notices).toHaveLength(1);
      expect(notices[0].level).toBe('warning');
      expect(notices[0].message).toContain(`${V} distinct characters`);
      expect(notices[0].message).toContain(REPLACEMENT_CHAR);
    } else {
      expect(ready.task.inputSize).toBe(V);
      expect(notices).toEqual([]);
    }
    // One step trains without NaN.
    const from = page.messages.length;
    await page.trainer.handle({ type: 'step' });
    const losses = page.messages.slice(from).flatMap((m) => (m.type === 'frame' ? Array.from(m.losses) : []));
    expect(losses).toHaveLength(1);
    expect(Number.isFinite(losses[0])).toBe(true);
    expect(await page.save()).not.toMatch(/null|NaN|Infinity/);
  });

  it('the minimum follows the window length T', async () => {
    await page.configure({ ...CONFIG, length: 300 });
    const before = await page.save();
    const [n] = (await paste('abc'.repeat(100))).filter((m): m is Notice => m.type === 'notice');
    expect(n.message).toMatch(/too short: 300 characters, at least 302 are needed/);
    expect(await page.save()).toBe(before);
  });
});
