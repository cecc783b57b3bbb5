import Papa from 'papaparse';
import { DataError } from './errors.js';
import { isNumberText } from './labels.js';

/** A CSV file split into a header and rows of string fields, each row with its 1-based file line. */
export interface CsvTable {
  file: string;
  header: string[];
  headerLine: number;
  rows: CsvRow[];
}

export interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  fields: string[];
}

/** What a single cell holds. */
export type CellKind = 'missing' | 'number' | 'nonfinite' | 'text';

/** Cell texts read as missing values: an empty cell, `NA`, `N/A`, `null`, `?` (any case). */
export const MISSING_TOKENS: readonly string[] = ['', 'na', 'n/a', 'null', '?'];
const NONFINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Classifies a cell's (untrimmed) text. */
export function cellKind(text: string): CellKind {
  const t = text.trim();
  if (MISSING_TOKENS.includes(t.toLowerCase())) return 'missing';
  if (isNumberText(t)) return 'number';
  if (NONFINITE.test(t)) return 'nonfinite';
  return 'text';
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
export function cellError(table: CsvTable, row: CsvRow, column: number, problem: string): DataError {
  return new DataError(table.file, cellLine(row, column), column + 1, problem);
}

/** `column 3 'age'`: how messages name a column, by number (1-based) and name. */
export function columnLabel(table: CsvTable, column: number): string {
  return `column ${column + 1} '${table.header[column]}'`;
}

/**
 * Reads CSV text (through papaparse) into a header and rows, keeping each row's file line. Blank
 * lines are skipped; every other row must have as many fields as the header.
 */
export function readCsvTable(text: string, file: string, delimiter?: string): CsvTable {
  // One newline convention, so line numbers count \r\n, \r and \n alike; drop a byte-order mark.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (source.trim() === '') throw new DataError(file, 1, 1, 'the file is empty; expected a header row followed by data rows');
  const parsed: { fields: string[]; start: number; errors: Papa.ParseError[] }[] = [];
  let start = 0;
  Papa.parse<string[]>(source, {
    header: false,
    newline: '\n',
    delimiter: delimiter ?? '',
    skipEmptyLines: false,
    step: (result) => {
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
    if (first !== undefined) throw new DataError(file, headerRow.line, j + 1, `duplicate column name '${name}' (also column ${first + 1}); column names must be unique`);
    seen.set(name, j);
  });
  const table: CsvTable = { file, header, headerLine: headerRow.line, rows };
  if (rows.length === 0) {
    throw new DataError(file, headerRow.line + 1, 1, `no data rows: the file has only the header (line ${headerRow.line}: ${header.join(', ')})`);
  }
  for (const row of rows) {
    const k = row.fields.length;
    if (k !== header.length) {
      const column = Math.min(k, header.length); // the first missing or first extra field
      throw cellError(table, row, column, `row has ${k} field${k === 1 ? '' : 's'} but the header has ${header.length} (${header.join(', ')})`);
    }
  }
  return table;
}
