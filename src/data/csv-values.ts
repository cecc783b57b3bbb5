/**
 * Reading one CSV cell: numbers (with a `.` or `,` decimal separator), dates and times, and how
 * values are shown in messages (control bytes escaped, long texts and lists cut).
 */

/** The decimal separator of a file's numbers. */
export type DecimalSeparator = '.' | ',';

/** The largest finite float32, 3.4028234663852886e38: features and targets are stored as float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const DOT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$/;
/** A number written with a decimal comma and digits after it (`3,14`), as counted for detection. */
const COMMA_DECIMAL = /^[+-]?\d*,\d+$/;
const DOT_DECIMAL = /^[+-]?\d*\.\d+$/;

/** The value of a (trimmed) number text with the given decimal separator, or null if it is not one. */
export function parseNumber(text: string, decimal: DecimalSeparator = '.'): number | null {
  if (decimal === ',') return COMMA_NUMBER.test(text) ? Number(text.replace(',', '.')) : null;
  return DOT_NUMBER.test(text) ? Number(text) : null;
}

/**
 * Whether `value` fits float32: finite with |value| ≤ {@link FLOAT32_MAX}. Larger numbers (1e39,
 * 1e308) would become ±Infinity when stored.
 */
export function fitsFloat32(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= FLOAT32_MAX;
}

/**
 * The decimal separator of a file: `,` when its fields are separated by `;` and more of its cells
 * read as comma decimals (`3,14`) than as dot decimals (`3.14`); `.` otherwise.
 */
export function detectDecimal(delimiter: string, cells: Iterable<string>): DecimalSeparator {
  if (delimiter !== ';') return '.';
  let comma = 0;
  let dot = 0;
  for (const raw of cells) {
    const t = raw.trim();
    if (COMMA_DECIMAL.test(t)) comma++;
    else if (DOT_DECIMAL.test(t)) dot++;
  }
  return comma > dot ? ',' : '.';
}

/** How a column's dates are written: ISO order (year first), day first, month first, or a time of day. */
export type DateFormat = 'ymd' | 'dmy' | 'mdy' | 'time';

const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DMY_OR_MDY = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const DAY_MS = 86_400_000;

function daysSinceEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s >= 61) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi) + s * 1000 - offsetMinutes * 60_000;
  // Date.UTC rolls 31 April over to 1 May: check that the day exists.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function offsetOf(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * A date or time as a number: days since 1970-01-01 UTC (with the time of day as a fraction) for
 * dates, hours since midnight for times of day; null when `text` is not one in `format`.
 */
export function parseDate(text: string, format: DateFormat): number | null {
  if (format === 'time') {
    const m = TIME.exec(text);
    if (!m) return null;
    const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    return h > 23 || mi > 59 || s >= 61 ? null : h + mi / 60 + s / 3600;
  }
  if (format === 'ymd') {
    const m = YMD.exec(text);
    if (!m) return null;
    return daysSinceEpoch(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offsetOf(m[7]));
  }
  const m = DMY_OR_MDY.exec(text);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[3])];
  const [d, mo] = format === 'dmy' ? [a, b] : [b, a];
  return daysSinceEpoch(Number(m[4]), mo, d, Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0), 0);
}

/**
 * The date format every one of `values` is written in, or null. Day-first and month-first dates
 * (`03/04/2021`) are told apart by a first or second number above 12; when none is, `.` reads as
 * day first (European) and `/` as month first (American).
 */
export function detectDateFormat(values: readonly string[]): DateFormat | null {
  if (values.length === 0) return null;
  for (const format of ['ymd', 'time'] as const) if (values.every((v) => parseDate(v, format) !== null)) return format;
  if (!values.every((v) => DMY_OR_MDY.test(v))) return null;
  const dmy = values.every((v) => parseDate(v, 'dmy') !== null);
  const mdy = values.every((v) => parseDate(v, 'mdy') !== null);
  if (dmy && mdy) return DMY_OR_MDY.exec(values[0])![2] === '.' ? 'dmy' : 'mdy';
  return dmy ? 'dmy' : mdy ? 'mdy' : null;
}

// C0 and C1 control characters, DEL, and the invisible bidirectional and zero-width marks.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `text` with control characters written as escapes (`\u001b`), so a message never carries them raw. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value quoted for a message: `"text"`, escaped, and cut to `max` characters with `…`. */
export function quoteValue(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return printable(JSON.stringify(cut));
}

/** A column name for messages: `'name'`, escaped and cut like {@link quoteValue}. */
export function quoteName(name: string, max = 60): string {
  const cut = name.length > max ? `${name.slice(0, max - 1)}…` : name;
  return `'${printable(cut)}'`;
}

/** A list for a message, cut after `max` items with a count: `a, b, c, … (5,797 more)`. */
export function listSome(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … (${(items.length - max).toLocaleString('en-US')} more)`;
}
