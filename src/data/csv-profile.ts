import { type CsvTable, cellKind } from './csv-table.js';
import { type DateFormat, type DecimalSeparator, detectDateFormat, parseNumber } from './csv-values.js';

/**
 * What a column's values look like:
 * - `'numeric'`: mostly numbers;
 * - `'date'`: every value a date or date and time (`2021-03-04`, `04.03.2021 10:30`), `'time'`: a time of day (`10:30`);
 * - `'categorical'`: mostly other text, a few values each shared by many rows;
 * - `'id'`: ID-like — most rows hold a value no other row has (text), or distinct integers that
 *   count up, cover a range without gaps, or sit in a column named like an ID;
 * - `'text'`: free text (on average 4 words or more, or 40 characters or more, mostly distinct);
 * - `'empty'`: every cell missing.
 */
export type ColumnType = 'numeric' | 'categorical' | 'date' | 'time' | 'id' | 'text' | 'empty';

/** Statistics of one column over the file's data rows, and its inferred {@link ColumnType}. */
export interface ColumnProfile {
  /** The column's header name. */
  name: string;
  /** 1-based column (field) number. */
  column: number;
  /** The inferred type. */
  type: ColumnType;
  /** For `'date'` and `'time'` columns: how the values are written. */
  dateFormat?: DateFormat;
  /** Cells read as missing (empty, `NA`, `N/A`, `null`, `?`). */
  missing: number;
  /** Cells with a value (not missing). */
  values: number;
  /** Cells holding a number (with the file's decimal separator). */
  numbers: number;
  /** Distinct values among the other cells. */
  distinct: number;
  /** Rows whose value occurs in no other row. */
  unique: number;
  /** Up to three distinct values, in file order. */
  examples: string[];
}

/** Columns with at least this many values can be found ID-like. */
export const ID_MIN_VALUES = 20;
/** Categorical columns with more distinct values than this are reported as high-cardinality. */
export const HIGH_CARDINALITY = 50;

const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key|index)$|^(id|row|index|rownum|row_?number)($|[_\s.-])/i;
const CAMEL_ID = /[a-z](Id|ID)$/;

/** Profiles column `j` of `table` (numbers read with `decimal`). */
export function profileColumn(table: CsvTable, j: number, decimal: DecimalSeparator): ColumnProfile {
  const name = table.header[j];
  const counts = new Map<string, number>();
  const present: string[] = [];
  let missing = 0;
  let texts = 0;
  for (const row of table.rows) {
    const raw = row.fields[j];
    const kind = cellKind(raw, decimal);
    if (kind === 'missing') {
      missing++;
      continue;
    }
    const v = raw.trim();
    present.push(v);
    if (kind === 'text') texts++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let unique = 0;
  for (const c of counts.values()) if (c === 1) unique++;
  const examples = [...counts.keys()].slice(0, 3);
  const base = { name, column: j + 1, missing, values: present.length, numbers: present.length - texts, distinct: counts.size, unique, examples };
  if (present.length === 0) return { ...base, type: 'empty' };
  if (texts * 2 <= present.length) return { ...base, type: numericIsId(name, present, counts.size, decimal) ? 'id' : 'numeric' };
  const dateFormat = detectDateFormat(present);
  if (dateFormat) return { ...base, type: dateFormat === 'time' ? 'time' : 'date', dateFormat };
  const distinctShare = counts.size / present.length;
  const words = present.reduce((s, v) => s + v.split(/\s+/).length, 0) / present.length;
  const length = present.reduce((s, v) => s + v.length, 0) / present.length;
  if (distinctShare > 0.5 && (words >= 4 || length >= 40)) return { ...base, type: 'text' };
  if (present.length >= ID_MIN_VALUES && unique * 2 >= present.length) return { ...base, type: 'id' };
  return { ...base, type: 'categorical' };
}

/**
 * A numeric column is ID-like when its (at least {@link ID_MIN_VALUES}) values are distinct integers
 * that count up the file, or fill a range without gaps, or sit in a column named like an ID.
 * Distinct real numbers (measurements) never are.
 */
function numericIsId(name: string, values: readonly string[], distinct: number, decimal: DecimalSeparator): boolean {
  if (values.length < ID_MIN_VALUES || distinct !== values.length) return false;
  const numbers = values.map((v) => parseNumber(v, decimal));
  if (!numbers.every((v) => v !== null && Number.isInteger(v))) return false;
  const ints = numbers as number[];
  let increasing = true;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ints.length; i++) {
    if (i > 0 && ints[i] <= ints[i - 1]) increasing = false;
    lo = Math.min(lo, ints[i]);
    hi = Math.max(hi, ints[i]);
  }
  return increasing || hi - lo + 1 === ints.length || ID_NAME.test(name) || CAMEL_ID.test(name);
}
