import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { requireOneOf } from '../util/validate.js';
import { Dataset, type Task } from './dataset.js';
import { DataError } from './errors.js';
import { type CsvEncoding, type MissingPolicy, columnIndex, inferEncoding } from './csv-encoding.js';
import { type CsvTable, cellError, cellKind, columnLabel, readCsvTable } from './csv-table.js';
import { classKey } from './labels.js';

/** Options of {@link parseCsv}. */
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
   * drops the rows having any; `'mean'` fills numeric columns with their mean and categorical ones
   * with their most frequent category; `'zero'` fills 0 (categorical: all-zero one-hot). Rows
   * without a target are dropped under every policy but `'error'`.
   */
  missing?: MissingPolicy;
  /** Feature columns to use, in order (default: every column but the target). */
  features?: readonly string[];
  /** Columns to one-hot encode even though their values are numbers (e.g. codes). */
  categorical?: readonly string[];
  /** Field delimiter (default: detected: comma, semicolon, tab, …). */
  delimiter?: string;
}

/** A parsed CSV: the dataset, the encoding to reuse for new files, and which file lines were dropped. */
export interface CsvData {
  /** The encoded rows: features `[n, encoding.featureNames.length]` and the target column. */
  dataset: Dataset;
  /** How the columns were encoded; pass it to `encodeCsv` for new files. */
  encoding: CsvEncoding;
  /** Lines of rows dropped for missing values (`missing: 'drop'`, or a missing target). */
  droppedLines: number[];
}

/** New rows encoded with a saved {@link CsvEncoding}. */
export interface EncodedCsv {
  /** Features, float32 `[n, encoding.featureNames.length]`. */
  x: Tensor;
  /** Targets when the file has the target column, else null. */
  y: Tensor | null;
  /** The dataset, when the file has the target column, else null. */
  dataset: Dataset | null;
  /** The file line of each encoded row (row i of `x` came from line `lines[i]`). */
  lines: number[];
  /** Lines of rows dropped for missing values (`missing: 'drop'`, or a missing target). */
  droppedLines: number[];
}

/**
 * Parses CSV text with a header row into a {@link Dataset}. Numeric columns become features as
 * they are; categorical columns (mostly non-numeric values, or listed in `categorical`) are one-hot
 * encoded with sorted categories. The encoding is returned for `encodeCsv`.
 *
 * Errors are {@link DataError}s located as `file:line:column` (1-based, header on line 1, column =
 * field number): an empty file, a header without rows, a row with the wrong number of fields, a
 * non-numeric or non-finite (NaN, Inf) value in a numeric column, an unknown target or feature
 * column (the message lists the available ones), a missing value under `missing: 'error'`.
 *
 * @example
 * const { dataset, encoding } = parseCsv(text, { fileName: 'houses.csv', target: 'price' });
 */
export function parseCsv(text: string, options: CsvOptions): CsvData {
  if (typeof options?.target !== 'string' || options.target === '') throw new ValueError('parseCsv: options.target must name the target column');
  const task = requireOneOf('parseCsv task', options.task ?? 'auto', ['auto', 'regression', 'classification'] as const);
  const missing = requireOneOf('parseCsv missing', options.missing ?? 'error', ['error', 'drop', 'mean', 'zero'] as const);
  const table = readCsvTable(text, options.fileName ?? '<input>', options.delimiter);
  const encoding = inferEncoding(table, { target: options.target, task, missing, features: options.features, categorical: options.categorical });
  const encoded = encodeTable(table, encoding, true);
  return { dataset: encoded.dataset!, encoding, droppedLines: encoded.droppedLines };
}

/**
 * Encodes a new CSV (e.g. inputs for prediction) exactly as the training file was: same feature
 * columns (extra columns are ignored, missing ones are an error), same one-hot categories (an
 * unseen category is an error), same fills. The target column is optional here (absent or left
 * entirely empty: `y` and `dataset` are null).
 */
export function encodeCsv(text: string, encoding: CsvEncoding, options: { fileName?: string; delimiter?: string } = {}): EncodedCsv {
  if (encoding?.format !== 'downhill-csv-encoding') throw new ValueError("encodeCsv: expected an encoding returned by parseCsv (format 'downhill-csv-encoding')");
  const table = readCsvTable(text, options.fileName ?? '<input>', options.delimiter);
  return encodeTable(table, encoding, false);
}

function encodeTable(table: CsvTable, encoding: CsvEncoding, requireTarget: boolean): EncodedCsv {
  const targetColumn = requireTarget ? columnIndex(table, encoding.target, 'target') : table.header.indexOf(encoding.target);
  // For prediction inputs, a target column left entirely empty counts as absent.
  const hasTarget = targetColumn >= 0 && (requireTarget || table.rows.some((row) => cellKind(row.fields[targetColumn]) !== 'missing'));
  const columns = encoding.columns.map((c) => ({ enc: c, j: columnIndex(table, c.name, 'feature') }));
  const d = encoding.featureNames.length;
  const classIndex = new Map(encoding.classNames.map((name, i) => [name, i]));
  // Sized for every row; rows dropped for missing values leave unused space, cut off below.
  const xs = new Float32Array(table.rows.length * d);
  const ys = new Float64Array(table.rows.length);
  const lines: number[] = [];
  const droppedLines: number[] = [];

  for (const row of table.rows) {
    const missingAt = (j: number): boolean => cellKind(row.fields[j]) === 'missing';
    if (hasTarget && missingAt(targetColumn)) {
      if (encoding.missing === 'error') throw cellError(table, row, targetColumn, `missing target value in ${columnLabel(table, targetColumn)} (use missing: 'drop' to drop such rows)`);
      droppedLines.push(row.line);
      continue;
    }
    const firstMissing = columns.find(({ j }) => missingAt(j));
    if (firstMissing && encoding.missing === 'error') {
      throw cellError(table, row, firstMissing.j, `missing value in ${columnLabel(table, firstMissing.j)} (use missing: 'drop', 'mean' or 'zero' to handle missing values)`);
    }
    if (firstMissing && encoding.missing === 'drop') {
      droppedLines.push(row.line);
      continue;
    }
    let at = lines.length * d;
    for (const { enc, j } of columns) {
      const text = row.fields[j].trim();
      const kind = cellKind(text);
      if (enc.kind === 'numeric') {
        if (kind === 'nonfinite') throw cellError(table, row, j, `${columnLabel(table, j)} has the non-finite value ${JSON.stringify(text)}; values must be finite numbers (leave a cell empty to mark it missing)`);
        if (kind === 'text') throw cellError(table, row, j, `${columnLabel(table, j)} is numeric but has the non-numeric value ${JSON.stringify(text)}`);
        xs[at++] = kind === 'missing' ? enc.fill : Number(text);
      } else {
        const value = kind === 'missing' ? enc.fill : text;
        const c = value === null ? -1 : enc.categories.indexOf(value);
        if (value !== null && c < 0) throw cellError(table, row, j, `${columnLabel(table, j)} has the unknown category ${JSON.stringify(text)}; known: ${enc.categories.join(', ')}`);
        if (c >= 0) xs[at + c] = 1;
        at += enc.categories.length;
      }
    }
    if (hasTarget) ys[lines.length] = targetValue(table, row, targetColumn, encoding, classIndex);
    lines.push(row.line);
  }

  const n = lines.length;
  if (n === 0) throw new DataError(table.file, table.headerLine + 1, 1, `no rows left after dropping ${droppedLines.length} with missing values`);
  const x = tensor(xs.subarray(0, n * d), { shape: [n, d] });
  if (!hasTarget) return { x, y: null, dataset: null, lines, droppedLines };
  const classification = encoding.task === 'classification';
  const y = classification ? tensor(Int32Array.from(ys.subarray(0, n)), { shape: [n] }) : tensor(Float32Array.from(ys.subarray(0, n)), { shape: [n, 1] });
  const dataset = new Dataset(x, y, {
    task: encoding.task,
    featureNames: encoding.featureNames,
    classNames: classification ? encoding.classNames : undefined,
    targetNames: classification ? undefined : [encoding.target],
    name: table.file,
  });
  return { x, y, dataset, lines, droppedLines };
}

function targetValue(table: CsvTable, row: CsvTable['rows'][number], j: number, encoding: CsvEncoding, classIndex: Map<string, number>): number {
  const text = row.fields[j].trim();
  if (encoding.task === 'classification') {
    const label = classIndex.get(classKey(text));
    if (label === undefined) throw cellError(table, row, j, `the target ${columnLabel(table, j)} has the unknown class ${JSON.stringify(text)}; known: ${encoding.classNames.join(', ')}`);
    return label;
  }
  const kind = cellKind(text);
  if (kind !== 'number') {
    const problem = kind === 'nonfinite' ? 'has the non-finite value' : 'is numeric but has the non-numeric value';
    throw cellError(table, row, j, `the target ${columnLabel(table, j)} ${problem} ${JSON.stringify(text)}`);
  }
  return Number(text);
}
