// `downhill train <data>`: load → split → scale → MLP → fit (checkpoint after every epoch) → test → summary.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { selectBackend } from '../backend.js';
import { readCheckpoint } from '../checkpoint-file.js';
import { columnWarnings, formatColumnReport, targetNotes } from '../column-report.js';
import {
  RESUMABLE_KEYS, type TrainConfig, type TrainOptions, columnsOf, configFromJson, mergeOptions, optionsFromFile, optionsFromFlags, resolveConfig,
  splitOf,
} from '../config.js';
import { type LoadedData, loadData } from '../data-source.js';
import { CliError, warn } from '../errors.js';
import { Preprocessor } from '../preprocess.js';
import { RUN_FILES, RunFolder, defaultRunFolder, removeStaleTemporaryFiles } from '../run-folder.js';
import { loadSavedData } from '../saved-data.js';
import { type RunInfo, type Session, prepareSession } from '../session.js';
import { runTraining } from '../training-loop.js';

export interface TrainFlags extends Record<string, unknown> {
  config?: string;
}

/** Runs the command; resolves to the exit code. */
export async function trainCommand(data: string | undefined, flags: TrainFlags): Promise<number> {
  const started = performance.now();
  const { config: configFile, ...rest } = flags;
  const fromFlags = optionsFromFlags({ ...rest, data });
  let options = mergeOptions(configFile ? optionsFromFile(configFile) : {}, fromFlags);
  if (options.resume && unstartedFolder(options.resume)) {
    // A run that stopped before its first checkpoint has nothing to resume: start it again.
    const folder = options.resume;
    const { resume: _, ...changes } = options;
    options = mergeOptions(optionsFromFile(join(folder, RUN_FILES.config)), { ...changes, out: options.out ?? folder });
    warn(`${folder} holds no checkpoint yet (its run stopped before the first epoch ended); starting that run from the beginning`);
  }
  const prepared = options.resume ? await prepareResume(options) : await prepareNew(options);
  return runTraining(prepared.session, prepared.folder, options.quiet ?? false, started);
}

function unstartedFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && RunFolder.isUnstarted(path);
}

async function prepareNew(options: TrainOptions): Promise<{ session: Session; folder: RunFolder }> {
  if (!options.data) throw new CliError('give the training data: a CSV file or a bundled dataset name (see `downhill datasets`)');
  await selectBackend(options.backend ?? 'auto', options.threads ?? null);
  const loaded = await loadData({
    data: options.data, target: options.target, task: options.task, missing: options.missing, seed: options.seed ?? 0,
    columns: columnsOf(options), split: splitOf(options, options.data),
  });
  checkTarget(loaded);
  const config = resolveConfig(options, { name: loaded.name, task: loaded.dataset.task, target: loaded.target });
  const session = prepareSession(config, loaded, null, { batchSizeGiven: options.batchSize !== undefined });
  // Every option and the data are valid: report the columns, then (only now) write anything.
  reportColumns(loaded, config, options.quiet ?? false);
  const folder = RunFolder.create(options.out ?? defaultRunFolder(config.data), metricColumns(config));
  folder.writeJson('config', session.config);
  folder.writeLogs([]);
  return { session, folder };
}

/** A classification target needs two classes at least. */
function checkTarget(loaded: LoadedData): void {
  const ds = loaded.dataset;
  if (ds.task !== 'classification' || ds.numClasses >= 2) return;
  const name = loaded.target ?? 'label';
  throw new CliError(
    `the target '${name}' has a single class ('${ds.classNames[0]}' on all ${ds.length.toLocaleString('en-US')} rows), so there is nothing to learn; ` +
    'classification needs at least two classes (check --target, or --task regression for a numeric target)', loaded.name);
}

function reportColumns(loaded: LoadedData, config: TrainConfig, quiet: boolean): void {
  const inspection = loaded.inspection;
  if (!inspection) return;
  if (!quiet) process.stdout.write(`${formatColumnReport(loaded.name, inspection)}\n`);
  for (const w of columnWarnings(inspection)) warn(w);
  if (config.classWeight === 'none') for (const w of targetNotes(inspection)) warn(w);
  for (const u of inspection.unseen) {
    warn(`column '${u.column}': ${u.rows} held-out row${u.rows === 1 ? '' : 's'} (first on line ${u.firstLine}) hold categories the training rows lack; they are encoded as all zeros in its one-hot features`);
  }
}

async function prepareResume(options: TrainOptions): Promise<{ session: Session; folder: RunFolder }> {
  const from = readCheckpoint(options.resume!);
  removeStaleTemporaryFiles(dirname(from.file));
  const info = from.checkpoint.info as unknown as RunInfo | undefined;
  const saved = configFromJson(info?.config, from.file);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || RESUMABLE_KEYS.includes(key as keyof TrainOptions)) continue;
    const before = (saved as unknown as Record<string, unknown>)[key];
    if (key === 'task' && value === 'auto') continue;
    if (JSON.stringify(before) !== JSON.stringify(value)) {
      throw new CliError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} cannot change when resuming (the run used ${JSON.stringify(before)}, got ${JSON.stringify(value)}); only --epochs, --out, --backend, --threads and --quiet may`);
    }
  }
  const config: TrainConfig = { ...saved, epochs: options.epochs ?? saved.epochs, backend: options.backend ?? saved.backend, threads: options.threads ?? saved.threads ?? null };
  const done = from.checkpoint.training?.epoch ?? 0;
  const stop = info?.finished ? info.stopReason : undefined;
  if (stop && stop.rule !== 'maxEpochs') {
    // The uninterrupted run with more epochs would have stopped here too: there is nothing to add.
    const why = stop.rule === 'divergence' ? 'it would diverge again (start a new run with a smaller --lr)' : 'a longer run would have stopped at the same epoch';
    throw new CliError(`the run already ended at epoch ${stop.epoch}: ${stop.message}; resuming cannot train it further, as ${why}`, from.file);
  }
  if (done >= config.epochs) {
    throw new CliError(`the run has already trained ${done} epoch${done === 1 ? '' : 's'} of ${config.epochs}; pass --epochs with a larger number to train further`, from.file);
  }
  await selectBackend(config.backend, config.threads);
  const encoding = Preprocessor.fromJSON(from.checkpoint.preprocessing, from.file).encoding;
  const loaded = await loadSavedData(config, info!, options.data, from.file, encoding, `downhill train --resume ${options.resume} <file>`);
  const session = prepareSession(config, loaded, from, { batchSizeGiven: true });
  const runDir = dirname(from.file);
  const out = options.out ?? (existsSync(join(runDir, RUN_FILES.config)) ? runDir : defaultRunFolder(config.data));
  const folder = resolve(out) === resolve(runDir) ? RunFolder.reuse(out, metricColumns(config)) : RunFolder.create(out, metricColumns(config));
  folder.writeJson('config', config);
  // The logs restart from the checkpoint's history: lines written after it (before a crash) go.
  folder.writeLogs(session.resume!.history);
  return { session, folder };
}

export function metricColumns(config: TrainConfig): { metrics: string[]; penalty: boolean } {
  return { metrics: config.task === 'classification' ? ['accuracy'] : ['r2'], penalty: config.l2 > 0 };
}
