import type { Task } from './dataset.js';
import { DataError } from './errors.js';
import { type CsvColumnEncoding, type CsvEncoding, type LeftOutReason, type MissingPolicy, columnIndex } from './csv-encoding.js';
import { type ColumnProfile, HIGH_CARDINALITY, profileColumn } from './csv-profile.js';
import { type CsvRow, type CsvTable, cellError, cellKind, columnLabel, nonfiniteValue } from './csv-table.js';
import { type DecimalSeparator, listSome, parseDate, parseNumber, quoteName, quoteValue } from './csv-values.js';
import { classKey, sortedClasses } from './labels.js';

/** Options of inference, as given to `parseCsv` (names checked against the header). */
export interface InferOptions {
  target: string;
  task: 'auto' | Task;
  missing: MissingPolicy;
  decimal: DecimalSeparator;
  features?: readonly string[];
  drop?: readonly string[];
  categorical?: readonly string[];
  numeric?: readonly string[];
  fitLines?: readonly number[];
}

/**
 * Targets read as class labels under `task: 'auto'`: non-numeric values, or integer values with at
 * most this many distinct ones (and on average at least two rows per value).
 */
export const AUTO_CLASSIFICATION_MAX_CLASSES = 20;

/** What training does with a column. */
export type ColumnUse =
  | { as: 'target'; task: Task; classes: number; classCounts?: number[] }
  | { as: 'numeric' }
  | { as: 'one-hot'; features: number }
  | { as: 'date'; unit: 'days since 1970-01-01' | 'hours since midnight' }
  | { as: 'left out'; reason: LeftOutReason };

/**
 * Something about a column worth a warning: left out as ID-like, as free text, or for having no
 * value; or one-hot encoded into more than {@link HIGH_CARDINALITY} features.
 */
export type ColumnWarning = 'id' | 'text' | 'empty' | 'high-cardinality';

/** A column's profile with what training does with it. */
export interface ColumnReport extends ColumnProfile {
  /** What training does with the column. */
  use: ColumnUse;
  /** Set when the column deserves a warning. */
  warning?: ColumnWarning;
}

/** What {@link inferEncoding} finds: the encoding, a report per column (header order), and warnings. */
export interface Inference {
  encoding: CsvEncoding;
  columns: ColumnReport[];
  warnings: string[];
}

/** Infers a {@link CsvEncoding} from a table read with a header (see `parseCsv` for the rules). */
export function inferEncoding(table: CsvTable, options: InferOptions): Inference {
  const targetColumn = columnIndex(table, options.target, 'target');
  const named = (names: readonly string[] | undefined, role: string): Set<number> => new Set((names ?? []).map((name) => {
    const j = columnIndex(table, name, role);
    if (j === targetColumn) throw new DataError(table.file, table.headerLine, j + 1, `column ${quoteName(name)} is the target; it cannot also be a ${role} column`);
    return j;
  }));
  const listed = named(options.features, 'feature');
  const dropped = named(options.drop, 'dropped');
  const categorical = named(options.categorical, 'categorical');
  const numeric = named(options.numeric, 'numeric');
  for (const j of categorical) if (numeric.has(j)) throw new DataError(table.file, table.headerLine, j + 1, `${columnLabel(table, j)} cannot be both categorical and numeric`);
  for (const j of listed) if (dropped.has(j)) throw new DataError(table.file, table.headerLine, j + 1, `${columnLabel(table, j)} cannot be both a feature and dropped`);

  // Rows whose target is missing are dropped (or an error); they do not count for the statistics.
  const rows = table.rows.filter((row) => cellKind(row.fields[targetColumn], options.decimal) !== 'missing');
  const fitLines = options.fitLines ? new Set(options.fitLines) : null;
  const fitRows = fitLines ? rows.filter((row) => fitLines.has(row.line)) : rows;
  const { task, classNames, classCounts } = inferTarget(table, targetColumn, rows, options);

  const reports: ColumnReport[] = [];
  const encoded = new Map<number, CsvColumnEncoding>();
  table.header.forEach((_, j) => {
    const profile = profileColumn(table, j, options.decimal);
    if (j === targetColumn) {
      reports.push({ ...profile, use: { as: 'target', task, classes: classNames.length, ...(classCounts ? { classCounts } : {}) } });
      return;
    }
    const asked = { listed: listed.has(j), categorical: categorical.has(j), numeric: numeric.has(j) };
    const kind = decide(profile, asked, dropped.has(j), options.features !== undefined);
    if (typeof kind === 'object') {
      const warning = kind.reason === 'id' || kind.reason === 'text' || kind.reason === 'empty' ? kind.reason : undefined;
      reports.push({ ...profile, use: { as: 'left out', reason: kind.reason }, ...(warning ? { warning } : {}) });
      return;
    }
    if (profile.type === 'empty') throw new DataError(table.file, table.headerLine + 1, j + 1, `${columnLabel(table, j)} has no values (every cell is missing)`);
    const enc = encodeColumn(table, j, kind, profile, fitRows, options);
    encoded.set(j, enc);
    if (enc.kind === 'categorical') {
      const high = enc.categories.length > HIGH_CARDINALITY;
      reports.push({ ...profile, use: { as: 'one-hot', features: enc.categories.length }, ...(high ? { warning: 'high-cardinality' as const } : {}) });
    } else if (enc.kind === 'date') {
      reports.push({ ...profile, use: { as: 'date', unit: enc.format === 'time' ? 'hours since midnight' : 'days since 1970-01-01' } });
    } else reports.push({ ...profile, use: { as: 'numeric' } });
  });

  const order = options.features ? options.features.map((name) => table.header.indexOf(name)) : [...encoded.keys()];
  const columns = order.map((j) => encoded.get(j)!);
  if (columns.length === 0) {
    const left = reports.filter((r) => r.use.as === 'left out').map((r) => r.name);
    throw new DataError(table.file, table.headerLine, 1,
      `no feature columns: the file has only the target column ${quoteName(options.target)}${left.length ? ` and columns left out (${listSome(left.map((n) => quoteName(n)))})` : ''}`,
      left.length ? { option: 'features', values: left, list: true, purpose: 'to use them' } : undefined);
  }
  const featureNames = columns.flatMap((c) => (c.kind === 'categorical' ? c.categories.map((cat) => `${c.name}=${cat}`) : [c.name]));
  const leftOut = reports.flatMap((r) => (r.use.as === 'left out' ? [{ name: r.name, reason: r.use.reason }] : []));
  const encoding: CsvEncoding = {
    format: 'downhill-csv-encoding', version: 2, target: options.target, task, classNames, columns, featureNames, missing: options.missing,
    decimal: options.decimal, leftOut,
  };
  return { encoding, columns: reports, warnings: reports.flatMap((r) => (r.warning ? [warningText(table, r)] : [])) };
}

/** The encoding kind of a feature column, or why it is left out. */
function decide(
  p: ColumnProfile, asked: { listed: boolean; categorical: boolean; numeric: boolean }, dropped: boolean, featuresGiven: boolean,
): 'numeric' | 'categorical' | 'date' | { reason: LeftOutReason } {
  if (dropped) return { reason: 'dropped' };
  if (featuresGiven && !asked.listed) return { reason: 'not-selected' };
  const explicit = asked.listed || asked.categorical || asked.numeric;
  if (asked.categorical) return 'categorical';
  if (asked.numeric) return p.type === 'date' || p.type === 'time' ? 'date' : 'numeric';
  switch (p.type) {
    case 'numeric': return 'numeric';
    case 'date': case 'time': return 'date';
    case 'categorical': return 'categorical';
    case 'empty': return explicit ? 'numeric' : { reason: 'empty' };
    case 'id': return explicit ? (p.numbers * 2 >= p.values ? 'numeric' : 'categorical') : { reason: 'id' };
    case 'text': return explicit ? 'categorical' : { reason: 'text' };
  }
}

function encodeColumn(
  table: CsvTable, j: number, kind: 'numeric' | 'categorical' | 'date', p: ColumnProfile, fitRows: readonly CsvRow[], options: InferOptions,
): CsvColumnEncoding {
  const name = table.header[j];
  const present = fitRows.filter((row) => cellKind(row.fields[j], options.decimal) !== 'missing').map((row) => row.fields[j].trim());
  if (kind === 'categorical') {
    const counts = new Map<string, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    const categories = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let mode = categories[0] ?? null;
    for (const c of categories) if (counts.get(c)! > counts.get(mode!)!) mode = c;
    return { name, kind: 'categorical', categories, fill: options.missing === 'mean' ? mode : null };
  }
  const mean = (values: ReadonlyArray<number | null>): number => {
    const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
    return options.missing === 'mean' && ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : 0;
  };
  if (kind === 'date') {
    const format = p.dateFormat ?? 'ymd';
    return { name, kind: 'date', format, fill: mean(present.map((v) => parseDate(v, format))) };
  }
  return { name, kind: 'numeric', fill: mean(present.map((v) => parseNumber(v, options.decimal))) };
}

/** The library's wording of a column warning (front ends phrase their own from the report). */
function warningText(table: CsvTable, r: ColumnReport): string {
  const label = columnLabel(table, r.column - 1);
  const present = table.rows.length - r.missing;
  switch (r.warning) {
    case 'id': return `${label} looks like an ID (${r.unique} of ${present} rows hold a value no other row has) and is left out; list it in features, categorical or numeric to keep it`;
    case 'text': return `${label} holds free text (examples: ${r.examples.map((e) => quoteValue(e, 30)).join(', ')}) and is left out; list it in features or categorical to one-hot encode it`;
    case 'empty': return `${label} has no values (every cell is missing) and is left out`;
    default: return `${label} has ${r.distinct} categories, one-hot encoded into as many features; consider drop for it`;
  }
}

function inferTarget(table: CsvTable, j: number, rows: readonly CsvRow[], options: InferOptions): { task: Task; classNames: string[]; classCounts?: number[] } {
  const requested = options.task;
  if (rows.length === 0) throw new DataError(table.file, table.headerLine + 1, j + 1, `the target ${columnLabel(table, j)} has no values`);
  const kinds = rows.map((row) => cellKind(row.fields[j], options.decimal));
  const texts = kinds.filter((k) => k === 'text').length;
  const values = rows.map((row) => row.fields[j].trim());
  const numericTask = (): Task => {
    const bad = kinds.findIndex((k) => k !== 'number');
    if (bad >= 0) {
      const problem = kinds[bad] === 'nonfinite' ? nonfiniteValue(values[bad], options.decimal) : `is numeric but has the non-numeric value ${quoteValue(values[bad])}`;
      throw cellError(table, rows[bad], j, `the target ${columnLabel(table, j)} ${problem}`);
    }
    if (requested === 'regression') return 'regression';
    const distinct = new Set(values.map((v) => parseNumber(v, options.decimal)));
    const integers = [...distinct].every((v) => Number.isInteger(v));
    return integers && distinct.size <= AUTO_CLASSIFICATION_MAX_CLASSES && distinct.size <= Math.max(2, rows.length / 2) ? 'classification' : 'regression';
  };
  let task: Task;
  if (requested === 'classification') task = 'classification';
  else if (requested === 'auto' && texts * 2 > rows.length) task = 'classification';
  else task = numericTask();
  if (task === 'regression') return { task, classNames: [] };
  const bad = kinds.findIndex((k) => k === 'nonfinite');
  if (bad >= 0 && requested !== 'classification') throw cellError(table, rows[bad], j, `the target ${columnLabel(table, j)} ${nonfiniteValue(values[bad], options.decimal)}`);
  const keys = values.map((v) => classKey(v, options.decimal));
  const classNames = sortedClasses(keys);
  const index = new Map(classNames.map((c, i) => [c, i]));
  const classCounts = classNames.map(() => 0);
  for (const k of keys) classCounts[index.get(k)!]++;
  return { task, classNames, classCounts };
}
