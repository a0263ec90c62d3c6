/**
 * Every number a label shows, formatted in one place: chart ticks, readouts, captions, aria labels.
 * None prints "NaN" where a dash or a word reads better; minus signs are true minus signs (−),
 * except in fmtPlain, whose output tests and scripts parse back. d3-format does the rounding.
 */
import { format } from 'd3';

const f3 = format('.3~g');
const e3 = format('.3~e');
const fmtTickExp = format('.2~e'); // up to three significant digits, trailing zeros dropped
const fmtG = format('~g');
const fmt4 = format('.4~r');
const prettyExp = (s: string) => s.replace('e+', 'e').replace('-', '−');

/** A number for a label: three significant digits (3e6, 1.5e−12 beyond 1e5 and below 1e−3); "—" for NaN, "∞"/"−∞" for infinities. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const a = Math.abs(v);
  return (a !== 0 && (a < 1e-3 || a >= 1e5) ? e3(v).replace('e+', 'e') : f3(v)).replace(/-/g, '−');
}

/** A linear axis's tick label: "−10" where d3's "~g" would print "−1e+1" (it keeps one digit for a step of 10). */
export const tickText = (v: { valueOf(): number }): string => fmt(+v);

/**
 * Tick labels of the line charts and their reference lines' values: plain for ordinary magnitudes,
 * 1e−5 style beyond, with as many digits as the value has up to three (a clip threshold of 1.5e4
 * read "2e4" when one digit was kept).
 */
export function fmtTick(d: number): string {
  const a = Math.abs(d);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return prettyExp(fmtTickExp(d));
  return fmtG(d).replace('-', '−');
}

/** A readout: four significant digits, exponent notation for very large or small numbers. */
export function fmtValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? prettyExp(e3(v)) : fmt4(v).replace('-', '−');
}

/** Like fmtValue, but what Number() and parseFloat() read back: ASCII minus, "Infinity". For
 *  readouts that tests and scripts parse. */
export function fmtPlain(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return fmtValue(v).replace(/−/g, '-');
}

/** A power of ten from its exponent: 1, 10, 0.1, then 1e−40 (a true minus sign). */
export function powerOfTen(e: number): string {
  if (e === 0) return '1';
  if (e === 1) return '10';
  if (e === -1) return '0.1';
  return `1e${e < 0 ? '−' : ''}${Math.abs(e)}`;
}

/** Tick labels for a log axis: only powers of ten when the domain spans a decade or more. */
export function logTickFormat([lo, hi]: [number, number]): (v: { valueOf(): number }) => string {
  const decades = Math.log10(hi / lo);
  return (v) => {
    const x = +v;
    const p = Math.log10(x);
    return decades < 1.2 || Math.abs(p - Math.round(p)) < 1e-9 ? fmt(x) : '';
  };
}

/** A count with thousands separators: 12,345. */
export const fmtCount = format(',');

/** A rate: three significant digits, no trailing zeros. */
export const fmtRate = format('.3~r');

/** A fixed number of decimals (a setting's value beside its slider: 0.7, 1.000). */
export const fmtFixed = (v: number, digits: number): string => v.toFixed(digits);
