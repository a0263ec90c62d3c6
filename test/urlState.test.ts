/** Links: a round trip restores every setting; a bad link never throws and says what it dropped. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/engine/rng';
import { decodeUrl, encodeUrl, URL_TABLE } from '../src/store/urlState';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../src/worker/config';

const CUSTOM: PlaygroundConfig = {
  task: 'copy_memory',
  length: 30,
  lag: 9,
  symbols: 6,
  seq2seqMode: 'sort',
  attention: true,
  cell: 'lstm',
  nonlinearity: 'relu',
  hiddenSize: 48,
  numLayers: 2,
  stateSize: 8,
  numHeads: 4,
  bidirectional: true,
  initialState: 'learned',
  init: 'gaussian',
  gain: 1.25,
  spectralRadius: 0.95,
  forgetBias: 2,
  ringMin: 0.9,
  ringMax: 0.999,
  ringPhase: 0.1,
  optimizer: 'sgd',
  learningRate: 0.0031,
  momentum: 0.8,
  batchSize: 64,
  clip: 'value',
  clipMax: 0.5,
  truncation: 7,
  recurrence: 'parallel',
  seed: 123456,
  backend: 'wasm',
};

describe('links', () => {
  it('a round trip restores every setting, and every setting differs from its default here', () => {
    for (const k of Object.keys(DEFAULT_CONFIG) as (keyof PlaygroundConfig)[]) expect(CUSTOM[k], k).not.toEqual(DEFAULT_CONFIG[k]);
    const back = decodeUrl(encodeUrl(CUSTOM, ['seed', 'backend'], 'vanishing'));
    expect(back.problems).toEqual([]);
    expect(back.config).toEqual(CUSTOM);
    expect(back.hidden).toEqual(['seed', 'backend']);
    expect(back.lesson).toBe('vanishing');
  });

  it('carries the memory tasks and their length knob', () => {
    for (const [task, length] of [['selective_copy', 400], ['associative_recall', 32], ['copy_memory', 400]] as const) {
      const c: PlaygroundConfig = { ...DEFAULT_CONFIG, task, length };
      expect(encodeUrl(c)).toBe(`?v=1&task=${task}&len=${length}`);
      expect(decodeUrl(encodeUrl(c))).toMatchObject({ config: c, problems: [] });
    }
  });

  it('carries the recurrence of a linear recurrence: scan=parallel, shown only for the kinds that have one', () => {
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'mamba', recurrence: 'parallel' };
    expect(encodeUrl(c)).toBe('?v=1&cell=mamba&scan=parallel');
    expect(decodeUrl('?v=1&cell=mamba&scan=parallel')).toMatchObject({ config: c, problems: [] });
    expect(decodeUrl('?v=1&cell=mamba&scan=1').problems.length).toBe(1); // named, never guessed
    expect(URL_TABLE.recurrence.short).toBe('scan');
  });

  it('leaves defaults out', () => {
    expect(encodeUrl(DEFAULT_CONFIG)).toBe('?v=1');
    expect(encodeUrl({ ...DEFAULT_CONFIG, hiddenSize: 64 })).toBe('?v=1&h=64');
  });

  it.each([
    ['h=abc', /Hidden size h="abc": must be a whole number from 1 to 512; using 32\./],
    ['h=99999999', /must be a whole number from 1 to 512/],
    ['lr=NaN', /lr="NaN": must be a number/],
    ['lr=Infinity', /must be a number/],
    ['lr=-1', /Learning rate lr="-1": must be a number from 0.00001 to 1; using 0.01\./],
    ['lr=2', /must be a number from 0.00001 to 1/],
    ['lag=0', /Lag lag="0": must be a whole number from 1 to 399/],
    ['hide=h0', /"hide" names "h0" \(initial state\), which a classroom link cannot hide/],
    ['cell=transformer', /must be one of rnn, lstm, gru/],
    ['bidi=yes', /must be 0 or 1/],
    ['color=red', /Unknown setting "color"/],
    ['h=%E0%A4%A', /not valid URL encoding/],
    ['h=16&h=32', /appears twice/],
    ['v=9', /version "9"/],
    ['hide=nonsense', /unknown control "nonsense"/],
    ['lesson=<script>', /lesson "<script>" does not exist/],
    ['h=1e3', /must be a whole number/],
    ['task=associative_recall&len=99', /Pairs 99: associative recall takes at most 32 pairs\. Using task Delayed echo, sequence length 20 instead\./],
    ['task=selective_copyx', /Task task="selective_copyx": must be one of .*copy_memory, selective_copy, associative_recall, /],
  ])('%s falls back with a message', (query, message) => {
    const d = decodeUrl(`?${query}`);
    expect(d.problems.join(' ')).toMatch(message);
  });

  it('keeps the good settings of a partly bad link', () => {
    const d = decodeUrl('?h=64&lr=banana&cell=gru');
    expect(d.config.hiddenSize).toBe(64);
    expect(d.config.cell).toBe('gru');
    expect(d.config.learningRate).toBe(DEFAULT_CONFIG.learningRate);
  });

  it('never throws on 500 random or mangled links, and always returns a valid config', () => {
    const rng = new Rng(8);
    const good = encodeUrl(CUSTOM).slice(1);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789=&%.-+_,;/?#é漢\u0000\uFFFD';
    const shorts = Object.values(URL_TABLE).map((e) => e.short);
    for (let i = 0; i < 500; i++) {
      let q: string;
      const kind = i % 5;
      if (kind === 0) q = Array.from({ length: rng.int(200) }, () => alphabet[rng.int(alphabet.length)]).join('');
      else if (kind === 1) q = good.slice(0, rng.int(good.length)); // truncated
      else if (kind === 2) q = encodeURIComponent(encodeURIComponent(good)); // double-encoded
      else if (kind === 3) q = shorts.map((s) => `${s}=${['', '-0', '1e308', '9'.repeat(40), '%', 'null', '[]'][rng.int(7)]}`).join('&');
      else q = 'h='.repeat(rng.int(3000)); // huge
      const d = decodeUrl(`?${q}`);
      for (const k of Object.keys(DEFAULT_CONFIG) as (keyof PlaygroundConfig)[]) expect(typeof d.config[k]).toBe(typeof DEFAULT_CONFIG[k]);
      expect(d.config.hiddenSize).toBeGreaterThanOrEqual(1);
      expect(d.config.hiddenSize).toBeLessThanOrEqual(512);
      expect(Number.isFinite(d.config.learningRate)).toBe(true);
    }
  });
});

describe('embed links', () => {
  it('embed=PANEL round-trips with the settings, and is not a setting', () => {
    const config = { ...DEFAULT_CONFIG, hiddenSize: 12 };
    const q = encodeUrl(config, [], null, DEFAULT_CONFIG, 'spectra');
    expect(q).toContain('embed=spectra');
    const d = decodeUrl(q);
    expect(d.embed).toBe('spectra');
    expect(d.config).toEqual(config);
    expect(d.problems).toEqual([]);
    expect(decodeUrl('?h=12').embed).toBeNull();
  });

  it('an unknown panel is refused in words and the whole page is shown', () => {
    const d = decodeUrl('?embed=nosuch&h=12');
    expect(d.embed).toBeNull();
    expect(d.config.hiddenSize).toBe(12);
    expect(d.problems).toEqual([expect.stringMatching(/^There is no panel "nosuch" to embed; the whole playground is shown\. The panels are: unrolled, gradient-norms, training, spectra, inside, status, compare\.$/)]);
  });
});
