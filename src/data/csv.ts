import { ValueError } from '../util/errors.js';
import { requireOneOf } from '../util/validate.js';
import type { Dataset, Task } from './dataset.js';
import { type CsvEncoding, type MissingPolicy } from './csv-encoding.js';
import { type EncodedCsv, type UnseenCategories, encodeTable } from './csv-encode.js';
import { type ColumnReport, inferEncoding } from './csv-infer.js';
import { type CsvTable, readCsvTable } from './csv-table.js';
import { type DecimalSeparator, detectDecimal } from './csv-values.js';

/** Options of {@link parseCsv} and {@link inspectCsv}. */
export interface CsvOptions {
  /** Name used in error messages (`houses.csv:7:3: …`); default `<input>`. */
  fileName?: string;
  /** The target column's name (required). */
  target: string;
  /**
   * `'auto'` (default): classification when the target's values are mostly non-numeric, or all
   * integers with at most 20 distinct values (and at least 2 rows per value on average);
   * regression otherwise. Or force `'regression'` / `'classification'`.
   */
  task?: 'auto' | Task;
  /**
   * Missing cells (empty, `NA`, `N/A`, `null`, `?`): `'error'` (default) reports the first; `'drop'`
   * drops the rows having any; `'mean'` fills numeric and date columns with their mean and
   * categorical ones with their most frequent category; `'zero'` fills 0 (categorical: all-zero
   * one-hot). Rows without a target are dropped under every policy but `'error'`.
   */
  missing?: MissingPolicy;
  /**
   * Feature columns to use, in order (default: every column but the target, less those left out
   * by type detection). Listed columns are kept whatever their type.
   */
  features?: readonly string[];
  /** Columns to leave out. */
  drop?: readonly string[];
  /** Columns to one-hot encode whatever their values (e.g. numeric codes, or an ID-like column). */
  categorical?: readonly string[];
  /** Columns to read as numbers whatever type detection says (a non-number in one is an error). */
  numeric?: readonly string[];
  /** Field delimiter (default: detected: comma, semicolon, tab, …). */
  delimiter?: string;
  /**
   * Decimal separator: `'auto'` (default) reads `3,14` as a number in `;`-separated files whose
   * numbers mostly have decimal commas; or force `'.'` or `','`.
   */
  decimal?: 'auto' | DecimalSeparator;
  /**
   * File lines of the rows that fit the statistics — fills for missing cells and one-hot
   * categories — e.g. the training split's, so held-out rows do not shape them (default: every
   * row with a target). Categories met only elsewhere encode as all zeros.
   */
  fitLines?: readonly number[];
}

/** What {@link inspectCsv} finds in a file, without encoding it. */
export interface CsvInspection {
  /** Data rows (the header not counted). */
  rows: number;
  /** The field delimiter, given or detected. */
  delimiter: string;
  /** The decimal separator, given or detected. */
  decimal: DecimalSeparator;
  /** The encoding training would use. */
  encoding: CsvEncoding;
  /** Every column in header order: its profile and what training does with it. */
  columns: ColumnReport[];
  /**
   * Warnings for people: columns left out as ID-like, as free text or for having no value, and
   * high-cardinality categorical columns.
   */
  warnings: string[];
}

/** A parsed CSV: the dataset, the encoding to reuse for new files, and which file lines were dropped. */
export interface CsvData extends CsvInspection {
  /** The encoded rows: features `[n, encoding.featureNames.length]` and the target column. */
  dataset: Dataset;
  /** The file line of each dataset row. */
  lines: number[];
  /** Lines of rows dropped for missing values (`missing: 'drop'`, or a missing target). */
  droppedLines: number[];
  /** Categories of rows outside `fitLines` that the fitted rows lack (encoded as all zeros). */
  unseen: UnseenCategories[];
}

export type { EncodedCsv, UnseenCategories, TargetMode } from './csv-encode.js';

function readTable(text: string, options: CsvOptions): { table: CsvTable; inspection: CsvInspection } {
  if (typeof options?.target !== 'string' || options.target === '') throw new ValueError('parseCsv: options.target must name the target column');
  const task = requireOneOf('parseCsv task', options.task ?? 'auto', ['auto', 'regression', 'classification'] as const);
  const missing = requireOneOf('parseCsv missing', options.missing ?? 'error', ['error', 'drop', 'mean', 'zero'] as const);
  const decimalOption = requireOneOf('parseCsv decimal', options.decimal ?? 'auto', ['auto', '.', ','] as const);
  const table = readCsvTable(text, options.fileName ?? '<input>', options.delimiter);
  const decimal = decimalOption === 'auto' ? detectDecimal(table.delimiter, table.rows.flatMap((r) => r.fields)) : decimalOption;
  const inferred = inferEncoding(table, {
    target: options.target, task, missing, decimal, features: options.features, drop: options.drop,
    categorical: options.categorical, numeric: options.numeric, fitLines: options.fitLines,
  });
  return { table, inspection: { rows: table.rows.length, delimiter: table.delimiter, decimal, ...inferred } };
}

/**
 * Profiles every column of CSV text and decides what training would do with it, without encoding
 * the rows (so a bad cell is not an error here). See {@link parseCsv} for the rules.
 *
 * @example
 * inspectCsv(text, { target: 'label' }).columns.map((c) => [c.name, c.type, c.use.as]);
 * // [['id', 'id', 'left out'], ['date', 'date', 'date'], ['temp', 'numeric', 'numeric'], ['label', 'categorical', 'target']]
 */
export function inspectCsv(text: string, options: CsvOptions): CsvInspection {
  return readTable(text, options).inspection;
}

/**
 * Parses CSV text with a header row into a {@link Dataset}. Column types are detected from the
 * values (see `ColumnType`): numeric columns become features as they are; dates and times one
 * numeric feature each (days since 1970-01-01, or hours since midnight); categorical columns
 * (mostly non-numeric values, or listed in `categorical`) are one-hot encoded with sorted
 * categories. ID-like columns, free text and columns without values are left out with a warning
 * unless `features`, `categorical` or `numeric` name them. The encoding is returned for
 * `encodeCsv`.
 *
 * Errors are {@link DataError}s located as `file:line:column` (1-based, header on line 1, column =
 * field number): an empty or binary file, a header without rows, a row with the wrong number of
 * fields, a non-numeric, non-finite (NaN, Inf) or beyond-float32 (1e39) value in a numeric column,
 * an unknown column name in the options (the message lists the available ones), a missing value
 * under `missing: 'error'`.
 *
 * @example
 * const { dataset, encoding, warnings } = parseCsv(text, { fileName: 'houses.csv', target: 'price' });
 */
export function parseCsv(text: string, options: CsvOptions): CsvData {
  const { table, inspection } = readTable(text, options);
  const encoded = encodeTable(table, inspection.encoding, 'require', inspection.decimal);
  return { ...inspection, warnings: [...inspection.warnings, ...encoded.warnings], dataset: encoded.dataset!, lines: encoded.lines, droppedLines: encoded.droppedLines, unseen: encoded.unseen };
}

/**
 * Encodes a new CSV (e.g. inputs for prediction) exactly as the training file was: same feature
 * columns (extra columns are ignored, missing ones are an error), same one-hot categories, same
 * fills, same decimal separator (unless `decimal` says otherwise). A category the training rows
 * did not have encodes as all zeros in that column's features and is reported in `unseen` and
 * `warnings`. The target column is optional (absent or left entirely empty: `y` and `dataset` are
 * null); with `target: 'ignore'` it is never read, so placeholders in it are no error.
 */
export function encodeCsv(
  text: string, encoding: CsvEncoding, options: { fileName?: string; delimiter?: string; decimal?: DecimalSeparator; target?: 'optional' | 'ignore' } = {},
): EncodedCsv {
  if (encoding?.format !== 'downhill-csv-encoding') throw new ValueError("encodeCsv: expected an encoding returned by parseCsv (format 'downhill-csv-encoding')");
  const table = readCsvTable(text, options.fileName ?? '<input>', options.delimiter);
  const decimal = requireOneOf('encodeCsv decimal', options.decimal ?? encoding.decimal ?? '.', ['.', ','] as const);
  return encodeTable(table, encoding, requireOneOf('encodeCsv target', options.target ?? 'optional', ['optional', 'ignore'] as const), decimal);
}
