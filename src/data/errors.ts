import { ValueError } from '../util/errors.js';

/**
 * A problem in a data file, located the way compilers locate errors: the message reads
 * `file:line:column: problem`, and the same place is kept in the `file`, `line` and `column` fields
 * (1-based; `line` counts physical lines of the file with the header as line 1, `column` counts
 * CSV fields from the left).
 *
 * @example
 * try { parseCsv(text, { fileName: 'houses.csv', target: 'price' }); }
 * catch (e) { if (e instanceof DataError) console.error(e.message); } // houses.csv:7:3: …
 */
export class DataError extends ValueError {
  /** Always `'DataError'`. */
  override name = 'DataError';
  /** The file name given to the parser (e.g. `houses.csv`, or `<input>` when none was given). */
  readonly file: string;
  /** 1-based line of the file where the problem is. */
  readonly line: number;
  /** 1-based field (column) number where the problem is. */
  readonly column: number;
  /** The problem alone, without the location prefix. */
  readonly problem: string;

  constructor(file: string, line: number, column: number, problem: string) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }
}
