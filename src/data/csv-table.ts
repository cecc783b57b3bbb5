import Papa from 'papaparse';
import { DataError, type DataErrorHint } from './errors.js';
import { type DecimalSeparator, fitsFloat32, listSome, parseNumber, quoteName, quoteValue } from './csv-values.js';

/** A CSV file split into a header and rows of string fields, each row with its 1-based file line. */
export interface CsvTable {
  file: string;
  header: string[];
  headerLine: number;
  rows: CsvRow[];
  /** The field delimiter (given, or detected). */
  delimiter: string;
}

export interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  fields: string[];
}

/**
 * What a single cell holds: `'number'` is finite and fits float32; `'nonfinite'` is NaN, ±Inf, or a
 * number beyond float32's range (1e39) that would become ±Infinity when stored.
 */
export type CellKind = 'missing' | 'number' | 'nonfinite' | 'text';

/** Cell texts read as missing values: an empty cell, `NA`, `N/A`, `null`, `?` (any case). */
export const MISSING_TOKENS: readonly string[] = ['', 'na', 'n/a', 'null', '?'];
const NONFINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Classifies a cell's (untrimmed) text, reading numbers with the given decimal separator. */
export function cellKind(text: string, decimal: DecimalSeparator = '.'): CellKind {
  const t = text.trim();
  if (MISSING_TOKENS.includes(t.toLowerCase())) return 'missing';
  const v = parseNumber(t, decimal);
  if (v !== null) return fitsFloat32(v) ? 'number' : 'nonfinite';
  if (NONFINITE.test(t)) return 'nonfinite';
  return 'text';
}

/**
 * What a non-finite cell holds, for messages: `has the non-finite value "NaN"`, or `has the value
 * "1e39", beyond the float32 range (±3.4e38)` for a number too large to store.
 */
export function nonfiniteValue(text: string, decimal: DecimalSeparator = '.'): string {
  const t = text.trim();
  if (parseNumber(t, decimal) === null) return `has the non-finite value ${quoteValue(t)}`;
  return `has the value ${quoteValue(t)}, beyond the float32 range (±3.4e38) that features and targets are stored in`;
}

/** The line of field `column` (0-based) of `row`: later than the row's first line if quoted fields before it span lines. */
export function cellLine(row: CsvRow, column: number): number {
  let line = row.line;
  for (let j = 0; j < column && j < row.fields.length; j++) {
    for (const ch of row.fields[j]) if (ch === '\n') line++;
  }
  return line;
}

/** A {@link DataError} at field `column` (0-based) of `row`. */
export function cellError(table: CsvTable, row: CsvRow, column: number, problem: string, hint?: DataErrorHint): DataError {
  return new DataError(table.file, cellLine(row, column), column + 1, problem, hint);
}

/** `column 3 'age'`: how messages name a column, by number (1-based) and name. */
export function columnLabel(table: CsvTable, column: number): string {
  return `column ${column + 1} ${quoteName(table.header[column])}`;
}

/**
 * Reads CSV text (through papaparse) into a header and rows, keeping each row's file line. Blank
 * lines are skipped; every other row must have as many fields as the header.
 */
export function readCsvTable(text: string, file: string, delimiter?: string): CsvTable {
  // One newline convention, so line numbers count \r\n, \r and \n alike; drop a byte-order mark.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (source.trim() === '') throw new DataError(file, 1, 1, 'the file is empty; expected a header row followed by data rows');
  const nul = source.indexOf('\u0000');
  if (nul >= 0) {
    const before = source.slice(0, nul);
    const line = before.split('\n').length;
    throw new DataError(file, line, 1, `the file has a NUL byte on line ${line}: it looks like a binary file, not CSV text`);
  }
  const parsed: { fields: string[]; start: number; errors: Papa.ParseError[] }[] = [];
  let start = 0;
  let detected = delimiter ?? ',';
  Papa.parse<string[]>(source, {
    header: false,
    newline: '\n',
    delimiter: delimiter ?? headerDelimiter(source),
    skipEmptyLines: false,
    step: (result) => {
      detected = result.meta.delimiter;
      parsed.push({ fields: result.data, start, errors: result.errors });
      start = result.meta.cursor;
    },
  });

  let line = 1;
  let counted = 0;
  const rows: CsvRow[] = [];
  for (const p of parsed) {
    for (; counted < p.start; counted++) if (source[counted] === '\n') line++;
    const row = { line, fields: p.fields };
    const quoteError = p.errors.find((e) => e.type === 'Quotes');
    if (quoteError) {
      throw new DataError(file, line, Math.max(1, p.fields.length), `${quoteError.message.toLowerCase()} (a quoted field must end with a closing ")`);
    }
    if (p.fields.length === 1 && p.fields[0].trim() === '') continue; // blank line
    rows.push(row);
  }
  const headerRow = rows.shift();
  if (headerRow === undefined) throw new DataError(file, 1, 1, 'the file is empty; expected a header row followed by data rows');
  const header = headerRow.fields.map((name, j) => name.trim() || `column${j + 1}`);
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    const first = seen.get(name);
    if (first !== undefined) throw new DataError(file, headerRow.line, j + 1, `duplicate column name ${quoteName(name)} (also column ${first + 1}); column names must be unique`);
    seen.set(name, j);
  });
  const table: CsvTable = { file, header, headerLine: headerRow.line, rows, delimiter: detected };
  if (rows.length === 0) {
    throw new DataError(file, headerRow.line + 1, 1, `no data rows: the file has only the header (line ${headerRow.line}: ${headerList(header)})`);
  }
  for (const row of rows) {
    const k = row.fields.length;
    if (k !== header.length) {
      const column = Math.min(k, header.length); // the first missing or first extra field
      throw cellError(table, row, column, `row has ${k} field${k === 1 ? '' : 's'} but the header has ${header.length} (${headerList(header)})`);
    }
  }
  return table;
}

/**
 * The delimiter of the header line: whichever of `,` `;` tab `|` it holds most often outside quotes
 * ('' when none: papaparse then guesses from the rows). The header decides because its names rarely
 * hold decimal commas, which make the rows of a `;`-separated file look comma-separated.
 */
function headerDelimiter(source: string): string {
  const first = source.split('\n').find((line) => line.trim() !== '') ?? '';
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of first) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t' || ch === '|')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = '';
  for (const [d, c] of counts) if (best === '' || c > counts.get(best)!) best = d;
  return best;
}

/** Column names for a message: escaped, and cut after the first 10 with a count. */
export function headerList(header: readonly string[]): string {
  return listSome(header.map((h) => quoteName(h, 40).slice(1, -1)));
}
