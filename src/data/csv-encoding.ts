import type { Dataset, Task } from './dataset.js';
import { DataError } from './errors.js';
import { type CsvTable, cellError, cellKind, columnLabel } from './csv-table.js';
import { classKey, sortedClasses } from './labels.js';

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

/** How one feature column is encoded; `kind` tells which. */
export type CsvColumnEncoding = NumericColumnEncoding | CategoricalColumnEncoding;

/**
 * How a CSV's columns became features and targets (plain JSON, saved with the model): apply it to
 * new files with `encodeCsv` so that predictions see the same columns, categories and fills.
 */
export interface CsvEncoding {
  /** Marks the object as a downhill CSV encoding. */
  format: 'downhill-csv-encoding';
  /** Version of this layout. */
  version: 1;
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
    version: 1,
    target: classification ? 'label' : dataset.targetNames[0] ?? 'y',
    task: dataset.task,
    classNames: classification ? [...dataset.classNames] : [],
    columns: dataset.featureNames.map((name) => ({ name, kind: 'numeric', fill: 0 })),
    featureNames: [...dataset.featureNames],
    missing: 'error',
  };
}

/** Options of inference, as given to `parseCsv`. */
export interface InferOptions {
  target: string;
  task: 'auto' | Task;
  missing: MissingPolicy;
  features?: readonly string[];
  categorical?: readonly string[];
}

/**
 * Targets read as class labels under `task: 'auto'`: non-numeric values, or integer values with at
 * most this many distinct ones (and on average at least two rows per value).
 */
export const AUTO_CLASSIFICATION_MAX_CLASSES = 20;

/** Column index by name, or a DataError on the header line listing the available columns. */
export function columnIndex(table: CsvTable, name: string, role: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) throw new DataError(table.file, table.headerLine, 1, `unknown ${role} column '${name}'; available columns: ${table.header.join(', ')}`);
  return j;
}

/** Infers a {@link CsvEncoding} from a table read with a header (see `parseCsv` for the rules). */
export function inferEncoding(table: CsvTable, options: InferOptions): CsvEncoding {
  const targetColumn = columnIndex(table, options.target, 'target');
  const featureColumns = (options.features ?? table.header.filter((h) => h !== options.target)).map((name) => {
    if (name === options.target) throw new DataError(table.file, table.headerLine, targetColumn + 1, `column '${name}' cannot be both the target and a feature`);
    return columnIndex(table, name, 'feature');
  });
  if (featureColumns.length === 0) throw new DataError(table.file, table.headerLine, 1, `no feature columns: the file has only the target column '${options.target}'`);
  for (const name of options.categorical ?? []) columnIndex(table, name, 'categorical');

  // Rows whose target is missing are dropped (or an error); they do not count for the statistics.
  const rows = table.rows.filter((row) => cellKind(row.fields[targetColumn]) !== 'missing');
  const { task, classNames } = inferTarget(table, targetColumn, rows, options.task);
  const columns = featureColumns.map((j) => inferColumn(table, j, rows, options));
  const featureNames = columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.categories.map((cat) => `${c.name}=${cat}`)));
  return { format: 'downhill-csv-encoding', version: 1, target: options.target, task, classNames, columns, featureNames, missing: options.missing };
}

function inferTarget(table: CsvTable, j: number, rows: CsvTable['rows'], requested: 'auto' | Task): { task: Task; classNames: string[] } {
  if (rows.length === 0) throw new DataError(table.file, table.headerLine + 1, j + 1, `the target ${columnLabel(table, j)} has no values`);
  const kinds = rows.map((row) => cellKind(row.fields[j]));
  const texts = kinds.filter((k) => k === 'text').length;
  const values = rows.map((row) => row.fields[j].trim());
  const numericTask = (): Task => {
    const bad = kinds.findIndex((k) => k !== 'number');
    if (bad >= 0) {
      const problem = kinds[bad] === 'nonfinite' ? 'has the non-finite value' : 'is numeric but has the non-numeric value';
      throw cellError(table, rows[bad], j, `the target ${columnLabel(table, j)} ${problem} ${JSON.stringify(values[bad])}`);
    }
    if (requested === 'regression') return 'regression';
    const distinct = new Set(values.map(Number));
    const integers = [...distinct].every(Number.isInteger);
    return integers && distinct.size <= AUTO_CLASSIFICATION_MAX_CLASSES && distinct.size <= Math.max(2, rows.length / 2) ? 'classification' : 'regression';
  };
  let task: Task;
  if (requested === 'classification') task = 'classification';
  else if (requested === 'auto' && texts * 2 > rows.length) task = 'classification';
  else task = numericTask();
  if (task === 'regression') return { task, classNames: [] };
  const bad = kinds.findIndex((k) => k === 'nonfinite');
  if (bad >= 0 && requested !== 'classification') throw cellError(table, rows[bad], j, `the target ${columnLabel(table, j)} has the non-finite value ${JSON.stringify(values[bad])}`);
  return { task, classNames: sortedClasses(values.map(classKey)) };
}

function inferColumn(table: CsvTable, j: number, rows: CsvTable['rows'], options: InferOptions): CsvColumnEncoding {
  const name = table.header[j];
  const present = rows.filter((row) => cellKind(row.fields[j]) !== 'missing');
  if (present.length === 0) throw new DataError(table.file, table.headerLine + 1, j + 1, `${columnLabel(table, j)} has no values (every cell is missing)`);
  const texts = present.filter((row) => cellKind(row.fields[j]) === 'text').length;
  if (options.categorical?.includes(name) || texts * 2 > present.length) {
    const counts = new Map<string, number>();
    for (const row of present) {
      const v = row.fields[j].trim();
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const categories = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let mode = categories[0];
    for (const c of categories) if (counts.get(c)! > counts.get(mode)!) mode = c;
    return { name, kind: 'categorical', categories, fill: options.missing === 'mean' ? mode : null };
  }
  let sum = 0;
  for (const row of present) {
    const text = row.fields[j].trim();
    const kind = cellKind(text);
    if (kind === 'nonfinite') throw cellError(table, row, j, `${columnLabel(table, j)} has the non-finite value ${JSON.stringify(text)}; values must be finite numbers (leave a cell empty to mark it missing)`);
    if (kind === 'text') throw cellError(table, row, j, `${columnLabel(table, j)} is numeric but has the non-numeric value ${JSON.stringify(text)}`);
    sum += Number(text);
  }
  return { name, kind: 'numeric', fill: options.missing === 'mean' ? sum / present.length : 0 };
}
