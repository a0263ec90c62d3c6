/**
 * Settings in the URL: a versioned table with one entry per setting (short key, how to read it,
 * which values are allowed). Defaults are left out of links; decoding never throws: a bad value
 * falls back to its default and the reader is told which and why. `hide` lists controls a
 * classroom link hides. Only settings travel in a link, never weights.
 */
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../worker/config';

export const URL_VERSION = 1;

type Key = keyof PlaygroundConfig;

interface Entry {
  /** the query-string key */
  short: string;
  /** the value as text → the value, or a reason it is refused */
  read(text: string): { ok: true; value: unknown } | { ok: false; why: string };
  write(value: unknown): string;
}

function choice<T extends string>(...allowed: T[]): Pick<Entry, 'read' | 'write'> {
  return {
    read: (s) => ((allowed as string[]).includes(s) ? { ok: true, value: s } : { ok: false, why: `must be one of ${allowed.join(', ')}` }),
    write: (v) => String(v),
  };
}

function int(min: number, max: number): Pick<Entry, 'read' | 'write'> {
  return {
    read: (s) => {
      const n = /^-?\d{1,12}$/.test(s) ? Number(s) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, why: `must be a whole number from ${min} to ${max}` };
    },
    write: (v) => String(v),
  };
}

function real(min: number, max: number): Pick<Entry, 'read' | 'write'> {
  return {
    read: (s) => {
      const n = /^-?(\d+\.?\d*|\.\d+)(e-?\d{1,3})?$/i.test(s) ? Number(s) : NaN;
      return Number.isFinite(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, why: `must be a number from ${min} to ${max}` };
    },
    write: (v) => String(v),
  };
}

const bool: Pick<Entry, 'read' | 'write'> = {
  read: (s) => (s === '1' || s === 'true' ? { ok: true, value: true } : s === '0' || s === 'false' ? { ok: true, value: false } : { ok: false, why: 'must be 0 or 1' }),
  write: (v) => (v ? '1' : '0'),
};

/** The table. Adding a setting means adding a line here (and a default in DEFAULT_CONFIG). */
export const URL_TABLE: Record<Key, Entry> = {
  task: { short: 'task', ...choice('adding', 'copy_memory', 'echo', 'temporal_order', 'parity', 'sines', 'char_lm', 'future_tag') },
  length: { short: 'len', ...int(2, 400) },
  lag: { short: 'lag', ...int(0, 200) },
  symbols: { short: 'sym', ...int(2, 16) },
  cell: { short: 'cell', ...choice('rnn', 'lstm', 'gru') },
  nonlinearity: { short: 'act', ...choice('tanh', 'relu', 'linear') },
  hiddenSize: { short: 'h', ...int(1, 512) },
  numLayers: { short: 'layers', ...int(1, 4) },
  bidirectional: { short: 'bidi', ...bool },
  initialState: { short: 'h0', ...choice('zero', 'learned') },
  init: { short: 'init', ...choice('pytorch', 'xavier', 'orthogonal', 'identity', 'gaussian') },
  gain: { short: 'gain', ...real(0, 10) },
  spectralRadius: { short: 'rho', ...real(0, 10) },
  forgetBias: { short: 'fb', ...real(-10, 10) },
  optimizer: { short: 'opt', ...choice('sgd', 'adam', 'rmsprop') },
  learningRate: { short: 'lr', ...real(0, 10) },
  momentum: { short: 'mom', ...real(0, 0.999) },
  batchSize: { short: 'batch', ...int(1, 512) },
  clip: { short: 'clip', ...choice('off', 'norm', 'value') },
  clipMax: { short: 'cmax', ...real(1e-6, 1e6) },
  truncation: { short: 'k', ...int(0, 400) },
  seed: { short: 'seed', ...int(0, 2 ** 31 - 1) },
  backend: { short: 'backend', ...choice('auto', 'reference', 'wasm', 'webgpu', 'gpujs') },
};

const SHORT_TO_KEY = new Map<string, Key>(Object.entries(URL_TABLE).map(([k, e]) => [e.short, k as Key]));
const RESERVED = new Set(['v', 'hide', 'lesson']);
/** Longer query strings are refused whole (nothing a real link needs comes near this). */
const MAX_QUERY_LENGTH = 4000;

export interface DecodedUrl {
  config: PlaygroundConfig;
  /** controls a classroom link hides */
  hidden: Key[];
  /** a lesson id, when the link opens one */
  lesson: string | null;
  /** what was refused and why, for a visible notice */
  problems: string[];
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * @param baseFor the settings a link starts from, given its lesson id (a lesson's own settings);
 *   a link carries only what differs from them
 */
export function decodeUrl(search: string, baseFor: (lesson: string | null) => PlaygroundConfig = () => DEFAULT_CONFIG): DecodedUrl {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG };
  const problems: string[] = [];
  const hidden: Key[] = [];
  let lesson: string | null = null;
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query.length > MAX_QUERY_LENGTH) return { config, hidden, lesson, problems: [`The link is ${query.length} characters long; it was ignored and the defaults are used.`] };
  const seen = new Set<string>();
  const explicit: Partial<Record<Key, unknown>> = {};
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (rawKey === null || value === null) {
      problems.push(`"${part.slice(0, 40)}" is not valid URL encoding and was ignored.`);
      continue;
    }
    const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
    if (seen.has(rawKey)) {
      problems.push(`${shown(rawKey)} appears twice; the first value is used.`);
      continue;
    }
    seen.add(rawKey);
    if (rawKey === 'v') {
      if (value !== String(URL_VERSION)) problems.push(`This link is version ${shown(value)}; this playground reads version ${URL_VERSION}, so some settings may differ.`);
      continue;
    }
    if (rawKey === 'hide') {
      for (const h of value.split(',')) {
        const k = SHORT_TO_KEY.get(h);
        if (k) hidden.push(k);
        else if (h) problems.push(`"hide" names an unknown control ${shown(h)}; ignored.`);
      }
      continue;
    }
    if (rawKey === 'lesson') {
      lesson = /^[a-z0-9-]{1,40}$/.test(value) ? value : null;
      if (!lesson) problems.push(`The lesson ${shown(value)} does not exist; ignored.`);
      continue;
    }
    const key = SHORT_TO_KEY.get(rawKey);
    if (!key || RESERVED.has(rawKey)) {
      problems.push(`Unknown setting ${shown(rawKey)} was ignored.`);
      continue;
    }
    const r = URL_TABLE[key].read(value);
    if (r.ok) explicit[key] = r.value;
    else problems.push(`${rawKey}=${shown(value)} ${r.why}; using the default ${URL_TABLE[key].write(DEFAULT_CONFIG[key])}.`);
  }
  Object.assign(config, baseFor(lesson), explicit);
  return { config, hidden, lesson, problems };
}

/** A query string (with its "?") carrying every setting that differs from the base (the defaults, or a lesson's settings). */
export function encodeUrl(config: PlaygroundConfig, hidden: Key[] = [], lesson: string | null = null, base: PlaygroundConfig = DEFAULT_CONFIG): string {
  const parts = [`v=${URL_VERSION}`];
  if (lesson) parts.push(`lesson=${encodeURIComponent(lesson)}`);
  for (const key of Object.keys(URL_TABLE) as Key[]) {
    if (config[key] === base[key]) continue;
    parts.push(`${URL_TABLE[key].short}=${encodeURIComponent(URL_TABLE[key].write(config[key]))}`);
  }
  if (hidden.length) parts.push(`hide=${hidden.map((k) => URL_TABLE[k].short).join(',')}`);
  return `?${parts.join('&')}`;
}
