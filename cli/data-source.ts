// Where training data comes from: a CSV file (parsed with the library's parseCsv) or a bundled /
// synthetic dataset by name. Either way the result carries a CsvEncoding, so that `predict` and
// `eval` can read new CSV files the same way (bundled sets get one synthesised from their names).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { type CsvData, type CsvEncoding, type Dataset, datasetByName, datasetCsvEncoding, listDatasets, parseCsv } from '../src/index.js';
import type { TrainConfig } from './config.js';
import { CliError } from './errors.js';
import { splitData } from './splits.js';

/** Loaded training data. */
export interface LoadedData {
  dataset: Dataset;
  encoding: CsvEncoding;
  kind: 'csv' | 'bundled';
  /** The data argument as given (a path or a dataset name). */
  name: string;
  /** CSV only: the target column. */
  target: string | null;
  /** CSV only: SHA-256 of the file, to notice when it changed since training. */
  sha256: string | null;
  /** CSV only: each column's profile and use, the delimiter and decimal separator, and warnings. */
  inspection: Omit<CsvData, 'dataset'> | null;
}

/** The CSV column choices of a run (`--features`, `--drop`, `--categorical`, `--numeric`, `--decimal`). */
export type ColumnOptions = Pick<TrainConfig, 'features' | 'drop' | 'categorical' | 'numeric' | 'decimal'>;

export interface DataRequest {
  data: string;
  target?: string | null;
  task?: 'auto' | 'regression' | 'classification';
  missing?: 'error' | 'drop' | 'mean' | 'zero';
  seed?: number;
  columns?: ColumnOptions;
  /**
   * The run's split: when given, fills for missing cells and one-hot categories come from its
   * training rows only (the file is read twice: once to split, once to fit on the training rows).
   */
  split?: Pick<TrainConfig, 'valSplit' | 'testSplit' | 'seed'>;
}

const bundledNames = (): string[] => listDatasets().map((d) => d.name);

/** True when `data` names a bundled dataset rather than a file. */
export function isBundled(data: string): boolean {
  return !existsSync(data) && bundledNames().includes(data.trim().toLowerCase());
}

/** Reads a text file, turning file-system errors into one-line messages naming the file. */
export function readTextFile(path: string, what: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CliError(`cannot read the ${what}: no such file`, path);
  }
  if (stat.isDirectory()) throw new CliError(`cannot read the ${what}: it is a folder, expected a CSV file`, path);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(`cannot read the ${what}: ${code === 'EACCES' ? 'permission denied' : (e as Error).message}`, path);
  }
}

/** Loads a CSV file or a bundled dataset; checks the requested task against the data. */
export async function loadData(request: DataRequest): Promise<LoadedData> {
  const { data } = request;
  if (isBundled(data)) {
    const name = data.trim().toLowerCase();
    if (request.target != null) throw new CliError(`--target applies to CSV files only; '${name}' is a bundled dataset with its own target`);
    const c = request.columns;
    const flag = c?.features ? '--features' : c?.drop?.length ? '--drop' : c?.categorical?.length ? '--categorical' : c?.numeric?.length ? '--numeric' : c?.decimal && c.decimal !== 'auto' ? '--decimal' : null;
    if (flag) throw new CliError(`${flag} applies to CSV files only; '${name}' is a bundled dataset with its own columns`);
    const dataset = await datasetByName(name, { seed: request.seed ?? 0 });
    if (request.task && request.task !== 'auto' && request.task !== dataset.task) {
      throw new CliError(`--task ${request.task} does not fit '${name}', a ${dataset.task} dataset`);
    }
    return { dataset, encoding: datasetCsvEncoding(dataset), kind: 'bundled', name, target: null, sha256: null, inspection: null };
  }
  const looksLikeFile = /[\\/.]/.test(data);
  if (!existsSync(data) && !looksLikeFile) {
    throw new CliError(`'${data}' is neither a file nor a bundled dataset (bundled: ${bundledNames().join(', ')})`);
  }
  const text = readTextFile(data, 'data file');
  const target = request.target ?? lastColumn(text);
  const c = request.columns;
  const options = {
    fileName: data, target, task: request.task ?? 'auto', missing: request.missing ?? 'error',
    features: c?.features ?? undefined, drop: c?.drop, categorical: c?.categorical, numeric: c?.numeric, decimal: c?.decimal ?? 'auto',
  } as const;
  let parsed: CsvData = parseCsv(text, options);
  if (request.split) {
    // Statistics from the training rows only: the rows and their labels are the same in both
    // readings (only fills and categories change), so the split is the same too.
    const train = splitData(parsed.dataset, request.split, data).indices.train;
    parsed = parseCsv(text, { ...options, fitLines: Array.from(train, (i) => parsed.lines[i]) });
  }
  const { dataset, ...inspection } = parsed;
  return { dataset, encoding: parsed.encoding, kind: 'csv', name: data, target, sha256: sha256(text), inspection };
}

/** SHA-256 of a text, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The header's last column name (the default target); parseCsv reports files without a header. */
export function lastColumn(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const last = firstLine.split(delimiter).pop() ?? '';
  const name = last.trim().replace(/^"(.*)"$/, '$1').trim();
  return name === '' ? `column${firstLine.split(delimiter).length}` : name;
}
