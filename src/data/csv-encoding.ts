import type { Dataset, Task } from './dataset.js';
import { DataError } from './errors.js';
import { type CsvTable, headerList } from './csv-table.js';
import type { DateFormat, DecimalSeparator } from './csv-values.js';
import { quoteName } from './csv-values.js';

/** What to do with missing cells (empty, `NA`, `N/A`, `null`, `?`). */
export type MissingPolicy = 'error' | 'drop' | 'mean' | 'zero';

/** A numeric feature column; `fill` replaces missing cells (the training mean, or 0). */
export interface NumericColumnEncoding {
  /** The column's header name. */
  name: string;
  /** Marks a numeric column. */
  kind: 'numeric';
  /** Value for missing cells: the training rows' mean under `missing: 'mean'`, else 0. */
  fill: number;
}

/**
 * A categorical feature column, one-hot encoded: one 0/1 feature per category, in the order of
 * `categories`. `fill` replaces missing cells: the most frequent category, or null for all zeros.
 */
export interface CategoricalColumnEncoding {
  /** The column's header name. */
  name: string;
  /** Marks a one-hot encoded column. */
  kind: 'categorical';
  /** The values seen in the training file, sorted; one feature each, in this order. */
  categories: string[];
  /** Category for missing cells: the most frequent one under `missing: 'mean'`, else null (all zeros). */
  fill: string | null;
}

/**
 * A date or time column as one numeric feature: days since 1970-01-01 UTC (the time of day as a
 * fraction) for dates, hours since midnight for times of day. `fill` replaces missing cells.
 */
export interface DateColumnEncoding {
  /** The column's header name. */
  name: string;
  /** Marks a date or time column. */
  kind: 'date';
  /** How the dates are written: year first, day first, month first, or a time of day. */
  format: DateFormat;
  /** Value for missing cells: the training rows' mean under `missing: 'mean'`, else 0. */
  fill: number;
}

/** How one feature column is encoded; `kind` tells which. */
export type CsvColumnEncoding = NumericColumnEncoding | CategoricalColumnEncoding | DateColumnEncoding;

/**
 * Why a column is not a feature: left out on request (`drop`), not among the `features` asked
 * for, or left out by type detection — ID-like, free text, or without any value.
 */
export type LeftOutReason = 'dropped' | 'not-selected' | 'id' | 'text' | 'empty';

/** A column of the training file that is not a feature, and why. */
export interface LeftOutColumn {
  /** The column's header name. */
  name: string;
  /** Why it was left out. */
  reason: LeftOutReason;
}

/**
 * How a CSV's columns became features and targets (plain JSON, saved with the model): apply it to
 * new files with `encodeCsv` so that predictions see the same columns, categories and fills.
 */
export interface CsvEncoding {
  /** Marks the object as a downhill CSV encoding. */
  format: 'downhill-csv-encoding';
  /** Version of this layout: 2 adds `decimal`, `leftOut` and date columns (1 is read too). */
  version: 1 | 2;
  /** The target column's name. */
  target: string;
  /** Whether the target was read as regression values or class labels. */
  task: Task;
  /** Classification: label i ↔ `classNames[i]` (the target's values, sorted). Empty for regression. */
  classNames: string[];
  /** The feature columns, in feature order. */
  columns: CsvColumnEncoding[];
  /** Names of the encoded features: a numeric column's name, or `column=category` for one-hot ones. */
  featureNames: string[];
  /** The missing-cell policy the file was parsed with; new files are encoded with it too. */
  missing: MissingPolicy;
  /** The decimal separator of the training file's numbers (absent: `.`); new files are read with it too. */
  decimal?: DecimalSeparator;
  /** The training file's columns that are not features (neither is the target). */
  leftOut?: LeftOutColumn[];
}

/**
 * The CSV encoding of a dataset that did not come from a CSV file (bundled or generated): one
 * numeric column per feature name, and the target column `label` (classification) or the
 * dataset's first target name (regression, default `y`). Saved with a model, it lets `encodeCsv`
 * (and the CLI's `predict` and `eval`) read new rows for it from a CSV with those headers.
 *
 * @example
 * datasetCsvEncoding(twoMoons({ n: 200 })).columns.map((c) => c.name);   // ['x1', 'x2']
 */
export function datasetCsvEncoding(dataset: Dataset): CsvEncoding {
  const classification = dataset.task === 'classification';
  return {
    format: 'downhill-csv-encoding',
    version: 2,
    target: classification ? 'label' : dataset.targetNames[0] ?? 'y',
    task: dataset.task,
    classNames: classification ? [...dataset.classNames] : [],
    columns: dataset.featureNames.map((name) => ({ name, kind: 'numeric', fill: 0 })),
    featureNames: [...dataset.featureNames],
    missing: 'error',
    decimal: '.',
    leftOut: [],
  };
}

/** Column index by name, or a DataError on the header line listing the available columns. */
export function columnIndex(table: CsvTable, name: string, role: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) throw new DataError(table.file, table.headerLine, 1, `unknown ${role} column ${quoteName(name)}; available columns: ${headerList(table.header)}`);
  return j;
}
