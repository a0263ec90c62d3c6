/**
 * Fuzz: malformed links, generated per key of the URL table (test/fuzz/cases.ts). decodeUrl never
 * throws; each refused value is reported by its key, in a short message; the valid settings of the
 * same link are kept; and what comes out is always a valid config.
 */
import { describe, expect, it } from 'vitest';
import { decodeUrl, URL_TABLE } from '../../src/store/urlState';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../src/worker/config';
import { linkCases, XSS, type LinkKind } from './cases';

type Key = keyof PlaygroundConfig;
const KEYS = Object.keys(DEFAULT_CONFIG) as Key[];
const cases = linkCases();

/** Every value of the config is one the table itself accepts (and writes back the same way). */
function expectValidConfig(c: PlaygroundConfig, label: string): void {
  for (const k of KEYS) {
    const text = URL_TABLE[k].write(c[k]);
    const back = URL_TABLE[k].read(text);
    expect(back.ok && back.value === c[k], `${label}: ${k} = ${String(c[k])}`).toBe(true);
  }
}

describe('fuzz: malformed links', () => {
  it('covers every kind, for every key of the URL table, with at least 200 links', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const kinds: LinkKind[] = ['wrong-type', 'out-of-range', 'huge', 'unknown-key', 'truncated', 'double-encoded', 'repeated', 'fragment', 'unicode', 'xss'];
    for (const kind of kinds) expect(cases.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(10);
    for (const k of KEYS) {
      const short = URL_TABLE[k].short;
      const mine = cases.filter((c) => c.names[0] === short);
      expect(new Set(mine.map((c) => c.kind)).size, short).toBeGreaterThanOrEqual(8);
    }
  });

  it.each(cases.map((c) => [`${c.kind}: ${c.name.slice(0, 60)}`, c] as const))('%s', (_label, c) => {
    let d!: ReturnType<typeof decodeUrl>;
    expect(() => (d = decodeUrl(`?${c.query}`))).not.toThrow();
    // Refused, with a short message that names the key as the link spells it.
    expect(d.problems.length).toBeGreaterThanOrEqual(1);
    for (const name of c.names) {
      const spelled = c.kind === 'unknown-key' ? [`Unknown setting ${name}`] : [`${name}=`, `"${name}=`, `"${name}" appears twice`];
      expect(
        d.problems.some((p) => spelled.some((s) => p.includes(s))),
        `${JSON.stringify(d.problems).slice(0, 300)} should name ${name}`,
      ).toBe(true);
    }
    for (const p of d.problems) {
      expect(p.length).toBeLessThan(300);
      expect(p).not.toMatch(/\[object |Error:|\n\s+at /);
    }
    // The valid part is kept; everything else is the default.
    expect(d.config).toEqual({ ...DEFAULT_CONFIG, ...c.kept });
    expectValidConfig(d.config, c.name);
    expect(d.hidden).toEqual([]);
    expect(d.lesson).toBeNull();
  });

  it('user text in a link is quoted as text, cut short, never passed on as markup to a setting', () => {
    const d = decodeUrl(`?cell=${encodeURIComponent(XSS)}&${encodeURIComponent(XSS)}=1&lesson=${encodeURIComponent(XSS)}&hide=${encodeURIComponent(XSS)}`);
    expect(d.config).toEqual(DEFAULT_CONFIG);
    expect(d.problems).toHaveLength(4);
    expect(d.problems.join(' ')).toContain(JSON.stringify(`${XSS.slice(0, 37)}...`));
  });

  it('a link over the length limit is ignored whole, with a message saying why', () => {
    const d = decodeUrl(`?seed=4242&h=${'9'.repeat(5000)}`);
    expect(d.config).toEqual(DEFAULT_CONFIG);
    expect(d.problems).toEqual([expect.stringMatching(/The link is 5012 characters long; it was ignored/)]);
  });

  it('many bad keys in one link: each reported, the good ones kept', () => {
    const bad = (Object.values(URL_TABLE) as { short: string }[]).map((e) => `${e.short}=%E0%A4%A`).join('&');
    const d = decodeUrl(`?seed=4242&${bad}`);
    expect(d.config.seed).toBe(4242);
    expect(d.problems.length).toBe(KEYS.length);
  });
});
