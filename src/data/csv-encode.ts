import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { type CsvColumnEncoding, type CsvEncoding, columnIndex } from './csv-encoding.js';
import { type CsvRow, type CsvTable, cellError, cellKind, columnLabel, nonfiniteValue } from './csv-table.js';
import { type DecimalSeparator, listSome, parseDate, parseNumber, quoteValue } from './csv-values.js';
import { classKey } from './labels.js';

/** Categories of a column that the encoding does not know, met while encoding a file. */
export interface UnseenCategories {
  /** The column's header name. */
  column: string;
  /** Rows holding one of them; each is encoded as all zeros in this column's features. */
  rows: number;
  /** The unseen values, in file order. */
  values: string[];
  /** The file line of the first such row. */
  firstLine: number;
}

/** New rows encoded with a saved {@link CsvEncoding}. */
export interface EncodedCsv {
  /** Features, float32 `[n, encoding.featureNames.length]`. */
  x: Tensor;
  /** Targets when the file has the target column (and it is not ignored), else null. */
  y: Tensor | null;
  /** The dataset, when the file has the target column (and it is not ignored), else null. */
  dataset: Dataset | null;
  /** The file line of each encoded row (row i of `x` came from line `lines[i]`). */
  lines: number[];
  /** Lines of rows dropped for missing values (`missing: 'drop'`, or a missing target). */
  droppedLines: number[];
  /** Categorical columns with values the encoding does not know (encoded as all zeros). */
  unseen: UnseenCategories[];
  /** Warnings for people, one per column with unseen categories. */
  warnings: string[];
}

/** Whether the target column must be there, is used when it is, or is never read (prediction inputs). */
export type TargetMode = 'require' | 'optional' | 'ignore';

/** Encodes a table's rows with `encoding`, checking every cell it reads. */
export function encodeTable(table: CsvTable, encoding: CsvEncoding, targetMode: TargetMode, decimal: DecimalSeparator): EncodedCsv {
  const targetColumn = targetMode === 'require' ? columnIndex(table, encoding.target, 'target') : targetMode === 'ignore' ? -1 : table.header.indexOf(encoding.target);
  // For prediction inputs, a target column left entirely empty counts as absent.
  const hasTarget = targetColumn >= 0 && (targetMode === 'require' || table.rows.some((row) => cellKind(row.fields[targetColumn], decimal) !== 'missing'));
  const columns = encoding.columns.map((c) => ({ enc: c, j: columnIndex(table, c.name, 'feature') }));
  const d = encoding.featureNames.length;
  const classIndex = new Map(encoding.classNames.map((name, i) => [name, i]));
  // Sized for every row; rows dropped for missing values leave unused space, cut off below.
  const xs = new Float32Array(table.rows.length * d);
  const ys = new Float64Array(table.rows.length);
  const lines: number[] = [];
  const droppedLines: number[] = [];
  const unseen = new Map<string, UnseenCategories>();

  for (const row of table.rows) {
    const missingAt = (j: number): boolean => cellKind(row.fields[j], decimal) === 'missing';
    if (hasTarget && missingAt(targetColumn)) {
      if (encoding.missing === 'error') {
        throw cellError(table, row, targetColumn, `missing target value in ${columnLabel(table, targetColumn)}`, { option: 'missing', values: ['drop'], purpose: 'to drop such rows' });
      }
      droppedLines.push(row.line);
      continue;
    }
    const firstMissing = columns.find(({ j }) => missingAt(j));
    if (firstMissing && encoding.missing === 'error') {
      throw cellError(table, row, firstMissing.j, `missing value in ${columnLabel(table, firstMissing.j)}`, { option: 'missing', values: ['drop', 'mean', 'zero'], purpose: 'to handle missing values' });
    }
    if (firstMissing && encoding.missing === 'drop') {
      droppedLines.push(row.line);
      continue;
    }
    let at = lines.length * d;
    for (const { enc, j } of columns) {
      if (enc.kind !== 'categorical') {
        xs[at++] = cellValue(table, row, j, enc, decimal);
        continue;
      }
      const text = row.fields[j].trim();
      const value = missingAt(j) ? enc.fill : text;
      const c = value === null ? -1 : enc.categories.indexOf(value);
      if (value !== null && c < 0) {
        const u = unseen.get(enc.name) ?? { column: enc.name, rows: 0, values: [], firstLine: row.line };
        u.rows++;
        if (!u.values.includes(value)) u.values.push(value);
        unseen.set(enc.name, u);
      }
      if (c >= 0) xs[at + c] = 1;
      at += enc.categories.length;
    }
    if (hasTarget) ys[lines.length] = targetValue(table, row, targetColumn, encoding, classIndex, decimal);
    lines.push(row.line);
  }

  const n = lines.length;
  if (n === 0) throw new DataError(table.file, table.headerLine + 1, 1, `no rows left after dropping ${droppedLines.length} with missing values`);
  const x = tensor(xs.subarray(0, n * d), { shape: [n, d] });
  const unseenList = [...unseen.values()];
  const warnings = unseenList.map((u) => {
    const label = columnLabel(table, table.header.indexOf(u.column));
    const known = columns.find((c) => c.enc.name === u.column)!.enc as Extract<CsvColumnEncoding, { kind: 'categorical' }>;
    return `${label}: ${u.rows} row${u.rows === 1 ? '' : 's'} (first on line ${u.firstLine}) hold categories not seen in training (${listSome(u.values.map((v) => quoteValue(v, 30)), 5)}); ` +
      `encoded as all zeros in its ${known.categories.length} one-hot features`;
  });
  const base = { x, lines, droppedLines, unseen: unseenList, warnings };
  if (!hasTarget) return { ...base, y: null, dataset: null };
  const classification = encoding.task === 'classification';
  const y = classification ? tensor(Int32Array.from(ys.subarray(0, n)), { shape: [n] }) : tensor(Float32Array.from(ys.subarray(0, n)), { shape: [n, 1] });
  const dataset = new Dataset(x, y, {
    task: encoding.task,
    featureNames: encoding.featureNames,
    classNames: classification ? encoding.classNames : undefined,
    targetNames: classification ? undefined : [encoding.target],
    name: table.file,
  });
  return { ...base, y, dataset };
}

/** A numeric or date cell's value (its column's fill when missing); anything else is an error at the cell. */
function cellValue(table: CsvTable, row: CsvRow, j: number, enc: Exclude<CsvColumnEncoding, { kind: 'categorical' }>, decimal: DecimalSeparator): number {
  const text = row.fields[j].trim();
  const kind = cellKind(text, decimal);
  if (kind === 'missing') return enc.fill;
  if (enc.kind === 'date') {
    const v = parseDate(text, enc.format);
    if (v === null) {
      const example = { ymd: '2021-03-14', dmy: '14.03.2021', mdy: '03/14/2021', time: '14:30' }[enc.format];
      throw cellError(table, row, j, `${columnLabel(table, j)} holds ${enc.format === 'time' ? 'times of day' : 'dates'} (like ${example}) but has ${quoteValue(text)}`);
    }
    return v;
  }
  if (kind === 'nonfinite') throw cellError(table, row, j, `${columnLabel(table, j)} ${nonfiniteValue(text, decimal)}; values must be finite numbers (leave a cell empty to mark it missing)`);
  if (kind === 'text') {
    const commaDecimal = decimal === '.' && parseNumber(text, ',') !== null;
    throw cellError(table, row, j, `${columnLabel(table, j)} is numeric but has the non-numeric value ${quoteValue(text)}`,
      commaDecimal ? { option: 'decimal', values: [','], purpose: 'to read decimal commas' } : { option: 'categorical', values: [table.header[j]], list: true, purpose: 'to one-hot encode the column' });
  }
  return parseNumber(text, decimal)!;
}

function targetValue(table: CsvTable, row: CsvRow, j: number, encoding: CsvEncoding, classIndex: Map<string, number>, decimal: DecimalSeparator): number {
  const text = row.fields[j].trim();
  if (encoding.task === 'classification') {
    const label = classIndex.get(classKey(text, decimal));
    if (label === undefined) throw cellError(table, row, j, `the target ${columnLabel(table, j)} has the unknown class ${quoteValue(text)}; known: ${listSome(encoding.classNames.map((c) => quoteValue(c, 30)))}`);
    return label;
  }
  const kind = cellKind(text, decimal);
  if (kind !== 'number') {
    const problem = kind === 'nonfinite' ? nonfiniteValue(text, decimal) : `is numeric but has the non-numeric value ${quoteValue(text)}`;
    throw cellError(table, row, j, `the target ${columnLabel(table, j)} ${problem}`);
  }
  return parseNumber(text, decimal)!;
}
