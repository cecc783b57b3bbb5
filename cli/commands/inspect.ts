// `downhill inspect <data.csv>`: each column's inferred type, missing cells, distinct values,
// examples and what `train` would do with it (the same report `train` prints before it starts).
import { type CsvInspection, inspectCsv } from '../../src/index.js';
import { columnWarnings, formatColumnReport, targetNotes } from '../column-report.js';
import { type Decimal, DECIMALS, type Missing, MISSING, TASKS } from '../config.js';
import { isBundled, lastColumn, readTextFile } from '../data-source.js';
import { CliError } from '../errors.js';
import { formatCount } from '../format.js';
import { asChoice, asColumns } from '../option-values.js';

export interface InspectFlags {
  target?: string;
  task?: string;
  features?: string;
  drop?: string;
  categorical?: string;
  numeric?: string;
  decimal?: string;
  missing?: string;
  json?: boolean;
}

/** Runs the command; resolves to the exit code. */
export function inspectCommand(data: string, flags: InspectFlags): number {
  if (isBundled(data)) throw new CliError(`'${data}' is a bundled dataset; inspect reads CSV files (see \`downhill datasets\` for the bundled ones)`);
  const columns = (flag: keyof InspectFlags): string[] | undefined => (flags[flag] === undefined ? undefined : asColumns(flags[flag], { label: `--${flag}` }));
  const text = readTextFile(data, 'data file');
  const inspection = inspectCsv(text, {
    fileName: data,
    target: flags.target ?? lastColumn(text),
    task: flags.task === undefined ? 'auto' : asChoice(flags.task, { label: '--task' }, TASKS),
    missing: flags.missing === undefined ? 'error' : asChoice<Missing>(flags.missing, { label: '--missing' }, MISSING),
    decimal: flags.decimal === undefined ? 'auto' : asChoice<Decimal>(flags.decimal, { label: '--decimal' }, DECIMALS),
    features: columns('features'), drop: columns('drop'), categorical: columns('categorical'), numeric: columns('numeric'),
  });
  const warnings = [...columnWarnings(inspection), ...targetNotes(inspection)];
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(inspectionJson(data, inspection, warnings), null, 2)}\n`);
    return 0;
  }
  const features = inspection.encoding.featureNames.length;
  const lines = [formatColumnReport(data, inspection), `training would see ${formatCount(features)} feature${features === 1 ? '' : 's'} and the target '${inspection.encoding.target}' (${inspection.encoding.task})`];
  if (warnings.length > 0) lines.push('warnings:', ...warnings.map((w) => `  ${w}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function inspectionJson(file: string, i: CsvInspection, warnings: string[]): unknown {
  return {
    file, rows: i.rows, delimiter: i.delimiter, decimal: i.decimal, target: i.encoding.target, task: i.encoding.task,
    classes: i.encoding.classNames, features: i.encoding.featureNames.length, columns: i.columns, warnings,
  };
}
