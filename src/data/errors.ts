import { ValueError } from '../util/errors.js';

/**
 * An option that would fix or work around a {@link DataError}: `parseCsv`'s `missing: 'drop'`, or
 * `categorical: ['city']`. Kept apart from the problem so that front ends (the command line) can name
 * their own flag for it.
 */
export interface DataErrorHint {
  /** The `parseCsv` / `encodeCsv` option, e.g. `'missing'`. */
  option: string;
  /** The values to choose from (`['drop', 'mean', 'zero']`), or the list to give (`['city']`). */
  values: readonly string[];
  /** True when the option takes a list (`categorical: ['city']`) rather than one of the values. */
  list?: boolean;
  /** What it does, e.g. `'to drop such rows'`. */
  purpose: string;
}

/** `missing: 'drop', 'mean' or 'zero' to handle missing values`: a hint in the library's own terms. */
export function formatHint(hint: DataErrorHint): string {
  const quoted = hint.values.map((v) => `'${v}'`);
  const value = hint.list ? `[${quoted.join(', ')}]` : quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
  return `use ${hint.option}: ${value} ${hint.purpose}`;
}

/**
 * A problem in a data file, located the way compilers locate errors: the message reads
 * `file:line:column: problem (use option: 'value' …)`, and the same place is kept in the `file`,
 * `line` and `column` fields (1-based; `line` counts physical lines of the file with the header as
 * line 1, `column` counts CSV fields from the left).
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
  /** The problem alone, without the location prefix or the hint. */
  readonly problem: string;
  /** An option that would fix it, when there is one. */
  readonly hint: DataErrorHint | undefined;

  constructor(file: string, line: number, column: number, problem: string, hint?: DataErrorHint) {
    super(`${file}:${line}:${column}: ${problem}${hint ? ` (${formatHint(hint)})` : ''}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
    this.hint = hint;
  }
}
