import { ValueError } from '../util/errors.js';
import { type DecimalSeparator, parseNumber } from './csv-values.js';

/** Class labels from raw target values (strings as read from a file or records). */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when `text` (already trimmed) is a plain decimal number such as `3`, `-0.5` or `1e-3`. */
export function isNumberText(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * The key a raw class value is known by: numbers normalised (`1.0` and `1` are one class; `1,5` is
 * `1.5` in a file with decimal commas), text trimmed.
 */
export function classKey(value: string, decimal: DecimalSeparator = '.'): string {
  const t = value.trim();
  const v = parseNumber(t, decimal);
  return v !== null && Number.isFinite(v) ? String(v) : t;
}

/**
 * The distinct values of `values` in a stable order: numerically when all are numbers, else by
 * string comparison (so the numbering does not depend on row order).
 */
export function sortedClasses(values: Iterable<string>): string[] {
  const distinct = [...new Set(Array.from(values, (v) => classKey(v)))];
  if (distinct.every(isNumberText)) return distinct.sort((a, b) => Number(a) - Number(b));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Labels 0…k−1 for `values`: label i is `classNames[i]`. With `classNames` given, every value must
 * be one of them; otherwise the classes are the sorted distinct values.
 */
export function labelsFromValues(values: readonly string[], classNames: readonly string[] | undefined, op: string): { labels: Int32Array; classNames: string[] } {
  const names = classNames ? classNames.map((c) => classKey(c)) : sortedClasses(values);
  const index = new Map(names.map((name, i) => [name, i]));
  const labels = new Int32Array(values.length);
  values.forEach((v, i) => {
    const label = index.get(classKey(v));
    if (label === undefined) throw new ValueError(`${op}: value ${JSON.stringify(v)} at position ${i} is not one of the classes ${names.join(', ')}`);
    labels[i] = label;
  });
  return { labels, classNames: names };
}
