/**
 * The notices of the run: newest first, a repeated message merged into one entry with its count
 * (and moved to the top), at most MAX_NOTICES kept. The issue: after 7 refused model files the
 * entries in view were files 2 and 3, because the list ran oldest first.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addNotice, dismissAllNotices, dismissNotice, MAX_NOTICES, usePlayground, withNotice, type Notice } from '../src/store/store';

const notices = () => usePlayground.getState().notices;

describe('notices', () => {
  beforeEach(() => dismissAllNotices());

  it('puts the newest first', () => {
    for (let k = 1; k <= 7; k++) addNotice('error', 'bad-model-file', `File ${k} is not a model file.`);
    expect(notices().map((n) => n.message)).toEqual([7, 6, 5, 4, 3, 2, 1].map((k) => `File ${k} is not a model file.`));
    expect(notices().every((n) => n.count === 1)).toBe(true);
  });

  it('merges a repeated message into one entry with its count, moved to the top', () => {
    addNotice('error', 'bad-model-file', 'Not a model file.');
    addNotice('info', 'live-change', 'Link copied to the clipboard.');
    addNotice('error', 'bad-model-file', 'Not a model file.');
    addNotice('error', 'bad-model-file', 'Not a model file.');
    expect(notices().map((n) => [n.message, n.count])).toEqual([
      ['Not a model file.', 3],
      ['Link copied to the clipboard.', 1],
    ]);
    // a fresh id: the entry is new on screen (its alert is announced again)
    const ids = notices().map((n) => n.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('keeps a message at another level apart', () => {
    addNotice('warning', 'url', 'Same words.');
    addNotice('ok', 'live-change', 'Same words.');
    expect(notices().map((n) => [n.level, n.count])).toEqual([
      ['ok', 1],
      ['warning', 1],
    ]);
  });

  it('keeps the newest MAX_NOTICES and drops the oldest', () => {
    for (let k = 0; k < MAX_NOTICES + 3; k++) addNotice('info', 'live-change', `n${k}`);
    expect(notices()).toHaveLength(MAX_NOTICES);
    expect(notices()[0].message).toBe(`n${MAX_NOTICES + 2}`);
    expect(notices().at(-1)?.message).toBe('n3');
  });

  it('dismisses one entry, or all', () => {
    addNotice('info', 'live-change', 'a');
    addNotice('info', 'live-change', 'b');
    dismissNotice(notices()[0].id);
    expect(notices().map((n) => n.message)).toEqual(['a']);
    dismissAllNotices();
    expect(notices()).toEqual([]);
  });

  it('withNotice does not change the list it is given', () => {
    const list: Notice[] = [{ id: 1, level: 'info', code: 'url', message: 'x', count: 1 }];
    const next = withNotice(list, { id: 2, level: 'info', code: 'url', message: 'x' });
    expect(list).toEqual([{ id: 1, level: 'info', code: 'url', message: 'x', count: 1 }]);
    expect(next).toEqual([{ id: 2, level: 'info', code: 'url', message: 'x', count: 2 }]);
  });
});
