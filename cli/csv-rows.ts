// The raw rows of a CSV file keyed by the file line each starts on, numbered exactly as the library's
// CSV reader numbers them (so `encodeCsv`'s `lines` find their source rows), and CSV output.
import Papa from 'papaparse';

export interface RawCsv {
  header: string[];
  rowsByLine: Map<number, string[]>;
}

/** Splits CSV text into a header and rows (blank lines skipped), each row with its first line. */
export function readRawCsv(text: string): RawCsv {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const rows: Array<{ line: number; fields: string[] }> = [];
  let start = 0;
  let line = 1;
  let counted = 0;
  Papa.parse<string[]>(source, {
    header: false,
    newline: '\n',
    delimiter: '',
    skipEmptyLines: false,
    step: (result) => {
      for (; counted < start; counted++) if (source[counted] === '\n') line++;
      if (!(result.data.length === 1 && result.data[0].trim() === '')) rows.push({ line, fields: result.data });
      start = result.meta.cursor;
    },
  });
  const header = rows.shift()?.fields.map((name, j) => name.trim() || `column${j + 1}`) ?? [];
  return { header, rowsByLine: new Map(rows.map((r) => [r.line, r.fields])) };
}

/** CSV text (quoted where needed, `\n` line ends). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return `${Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { newline: '\n' })}\n`;
}
