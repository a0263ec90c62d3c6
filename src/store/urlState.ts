/**
 * Settings in the URL: each row of the settings table (src/settings/table.ts) gives its short key,
 * its range and its default, so a link accepts exactly what the controls offer. Defaults are left
 * out of links; decoding never throws: a bad value falls back to its default and the reader is
 * told which and why, and a link that costs too much per step is cut down to one that runs.
 * `hide` lists controls a classroom link hides. Only settings travel in a link, never weights.
 */
import { EMBED_PANELS, isEmbedPanel, type EmbedPanel } from './embed';
import { fitConfig } from '../settings/check';
import { DEFAULT_CONFIG, ROWS, rowOf, whyNot, type AnyRow, type PlaygroundConfig } from '../settings/table';

export const URL_VERSION = 1;

type Key = keyof PlaygroundConfig;

interface Entry {
  /** the query-string key */
  short: string;
  /** the value as text → the value, or a reason it is refused */
  read(text: string): { ok: true; value: unknown } | { ok: false; why: string };
  write(value: unknown): string;
}

const INT = /^-?\d{1,12}$/;
const REAL = /^-?(\d+\.?\d*|\.\d+)(e-?\d{1,3})?$/i;

/** How a row's value is spelled in a link: strict (no "0x10", "+1", " 1"), then checked against the row. */
function entryOf(row: AnyRow): Entry {
  const parse = (s: string): unknown => {
    if (row.kind === 'bool') return s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined;
    if (row.kind === 'choice') return s;
    return (row.kind === 'int' ? INT : REAL).test(s) ? Number(s) : NaN;
  };
  return {
    short: row.link,
    read: (s) => {
      const value = parse(s);
      const why = row.kind === 'bool' && value === undefined ? 'must be 0 or 1' : whyNot(row, value);
      return why === null ? { ok: true, value } : { ok: false, why };
    },
    write: (v) => (row.kind === 'bool' ? (v ? '1' : '0') : String(v)),
  };
}

/** The link codec, one entry per row of the settings table. */
export const URL_TABLE = Object.fromEntries(ROWS.map((r) => [r.key, entryOf(r)])) as Record<Key, Entry>;

const SHORT_TO_KEY = new Map<string, Key>(Object.entries(URL_TABLE).map(([k, e]) => [e.short, k as Key]));
const RESERVED = new Set(['v', 'hide', 'lesson', 'embed']);
/** Longer query strings are refused whole (nothing a real link needs comes near this). */
const MAX_QUERY_LENGTH = 4000;

export interface DecodedUrl {
  config: PlaygroundConfig;
  /** controls a classroom link hides */
  hidden: Key[];
  /** a lesson id, when the link opens one */
  lesson: string | null;
  /** the one panel an embedding link shows (src/store/embed.ts), or null for the whole page */
  embed: EmbedPanel | null;
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

const capitalized = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

/**
 * @param baseFor the settings a link starts from, given its lesson id (a lesson's own settings);
 *   a link carries only what differs from them
 * @param lessonIds the lessons that exist; a link naming another is told so (null: any well-formed id)
 */
export function decodeUrl(search: string, baseFor: (lesson: string | null) => PlaygroundConfig = () => DEFAULT_CONFIG, lessonIds: readonly string[] | null = null): DecodedUrl {
  const problems: string[] = [];
  const hidden: Key[] = [];
  let lesson: string | null = null;
  let embed: EmbedPanel | null = null;
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query.length > MAX_QUERY_LENGTH) return { config: { ...DEFAULT_CONFIG }, hidden, lesson, embed, problems: [`The link is ${query.length} characters long; it was ignored and the defaults are used.`] };
  const seen = new Set<string>();
  const explicit: Partial<Record<Key, unknown>> = {};
  /** refused values, told once the base they fall back to is known (it depends on the lesson) */
  const refused: { key: Key; said: string; why: string }[] = [];
  const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (rawKey === null || value === null) {
      problems.push(`"${part.slice(0, 40)}" is not valid URL encoding and was ignored.`);
      continue;
    }
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
        if (k && rowOf(k).hideable) hidden.push(k);
        else if (k) problems.push(`"hide" names ${shown(h)} (${rowOf(k).name}), which a classroom link cannot hide; ignored.`);
        else if (h) problems.push(`"hide" names an unknown control ${shown(h)}; ignored.`);
      }
      continue;
    }
    if (rawKey === 'lesson') {
      const wellFormed = /^[a-z0-9-]{1,40}$/.test(value);
      lesson = wellFormed && (!lessonIds || lessonIds.includes(value)) ? value : null;
      if (!lesson) problems.push(`The lesson ${shown(value)} does not exist; ignored.${lessonIds ? ` The lessons are: ${lessonIds.join(', ')}.` : ''}`);
      continue;
    }
    if (rawKey === 'embed') {
      if (isEmbedPanel(value)) embed = value;
      else problems.push(`There is no panel ${shown(value)} to embed; the whole playground is shown. The panels are: ${EMBED_PANELS.map(([id]) => id).join(', ')}.`);
      continue;
    }
    const key = SHORT_TO_KEY.get(rawKey);
    if (!key || RESERVED.has(rawKey)) {
      problems.push(`Unknown setting ${shown(rawKey)} was ignored.`);
      continue;
    }
    const r = URL_TABLE[key].read(value);
    if (r.ok) explicit[key] = r.value;
    else refused.push({ key, said: `${rawKey}=${shown(value)}`, why: r.why });
  }
  const base = baseFor(lesson);
  for (const { key, said, why } of refused) problems.push(`${capitalized(rowOf(key).name)} ${said}: ${why}; using ${URL_TABLE[key].write(base[key])}.`);
  const fitted = fitConfig({ ...base, ...explicit } as PlaygroundConfig, base, new Set(Object.keys(explicit) as Key[]));
  return { config: fitted.config, hidden, lesson, embed, problems: [...problems, ...fitted.problems] };
}

/** A query string (with its "?") carrying every setting that differs from the base (the defaults, or a lesson's settings). */
export function encodeUrl(config: PlaygroundConfig, hidden: Key[] = [], lesson: string | null = null, base: PlaygroundConfig = DEFAULT_CONFIG, embed: EmbedPanel | null = null): string {
  const parts = [`v=${URL_VERSION}`];
  if (lesson) parts.push(`lesson=${encodeURIComponent(lesson)}`);
  if (embed) parts.push(`embed=${embed}`);
  for (const key of Object.keys(URL_TABLE) as Key[]) {
    if (config[key] === base[key]) continue;
    parts.push(`${URL_TABLE[key].short}=${encodeURIComponent(URL_TABLE[key].write(config[key]))}`);
  }
  if (hidden.length) parts.push(`hide=${hidden.map((k) => URL_TABLE[k].short).join(',')}`);
  return `?${parts.join('&')}`;
}
