/**
 * Malformed input for the fuzz suites: links, model files and pasted texts. Generated (seeded, so
 * every run sees the same cases) and shared by the Node suites in this folder and the browser
 * suite e2e/fuzz.spec.ts. Pure data: no test framework, no DOM, no Node APIs.
 */
import { Rng } from '../../src/engine/rng';
import { MAX_TEXT_CHARS, MIN_TEXT_CHARS } from '../../src/engine/tasks/charLm';
import { checkConfig } from '../../src/settings/check';
import { URL_TABLE } from '../../src/store/urlState';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../src/worker/config';

/** Rendered as HTML, this would set window.__xss and make a <b> element. It must stay text. */
export const XSS = '<img src=x onerror="window.__xss=1"><b>bold</b>';

type Key = keyof PlaygroundConfig;

// ───────────────────────────── links ─────────────────────────────

export type LinkKind = 'wrong-type' | 'out-of-range' | 'huge' | 'unknown-key' | 'truncated' | 'double-encoded' | 'repeated' | 'fragment' | 'unicode' | 'xss';

export interface LinkCase {
  kind: LinkKind;
  name: string;
  /** the query string, without "?"; plain ASCII, so a browser reads it as written */
  query: string;
  /** a word each refusal message must contain (the key as the link spells it) */
  names: string[];
  /** settings the decoded link must hold (its valid part); every other setting is the default */
  kept: Partial<PlaygroundConfig>;
  /** false where a browser would read the link differently (a raw "#" starts the fragment) */
  browser: boolean;
}

/** What a table entry accepts, read from the table itself (its refusal message says it). */
export function entryInfo(key: Key): { type: 'int' | 'real' | 'choice' | 'bool'; min: number; max: number; options: string[] } {
  const e = URL_TABLE[key];
  const why = (s: string) => {
    const r = e.read(s);
    return r.ok ? '' : r.why;
  };
  const w = why('\u0000');
  const range = /from (\S+) to (\S+)$/.exec(w);
  if (range) return { type: /whole/.test(w) ? 'int' : 'real', min: Number(range[1]), max: Number(range[2]), options: [] };
  if (/one of/.test(w)) return { type: 'choice', min: 0, max: 0, options: w.replace(/^must be one of /, '').split(', ') };
  return { type: 'bool', min: 0, max: 1, options: ['0', '1'] };
}

/** Each character as %XX of its UTF-8 bytes, then the "%" encoded again: "ab" → "%2561%2562". */
const doubleEncode = (s: string) => Array.from(new TextEncoder().encode(s), (b) => `%25${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const enc = encodeURIComponent;

/** A valid value of another setting that goes into each link with the bad one, and must survive. */
function companion(key: Key): [string, Partial<PlaygroundConfig>] {
  return key === 'seed' ? ['h=17', { hiddenSize: 17 }] : ['seed=4242', { seed: 4242 }];
}

/** At least 200 malformed links, systematically for every key of the URL table. */
export function linkCases(): LinkCase[] {
  const out: LinkCase[] = [];
  const keys = Object.keys(URL_TABLE) as Key[];
  keys.forEach((key, i) => {
    const short = URL_TABLE[key].short;
    const info = entryInfo(key);
    const [good, kept] = companion(key);
    const valid = URL_TABLE[key].write(DEFAULT_CONFIG[key]);
    // another valid value, one that runs with every other setting at its default (echo's lag
    // must stay under the sequence length, so its maximum does not qualify)
    const numbers = [info.max, info.min].map(String).filter((s) => s !== valid && checkConfig({ ...DEFAULT_CONFIG, [key]: Number(s) }) === null);
    const other = info.type === 'choice' ? info.options.find((o) => o !== valid)! : info.type === 'bool' ? (valid === '1' ? '0' : '1') : numbers[0];
    const otherValue = URL_TABLE[key].read(other);
    if (!otherValue.ok) throw new Error(`${short}: ${other} should be valid`);
    /** one bad value of this key in a link with a good one (before or after it) */
    const bad = (kind: LinkKind, raw: string, name = raw, browser = true) =>
      out.push({ kind, name: `${short}=${name}`, query: i % 2 ? `${short}=${raw}&${good}` : `${good}&${short}=${raw}`, names: [short], kept, browser });

    // wrong types
    const wrong = ['abc', '[]', '{}', 'null', 'undefined', '', enc('"1"')];
    if (info.type === 'int' || info.type === 'real') wrong.push('true', 'NaN', 'Infinity', '0x10', '1,5', enc('+1'), '1_000');
    if (info.type === 'int') wrong.push('1.5', '2e1');
    if (info.type === 'choice') wrong.push('1', 'true', info.options[0].toUpperCase(), enc(` ${info.options[0]}`));
    if (info.type === 'bool') wrong.push('yes', 'on', '2', 'TRUE', '-1');
    for (const w of wrong) bad('wrong-type', w);

    // out of range and huge
    if (info.type === 'int' || info.type === 'real') {
      bad('out-of-range', String(info.min - 1));
      bad('out-of-range', String(info.max + 1));
      if (info.type === 'real') bad('out-of-range', String(info.max * 1.001));
      bad('huge', '1e308');
      bad('huge', '-1e308');
      bad('huge', '1e309');
      bad('huge', '9'.repeat(400), `9×400`);
    } else {
      bad('out-of-range', `${info.options[info.options.length - 1]}x`);
      bad('huge', 'x'.repeat(3000), 'x×3000');
    }

    // truncated: a value cut short, or a percent escape cut short
    const cut = info.type === 'choice' ? info.options.map((o) => o.slice(0, -1)).find((o) => !info.options.includes(o))! : info.type === 'bool' ? 'tru' : '1e';
    bad('truncated', cut);
    bad('truncated', `${other}%`);
    bad('truncated', '%E0%A4%A');

    // double-encoded: decoded once, it is still escapes
    bad('double-encoded', doubleEncode(other));

    // repeated: the first value counts, the second is refused by name
    out.push({ kind: 'repeated', name: `${short} twice`, query: `${short}=${other}&${good}&${short}=abc`, names: [short], kept: { ...kept, [key]: otherValue.value } as Partial<PlaygroundConfig>, browser: true });

    // fragments: an escaped "#" is part of the value; a raw one ends the query in a browser
    bad('fragment', `${other}%23frag`);
    bad('fragment', `${other}#frag`, `${other}#frag`, false);

    // unicode look-alikes: Arabic-Indic and full-width digits, full-width letters, marks, bidi
    const lookalike = info.type === 'choice' ? Array.from(other, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('') : '١٢';
    bad('unicode', enc(lookalike));
    bad('unicode', enc(`${other}\u0301`));
    bad('unicode', enc(`\u202E${other}`));
    bad('unicode', enc(`${other}\u200B`));
    if (info.type === 'int' || info.type === 'real') bad('unicode', enc('１'));
    bad('unicode', '%ED%A0%80'); // a lone surrogate in UTF-8: not valid URL encoding
    bad('unicode', enc('😀'));

    // user text in a value must stay text
    bad('xss', enc(XSS));
  });

  // unknown keys, each with the valid companion
  const unknown = ['H', 'hiddenSize', 'h%20', 'color', '__proto__', 'constructor', 'toString', enc('ĥ'), enc(XSS), enc('h\u0000'), 'x'.repeat(300), '%2568', enc('ｈ')];
  unknown.forEach((k, i) => {
    const decoded = decodeURIComponent(k);
    const shown = JSON.stringify(decoded.length > 40 ? `${decoded.slice(0, 37)}...` : decoded);
    out.push({ kind: 'unknown-key', name: `unknown ${k.slice(0, 20)}`, query: i % 2 ? `${k}=5&seed=4242` : `seed=4242&${k}=1`, names: [shown], kept: { seed: 4242 }, browser: true });
  });
  return out;
}

// ─────────────────────────── model files ───────────────────────────

export type ModelKind = 'header' | 'size' | 'state-dict' | 'tensor' | 'text' | 'deep' | 'huge' | 'xss';

export interface ModelCase {
  kind: ModelKind;
  name: string;
  text: string;
  /** the refusal message must match this (it names the problem) */
  want: RegExp;
  /** tens of MB: Node only */
  heavy?: boolean;
}

type Json = Record<string, unknown>;
const DEPTH = 100_000;
const deepArray = (inner = '1') => `${'['.repeat(DEPTH)}${inner}${']'.repeat(DEPTH)}`;
const deepObject = () => `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The shape of a nested array (along its first entries). */
function shapeOf(v: unknown): number[] {
  const shape: number[] = [];
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** At least 120 malformed model files, made by mutating `goodText` (a model file the app saved). */
export function modelFileCases(goodText: string, opts: { heavy: boolean; seed?: number } = { heavy: true }): ModelCase[] {
  const rng = new Rng(opts.seed ?? 2024);
  const good = JSON.parse(goodText) as Json;
  const sd = good.stateDict as Record<string, unknown>;
  const names = Object.keys(sd);
  const clone = () => JSON.parse(goodText) as Json;
  const out: ModelCase[] = [];
  const add = (kind: ModelKind, name: string, text: string, want: RegExp, heavy = false) => out.push({ kind, name, text, want, heavy });
  /** the good file with one change */
  const edit = (kind: ModelKind, name: string, change: (o: Json) => void, want: RegExp) => {
    const o = clone();
    change(o);
    add(kind, name, JSON.stringify(o), want);
  };
  /** the good file with a value written as raw text (NaN, 1e309, deep nesting: things JSON.stringify cannot write) */
  const MARK = '\u0000literal\u0000';
  const literal = (kind: ModelKind, name: string, place: (o: Json, mark: string) => void, raw: string, want: RegExp, heavy = false) => {
    const o = clone();
    place(o, MARK);
    add(kind, name, JSON.stringify(o).replace(JSON.stringify(MARK), () => raw), want, heavy);
  };

  // ── the header ──
  const wrongValues: [string, unknown][] = [['a string', 'rnn-playground/model@2'], ['empty', ''], ['a number', 1], ['null', null], ['true', true], ['an array', ['rnn-playground/model@1']], ['an object', {}], ['xss', XSS]];
  for (const [what, v] of wrongValues) edit(what === 'xss' ? 'xss' : 'header', `format ${what}`, (o) => (o.format = v), /"format" must be "rnn-playground\/model@1"/);
  edit('header', 'format missing', (o) => delete o.format, /"format" must be/);
  edit('header', 'format upper case', (o) => (o.format = String(o.format).toUpperCase()), /"format" must be/);
  for (const v of ['transformer', 'LSTM', '', 0, null, ['rnn'], { cell: 'rnn' }, XSS]) edit(v === XSS ? 'xss' : 'header', `cell ${JSON.stringify(v)}`, (o) => (o.cell = v), /"cell" must be one of "rnn", "lstm", "gru"/);
  edit('header', 'cell missing', (o) => delete o.cell, /"cell" must be one of/);
  for (const cell of ['rnn', 'lstm', 'gru'].filter((c) => c !== good.cell)) edit('header', `cell ${cell} with these weights`, (o) => (o.cell = cell), /must have shape|does not fit/);
  for (const v of ['sigmoid', 'Tanh', 1, null, XSS]) edit(v === XSS ? 'xss' : 'header', `nonlinearity ${JSON.stringify(v)}`, (o) => (o.nonlinearity = v), /"nonlinearity" must be one of "tanh", "relu", "linear"/);
  for (const v of ['true', 1, 0, null, 'yes']) edit('header', `bidirectional ${JSON.stringify(v)}`, (o) => (o.bidirectional = v), /"bidirectional" must be true or false/);
  edit('header', 'bidirectional missing', (o) => delete o.bidirectional, /"bidirectional" must be true or false/);
  edit('header', 'bidirectional flipped', (o) => (o.bidirectional = !o.bidirectional), /does not fit .*(missing|unexpected)/);
  for (const v of ['random', 1, null, XSS]) edit(v === XSS ? 'xss' : 'header', `initialState ${JSON.stringify(v)}`, (o) => (o.initialState = v), /"initialState" must be one of "zero", "learned"/);
  if (good.initialState !== 'learned') edit('header', 'initialState learned without h0', (o) => (o.initialState = 'learned'), /missing "h0_l0"/);

  // ── sizes ──
  for (const key of ['inputSize', 'hiddenSize', 'numLayers', 'outputSize']) {
    const want = new RegExp(`"${key}" must be a whole number from 1 to \\d+`);
    for (const v of [0, -1, -0.5, 1.5, 1e9, 1e308, '3', null, true, [3], { n: 3 }]) edit('size', `${key} ${JSON.stringify(v)}`, (o) => (o[key] = v), want);
    edit('size', `${key} missing`, (o) => delete o[key], want);
    literal('size', `${key} 1e309`, (o, m) => (o[key] = m), '1e309', want);
    literal('size', `${key} -1e309`, (o, m) => (o[key] = m), '-1e309', want);
    literal('size', `${key} 400 digits`, (o, m) => (o[key] = m), `3${'0'.repeat(400)}`, want);
  }
  const n = (k: string) => good[k] as number;
  edit('size', 'hiddenSize + 1', (o) => (o.hiddenSize = n('hiddenSize') + 1), /must have shape/);
  if (n('hiddenSize') > 1) edit('size', 'hiddenSize - 1', (o) => (o.hiddenSize = n('hiddenSize') - 1), /must have shape/);
  edit('size', 'inputSize + 1', (o) => (o.inputSize = n('inputSize') + 1), /"weight_ih_l0" must have shape/);
  edit('size', 'outputSize + 1', (o) => (o.outputSize = n('outputSize') + 1), /"readout.weight" must have shape/);
  edit('size', 'numLayers + 1', (o) => (o.numLayers = n('numLayers') + 1), new RegExp(`missing "weight_ih_l${n('numLayers')}"`));
  if (n('numLayers') > 1) edit('size', 'numLayers - 1', (o) => (o.numLayers = n('numLayers') - 1), /unexpected "weight_ih_l/);

  // ── the state dict ──
  for (const v of [undefined, [], null, 'weights', 1, [[1]]]) edit('state-dict', `stateDict ${JSON.stringify(v) ?? 'missing'}`, (o) => (o.stateDict = v), /"stateDict" must be an object/);
  for (const name of names) edit('state-dict', `${name} missing`, (o) => delete (o.stateDict as Json)[name], new RegExp(`missing "${esc(name)}"`));
  for (const extra of ['weight_hh_l9', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' weight_hh_l0', XSS])
    edit(extra === XSS ? 'xss' : 'state-dict', `extra key ${JSON.stringify(extra)}`, (o) => Object.defineProperty(o.stateDict, extra, { value: [1], enumerable: true }), new RegExp(`unexpected ${esc(JSON.stringify(extra.length > 40 ? `${extra.slice(0, 37)}...` : extra))}`));
  edit('state-dict', 'a 100 000-character key', (o) => ((o.stateDict as Json)['k'.repeat(100_000)] = 1), /unexpected "k{37}\.\.\."/);
  edit('state-dict', '1000 extra keys', (o) => {
    for (let k = 0; k < 1000; k++) (o.stateDict as Json)[`extra_${k}`] = k;
  }, /unexpected .* and 992 more/);
  edit('state-dict', 'a key in upper case', (o) => {
    const s = o.stateDict as Json;
    s[names[0].toUpperCase()] = s[names[0]];
    delete s[names[0]];
  }, /missing .*; unexpected/);
  for (const [what, v] of [['a scalar', 0.5], ['null', null], ['a string', 'weights'], ['an object', {}], ['true', true], ['an empty array', []]] as [string, unknown][]) {
    const name = names[rng.int(names.length)];
    edit('tensor', `${name} is ${what}`, (o) => ((o.stateDict as Json)[name] = v), new RegExp(`"${esc(name)}" must have shape`));
  }

  // ── tensors: seeded mutations of one entry or one row ──
  const leafValues: [string, unknown][] = [['null', null], ['"NaN"', 'NaN'], ['"Infinity"', 'Infinity'], ['"1"', '1'], ['true', true], ['{}', {}], ['[]', []], ['[x]', 'wrap'], ['[[x]]', 'wrap2']];
  const leafLiterals = ['1e309', '-1e309', '-1e400'];
  const parseErrors = ['NaN', 'Infinity', '-Infinity', 'undefined', '0x1F', '.5', '01', '1.', '+1', "'1'"];
  for (let c = 0; c < 48; c++) {
    const name = names[rng.int(names.length)];
    const shape = shapeOf(sd[name]);
    const path = shape.map((len) => rng.int(len));
    const at = path.map((k) => `[${k}]`).join('');
    const nameRe = esc(`"${name}"`);
    const setLeaf = (o: Json, v: unknown) => {
      let arr = (o.stateDict as Json)[name] as unknown[];
      for (const k of path.slice(0, -1)) arr = arr[k] as unknown[];
      const last = path[path.length - 1];
      arr[last] = v === 'wrap' ? [arr[last]] : v === 'wrap2' ? [[arr[last]]] : v;
    };
    const kind = c % 6;
    if (kind === 0 || kind === 1) {
      const [what, v] = leafValues[rng.int(leafValues.length)];
      const want = Array.isArray(v) && !(v as unknown[]).length ? new RegExp(`${nameRe}${esc(at)} must be a finite number; got \\[\\]`) : new RegExp(`${nameRe}${esc(at)} must be a finite number`);
      edit('tensor', `${name}${at} = ${what}`, (o) => setLeaf(o, v), want);
    } else if (kind === 2) {
      const raw = leafLiterals[rng.int(leafLiterals.length)];
      literal('tensor', `${name}${at} = ${raw}`, (o, m) => setLeaf(o, m), raw, new RegExp(`${nameRe}${esc(at)} must be a finite number; got -?Infinity`));
    } else if (kind === 3) {
      const raw = parseErrors[rng.int(parseErrors.length)];
      literal('tensor', `${name}${at} = ${raw} (not JSON)`, (o, m) => setLeaf(o, m), raw, /not valid JSON/);
    } else {
      // a row (or entry) too few or too many, at a random depth
      const depth = rng.int(shape.length);
      const grow = kind === 5;
      edit('tensor', `${name} ${grow ? 'one more' : 'one fewer'} at depth ${depth}`, (o) => {
        let arr = (o.stateDict as Json)[name] as unknown[];
        for (const k of path.slice(0, depth)) arr = arr[k] as unknown[];
        if (grow) arr.push(JSON.parse(JSON.stringify(arr[0])));
        else arr.pop();
      }, new RegExp(`${nameRe} must have shape \\[${shape.join(', ')}\\]`));
    }
  }
  const matrices = names.filter((k) => shapeOf(sd[k]).length === 2 && shapeOf(sd[k])[0] !== shapeOf(sd[k])[1]);
  const vectors = names.filter((k) => shapeOf(sd[k]).length === 1);
  for (const name of matrices.slice(0, 3)) {
    const nameRe = esc(`"${name}"`);
    edit('tensor', `${name} flattened`, (o) => ((o.stateDict as Json)[name] = (sd[name] as number[][]).flat()), new RegExp(`${nameRe} must have shape`));
    edit('tensor', `${name} transposed`, (o) => {
      const m = sd[name] as number[][];
      (o.stateDict as Json)[name] = m[0].map((_, j) => m.map((row) => row[j]));
    }, new RegExp(`${nameRe} (must have shape|.* must be a finite number)`));
    edit('tensor', `${name} a row is a number`, (o) => (((o.stateDict as Json)[name] as unknown[])[0] = 0.5), new RegExp(`${nameRe} must have shape .*at \\[0\\] found 0.5`));
  }
  for (const name of vectors.slice(0, 2)) {
    edit('tensor', `${name} nested one deeper`, (o) => ((o.stateDict as Json)[name] = (sd[name] as number[]).map((x) => [x])), new RegExp(`${esc(`"${name}"`)}\\[0\\] must be a finite number; got \\[`));
  }

  // ── the text ──
  for (let c = 0; c < 12; c++) {
    const cut = 1 + rng.int(goodText.length - 2);
    add('text', `truncated at ${cut}`, goodText.slice(0, cut), /not valid JSON/);
  }
  add('text', 'empty', '', /not valid JSON \(Unexpected end of JSON input\)/);
  add('text', 'whitespace', ' \n\t\r ', /not valid JSON/);
  add('text', 'a byte-order mark alone', '\uFEFF', /not valid JSON/);
  add('text', 'a byte-order mark, then a truncated file', `\uFEFF${goodText.slice(0, 100)}`, /not valid JSON/);
  add('text', 'a byte-order mark, then a wrong format', `\uFEFF${goodText.replace('rnn-playground/model@1', 'rnn-playground/model@9')}`, /"format" must be/);
  add('text', 'NUL bytes', '\u0000'.repeat(64), /not valid JSON/);
  add('text', 'PNG bytes', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR', /not valid JSON/);
  add('text', 'gzip bytes', '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000', /not valid JSON/);
  add('text', 'UTF-16 read as UTF-8', Array.from(goodText.slice(0, 200), (ch) => `${ch}\u0000`).join(''), /not valid JSON/);
  const random = Array.from({ length: 4096 }, () => String.fromCharCode(rng.int(256))).join('');
  add('text', 'random bytes', `\u0001${random}`, /not valid JSON/);
  add('text', 'lone surrogates', '\uD800\uDC00\uDFFF\uD800', /not valid JSON/);
  for (const [what, text] of [['an array', '[]'], ['a string', '"model"'], ['a number', '42'], ['null', 'null'], ['true', 'true'], ['an array of the model', `[${goodText}]`]])
    add('text', `top level ${what}`, text, /must be a JSON object/);
  add('text', 'two files back to back', goodText + goodText, /not valid JSON/);
  add('text', 'a trailing comma', goodText.replace(/}$/, ',}'), /not valid JSON/);
  add('text', 'single quotes', goodText.replace(/"/g, "'"), /not valid JSON/);
  add('text', 'a comment', `// model\n${goodText}`, /not valid JSON/);
  add('text', 'a repeated key whose last value is bad', goodText.replace(/}$/, ',"cell":"bad"}'), /"cell" must be one of/);
  add('text', 'the file as a JSON string', JSON.stringify(goodText), /must be a JSON object/);

  // ── deep nesting: 100 000 levels ──
  add('deep', 'top level [[[…]]]', deepArray(), /must be a JSON object/);
  add('deep', 'top level [[[… unclosed', '['.repeat(DEPTH), /not valid JSON/);
  add('deep', 'top level {"a":{"a":…}}', deepObject(), /"format" must be/);
  literal('deep', 'format [[[…]]]', (o, m) => (o.format = m), deepArray('"rnn-playground/model@1"'), /"format" must be "rnn-playground\/model@1"; got \[\[\[/);
  literal('deep', 'hiddenSize [[[…]]]', (o, m) => (o.hiddenSize = m), deepArray(), /"hiddenSize" must be a whole number/);
  literal('deep', 'stateDict [[[…]]]', (o, m) => (o.stateDict = m), deepArray(), /"stateDict" must be an object/);
  literal('deep', 'a weight [[[…]]]', (o, m) => ((o.stateDict as Json)[names[0]] = m), deepArray(), new RegExp(`${esc(`"${names[0]}"`)} must have shape`));
  {
    const name = vectors[0] ?? names[0];
    const shape = shapeOf(sd[name]);
    literal('deep', 'an entry [[[…]]]', (o, m) => {
      let arr = (o.stateDict as Json)[name] as unknown[];
      for (let d = 0; d < shape.length - 1; d++) arr = arr[0] as unknown[];
      arr[0] = m;
    }, deepArray(), new RegExp(`${esc(`"${name}"`)}(\\[0\\])+ must be a finite number; got \\[\\[\\[`));
  }
  literal('deep', 'an extra key {"a":{…}}', (o, m) => ((o.stateDict as Json).deep = m), deepObject(), /unexpected "deep"/);

  // ── huge: tens of MB (Node only), and big values in small files ──
  if (opts.heavy) {
    literal('huge', 'a weight of 2.5 million numbers (25 MB)', (o, m) => ((o.stateDict as Json)[names[0]] = m), `[${'0.1234567,'.repeat(2_500_000)}0]`, new RegExp(`${esc(`"${names[0]}"`)} must have shape .* found 2500001 entries`), true);
    add('huge', '51 MB of spaces, then the model', `${' '.repeat(51 * 1024 * 1024)}${goodText}`, /too large: 53,\d{3},\d{3} characters, the limit is 52,428,800/, true);
    add('huge', '100 000 extra keys in the state dict', goodText.replace(/"stateDict":\{/, () => `"stateDict":{${Array.from({ length: 100_000 }, (_, k) => `"x${k}":0`).join(',')},`), /unexpected "x0", .* and 99992 more/, true);
  }
  edit('huge', 'format a 1 MB string', (o) => (o.format = 'f'.repeat(1 << 20)), /"format" must be "rnn-playground\/model@1"; got "f{36}\.\.\./);
  edit('huge', 'cell an array of 100 000 entries', (o) => (o.cell = Array.from({ length: 100_000 }, (_, k) => k)), /"cell" must be one of .*got \[0,1,2,/);
  return out;
}

// ───────────────────────────── texts ─────────────────────────────

export interface TextCase {
  name: string;
  text: string;
  /** refused: the message must match; accepted: null */
  refused: RegExp | null;
  /** tens of MB or a million characters: Node only */
  heavy?: boolean;
}

/** `sample` repeated to at least `n` code points. */
const fill = (sample: string, n = 400) => {
  const len = Array.from(sample).length;
  return sample.repeat(Math.ceil(n / len));
};

/** Samples of writing systems and Unicode's harder corners. Each is accepted as a text. */
export const SCRIPTS: [string, string][] = [
  ['Latin with diacritics', 'Falsches Üben von Xylophonmusik quält jeden größeren Zwerg. Ça été très élégant! '],
  ['Greek', 'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Γαζέες καὶ μυρτιὲς δὲν θὰ βρῶ πιά. '],
  ['Cyrillic', 'Съешь же ещё этих мягких французских булок, да выпей чаю. Ґанок і їжак. '],
  ['Arabic', 'نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر ومغلف بجلد أزرق. '],
  ['Hebrew', 'עטלף אבק נס דרך מזגן שהתפוצץ כי חם. דג סקרן שט בים מאוכזב ולפתע מצא חברה. '],
  ['Devanagari', 'ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश करने वाले विष्णुवतार भगवान श्रीराम। '],
  ['CJK', '天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜。'],
  ['Japanese kana', 'いろはにほへと ちりぬるを わかよたれそ つねならむ イロハニホヘト チリヌルヲ '],
  ['Hangul', '키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다. 다람쥐 헌 쳇바퀴에 타고파. '],
  ['Thai', 'เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน '],
  ['Georgian and Armenian', 'ქართული ენა მსოფლიოში ერთ-ერთი უძველესი ენაა. Բարեւ ձեզ, ինչպես եք։ '],
  ['Ethiopic', 'ሰማይ አይታረስ ንጉሥ አይከሰስ። ብልህ ሰው ሁሉን ይጠይቃል። '],
  ['Tamil and Bengali', 'யாமறிந்த மொழிகளிலே தமிழ்மொழி போல் இனிதாவது எங்கும் காணோம். আমার সোনার বাংলা। '],
  ['Khmer, Tibetan, Mongolian', 'ខ្ញុំអាចញ៉ាំកញ្ចក់បាន ཤེལ་སྒོ་ཟ་ནས་ང་ན་གི་མ་རེད། ᠪᠢ ᠰᠢᠯᠢ ᠢᠳᠡᠶᠦ ᠴᠢᠳᠠᠨᠠ '],
  ['Emoji with ZWJ sequences and skin tones', '👨‍👩‍👧‍👦 👩🏽‍💻 🏳️‍🌈 🧑🏿‍🚀 ❤️‍🔥 🇺🇳 👍🏻 hello '],
  ['Combining marks (Zalgo)', 'Z̸̡̢̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎a̵̢̧̨̛̛̖̗̘̙̜̝̞̟̠̤l̷g̶o̴ '],
  ['RTL and LTR overrides, isolates', 'abc\u202Edef\u202C ghi \u2066שלום\u2069 \u200F x \u200E y \u061C '],
  ['Zero-width and invisible characters', 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg\u034Fh '],
  ['Astral: math, music, hieroglyphs', '𝔸𝕓𝒸𝓭 𝄞𝄢𝅘𝅥𝅮 𓀀𓁐𓂀𓃰 𐌰𐌱𐌲 '],
  ['Variation selectors and full width', '︎☺︎☺️ ＡＢＣ１２３ ｶﾀｶﾅ 丽丸乁 '],
  ['Box drawing and Braille', '╔═══╗║ ░▒▓█ ╚═══╝ ⠓⠑⠇⠇⠕ ⠺⠕⠗⠇⠙ '],
  ['Cherokee, Runic, Ogham', 'ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᚠᚢᚦᚨᚱᚲ ᚛ᚁᚂᚃᚄ᚜ '],
  ['Mixed bidi numbers', '١٢٣ 123 ۴۵۶ ४५६ ๑๒๓ 一二三 '],
];

/** At least 60 pasted texts; `T` is the window length of the run they are pasted into. */
export function textCases(T = 20): TextCase[] {
  const min = Math.max(MIN_TEXT_CHARS, T + 2);
  const limit = MAX_TEXT_CHARS.toLocaleString('en');
  const tooLarge = new RegExp(`too large.*limit is ${limit}`);
  const ab = (n: number) => 'ab'.repeat(Math.ceil(n / 2)).slice(0, n);
  const rng = new Rng(7);
  const cases: TextCase[] = [
    // empty and blank
    { name: 'empty', text: '', refused: /The text is empty/ },
    { name: 'a space', text: ' ', refused: /The text is empty/ },
    { name: 'whitespace', text: ' \t\n\r\n\u00A0\u2003\u3000'.repeat(50), refused: /The text is empty/ },
    { name: 'line separators', text: '\u2028\u2029\uFEFF'.repeat(100), refused: /The text is empty/ },
    // short
    { name: 'one character', text: 'a', refused: /too short: 1 characters, at least \d+/ },
    { name: 'one emoji', text: '👨‍👩‍👧‍👦', refused: /too short: 7 characters/ },
    { name: `${min - 1} characters`, text: ab(min - 1), refused: new RegExp(`too short: ${min - 1} characters, at least ${min}`) },
    { name: `${min - 1} astral characters (${2 * (min - 1)} UTF-16 units)`, text: '𝔸𝔹'.repeat(min).slice(0, 2 * (min - 1)), refused: new RegExp(`too short: ${min - 1} characters`) },
    { name: 'CRLF pairs counted once', text: 'a\r\n'.repeat(Math.floor((min - 1) / 2)), refused: /too short/ },
    { name: 'a short XSS', text: XSS, refused: /too short/ },
    // one character only
    { name: 'one letter repeated', text: 'a'.repeat(500), refused: /single character/ },
    { name: 'only line breaks', text: '\r\n'.repeat(300), refused: /The text is empty/ },
    { name: `${min - 1} CJK characters`, text: '天地玄黄宇宙洪荒'.repeat(min).slice(0, min - 1), refused: new RegExp(`too short: ${min - 1} characters`) },
    { name: 'NUL bytes', text: '\u0000'.repeat(500), refused: /single character/ },
    { name: 'lone high surrogates', text: '\uD800'.repeat(500), refused: /single character/ },
    { name: 'zero-width spaces', text: '\u200B'.repeat(500), refused: /single character/ },
    { name: 'one emoji repeated', text: '😀'.repeat(300), refused: /single character/ },
    // too large
    { name: `${MAX_TEXT_CHARS + 1} characters`, text: ab(MAX_TEXT_CHARS + 1), refused: new RegExp(`too large: 1,000,001 characters, the limit is ${limit}`), heavy: true },
    { name: '3 MB', text: ab(3_000_000), refused: tooLarge, heavy: true },
    { name: '10 MB', text: 'abcdefghij'.repeat(1_000_000), refused: tooLarge, heavy: true },
    { name: '1.2 million emoji', text: '😀😁'.repeat(600_000), refused: tooLarge, heavy: true },
    { name: '3 MB of spaces', text: ' '.repeat(3_000_000), refused: /The text is empty/, heavy: true },
    // accepted: limits
    { name: `exactly ${min} characters`, text: ab(min), refused: null },
    { name: `${min} astral characters`, text: '𝔸𝔹'.repeat(min / 2), refused: null },
    { name: `${MAX_TEXT_CHARS} characters`, text: `${'The quick brown fox. '.repeat(MAX_TEXT_CHARS / 21 + 1)}`.slice(0, MAX_TEXT_CHARS), refused: null, heavy: true },
    { name: 'CRLF line endings', text: 'ab\r\ncd\r'.repeat(100), refused: null },
    { name: 'digits only', text: fill('0123456789'), refused: null },
    { name: 'NUL and one letter', text: '\u0000a'.repeat(200), refused: null },
    { name: 'one long line of prose', text: fill('In the beginning God created the heaven and the earth. ', 2000), refused: null },
    // accepted: binary
    { name: 'control characters U+0000–U+001F', text: fill(Array.from({ length: 32 }, (_, k) => String.fromCharCode(k)).join('')), refused: null },
    { name: 'bytes 0–255 (more than the vocabulary)', text: Array.from({ length: 2000 }, () => String.fromCharCode(rng.int(256))).join(''), refused: null },
    { name: 'lone surrogates among letters', text: fill('ab\uD800c\uDC00d\uDFFF'), refused: null },
    { name: 'U+FFFD already in the text', text: fill('a\uFFFDb\uFFFD '), refused: null },
    { name: 'XSS and markup', text: fill(`${XSS} <script>alert(1)</script> &amp; &lt; `), refused: null },
    { name: 'private use and noncharacters', text: fill('\uE000\uF8FF\uFDD0\uFFFE\uFFFF𯿾 x'), refused: null },
    // accepted: every script
    ...SCRIPTS.map(([name, sample]) => ({ name, text: fill(sample), refused: null })),
    { name: 'every script at once', text: SCRIPTS.map(([, s]) => s).join(''), refused: null },
    { name: 'a character from every Unicode block', text: fill(everyBlock()), refused: null },
    { name: 'random code points', text: Array.from({ length: 3000 }, () => randomCodePoint(rng)).join(''), refused: null },
  ];
  return cases;
}

/** One character from (almost) every 128 code points of the first four planes, surrogates skipped. */
function everyBlock(): string {
  let s = '';
  for (let cp = 0x20; cp < 0x40000; cp += 0x80) if (cp < 0xd800 || cp > 0xdfff) s += String.fromCodePoint(cp + 1);
  return s;
}

function randomCodePoint(rng: Rng): string {
  const cp = rng.int(0x110000);
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
}
