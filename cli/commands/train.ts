// `downhill train <data>`: load → split → scale → MLP → fit (checkpoint after every epoch) → test → summary.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Callback, type EpochRecord, type History, type TrainingState, encodeCheckpoint, fit, getBackend, WasmBackend } from '../../src/index.js';
import { selectBackend } from '../backend.js';
import { readCheckpoint } from '../checkpoint-file.js';
import {
  RESUMABLE_KEYS, type TrainConfig, type TrainOptions, configFromJson, mergeOptions, optionsFromFile, optionsFromFlags, resolveConfig,
} from '../config.js';
import { loadData } from '../data-source.js';
import { loadSavedData } from '../saved-data.js';
import { CliError, EXIT_INTERRUPTED } from '../errors.js';
import { heldOutMetrics } from '../evaluation.js';
import { formatCount, formatMetric, formatSeconds } from '../format.js';
import { CHART_UNAVAILABLE, renderLossChart } from '../loss-chart.js';
import { ProgressReporter } from '../progress.js';
import { RUN_FILES, RunFolder, defaultRunFolder } from '../run-folder.js';
import { type RunInfo, type Session, checkpointOf, prepareSession } from '../session.js';

export interface TrainFlags extends Record<string, unknown> {
  config?: string;
}

/** Runs the command; resolves to the exit code. */
export async function trainCommand(data: string | undefined, flags: TrainFlags): Promise<number> {
  const started = performance.now();
  const { config: configFile, ...rest } = flags;
  const fromFlags = optionsFromFlags({ ...rest, data });
  const options = mergeOptions(configFile ? optionsFromFile(configFile) : {}, fromFlags);
  const prepared = options.resume ? await prepareResume(options) : await prepareNew(options);
  return runTraining(prepared.session, prepared.folder, options.quiet ?? false, started);
}

async function prepareNew(options: TrainOptions): Promise<{ session: Session; folder: RunFolder }> {
  if (!options.data) throw new CliError('give the training data: a CSV file or a bundled dataset name (see `downhill datasets`)');
  await selectBackend(options.backend ?? 'auto', options.threads ?? null);
  const loaded = await loadData({ data: options.data, target: options.target, task: options.task, missing: options.missing, seed: options.seed ?? 0 });
  const config = resolveConfig(options, { name: loaded.name, task: loaded.dataset.task, target: loaded.target });
  const session = prepareSession(config, loaded, null, { batchSizeGiven: options.batchSize !== undefined });
  // Only now, with the data and every option validated, does anything get written.
  const folder = RunFolder.create(options.out ?? defaultRunFolder(config.data), metricColumns(config));
  folder.writeJson('config', session.config);
  folder.writeLogs([]);
  return { session, folder };
}

async function prepareResume(options: TrainOptions): Promise<{ session: Session; folder: RunFolder }> {
  const from = readCheckpoint(options.resume!);
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
  if (done >= config.epochs) {
    throw new CliError(`the run has already trained ${done} epoch${done === 1 ? '' : 's'} of ${config.epochs}; pass --epochs with a larger number to train further`, from.file);
  }
  await selectBackend(config.backend, config.threads);
  const loaded = await loadSavedData(config, info!, options.data, from.file);
  const session = prepareSession(config, loaded, from, { batchSizeGiven: true });
  const runDir = dirname(from.file);
  const out = options.out ?? (existsSync(join(runDir, RUN_FILES.config)) ? runDir : defaultRunFolder(config.data));
  const folder = resolve(out) === resolve(runDir) ? RunFolder.reuse(out, metricColumns(config)) : RunFolder.create(out, metricColumns(config));
  folder.writeJson('config', config);
  // The logs restart from the checkpoint's history: lines written after it (before a crash) go.
  folder.writeLogs(session.resume!.history);
  return { session, folder };
}

function metricColumns(config: TrainConfig): { metrics: string[]; penalty: boolean } {
  return { metrics: config.task === 'classification' ? ['accuracy'] : ['r2'], penalty: config.l2 > 0 };
}

async function runTraining(s: Session, folder: RunFolder, quiet: boolean, started: number): Promise<number> {
  const { config } = s;
  const tty = Boolean(process.stdout.isTTY);
  const progress = new ProgressReporter({ epochs: config.epochs, tty, quiet });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(EXIT_INTERRUPTED);
    controller.abort('interrupted');
  };
  process.on('SIGINT', onSigint);
  const title = `${config.data}: ${config.task}, MLP ${[s.train.numFeatures, ...config.layers, 'out'].join('-')}, ${config.optimizer}`;
  let lastSaved = s.resume?.epoch ?? 0;
  let lastState: TrainingState | undefined = s.resume ?? undefined;
  let lastChart = -Infinity;
  let charted = true;
  const drawChart = async (history: readonly EpochRecord[]): Promise<void> => {
    const svg = await renderLossChart(history, title);
    if (svg === null) charted = false;
    else folder.writeChart(svg);
  };

  if (!quiet) {
    const resumed = s.resume ? `, resuming after epoch ${s.resume.epoch}` : '';
    const sizes = `${formatCount(s.train.length)} train / ${formatCount(s.val?.length ?? 0)} validation / ${formatCount(s.testRaw?.length ?? 0)} test`;
    process.stdout.write(`training on ${config.data} (${config.task}, ${sizes}; ${backendLabel()})${resumed} → ${folder.path}\n`);
  }

  const persist: Callback = {
    onEpochEnd: async (record: EpochRecord, _history: readonly EpochRecord[], state: TrainingState) => {
      // An interrupted epoch is incomplete: keep the previous checkpoint, which resumes exactly.
      if (record.partial) return;
      folder.appendEpoch(record);
      folder.writeCheckpoint(encodeCheckpoint(checkpointOf(s, state)));
      lastSaved = record.epoch;
      lastState = state;
      // The chart is redrawn at most every two seconds while training (and always at the end).
      if (performance.now() - lastChart >= 2000) {
        await drawChart(state.history);
        lastChart = performance.now();
      }
      progress.epochEnd(record);
    },
  };

  let history: History;
  try {
    history = await fit(s.model, s.train, {
      loss: config.loss,
      optimizer: s.optimizer,
      batchSize: config.batchSize,
      epochs: config.epochs,
      validationData: s.val ?? undefined,
      metrics: config.task === 'classification' ? ['accuracy'] : ['r2'],
      l2: config.l2,
      seed: config.seed,
      stopping: s.rules,
      signal: controller.signal,
      callbacks: [progress, persist],
      ...(s.resume ? { resume: s.resume } : {}),
    });
  } catch (e) {
    // A new run that failed before its first checkpoint leaves no folder behind.
    if (!s.resume && lastSaved === 0) folder.remove();
    throw e;
  } finally {
    progress.finish();
    process.off('SIGINT', onSigint);
  }

  if (controller.signal.aborted && !s.resume && lastSaved === 0) {
    folder.remove();
    process.stderr.write('downhill: interrupted before the first epoch finished; nothing was saved\n');
    return EXIT_INTERRUPTED;
  }
  if (controller.signal.aborted) {
    process.stderr.write(`downhill: interrupted; ${folder.file('checkpoint')} holds epoch ${lastSaved}. Continue with: downhill train --resume ${folder.path}\n`);
    return EXIT_INTERRUPTED;
  }

  const records = history.epochs;
  const last = records[records.length - 1];
  // fit has put back the weights of the best epoch (early stopping) or of the last sane one
  // (divergence); worth saying only when they differ from the last epoch's.
  const restoredEpoch = history.restoredEpoch !== undefined && history.restoredEpoch !== last?.epoch ? history.restoredEpoch : null;
  folder.writeCheckpoint(encodeCheckpoint(checkpointOf(s, lastState, { finished: true, stopReason: history.stopReason, restoredEpoch })));
  await drawChart(records);

  const test = s.testRaw ? heldOutMetrics(s.model, s.testRaw, s.prep, config.loss) : null;
  const trainingMs = records.reduce((sum, r) => sum + r.durationMs, 0);
  const pureMs = records.reduce((sum, r) => sum + (r.samplesPerSec > 0 ? (s.train.length / r.samplesPerSec) * 1000 : 0), 0);
  const summary = {
    data: config.data,
    task: config.task,
    epochs: records.length,
    stopReason: history.stopReason,
    bestEpoch: bestValidationEpoch(records),
    restoredEpoch,
    final: last ? { loss: last.loss, valLoss: last.valLoss ?? null, metrics: last.metrics, valMetrics: last.valMetrics ?? null } : null,
    test: test ? { ...test, samples: s.testRaw!.length } : null,
    samples: { train: s.train.length, val: s.val?.length ?? 0, test: s.testRaw?.length ?? 0 },
    runtimeSeconds: (performance.now() - started) / 1000,
    trainingSeconds: trainingMs / 1000,
    samplesPerSec: pureMs > 0 ? (s.train.length * records.length * 1000) / pureMs : 0,
    runFolder: folder.path,
  };
  folder.writeJson('summary', summary);

  const lines = [`stopped after epoch ${history.stopReason.epoch}: ${history.stopReason.message}`];
  if (restoredEpoch !== null) lines.push(`restored the weights of epoch ${restoredEpoch} (${history.stopReason.rule === 'divergence' ? 'lowest training loss before diverging' : 'best validation loss'})`);
  lines.push(test
    ? `test (${formatCount(s.testRaw!.length)} samples): ${Object.entries(test).map(([k, v]) => `${k} ${formatMetric(k, v)}`).join('  ')}`
    : 'no test split (--test-split 0): no held-out metrics');
  lines.push(`${formatSeconds(summary.runtimeSeconds * 1000)} in all, ${formatCount(summary.samplesPerSec)} samples/s`);
  if (!charted) lines.push(CHART_UNAVAILABLE);
  lines.push(`run folder: ${folder.path}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The first epoch with the lowest validation loss (what early stopping keeps), or null without validation. */
function bestValidationEpoch(records: readonly EpochRecord[]): number | null {
  let best: EpochRecord | null = null;
  for (const r of records) if (r.valLoss !== undefined && Number.isFinite(r.valLoss) && (best === null || r.valLoss < best.valLoss!)) best = r;
  return best?.epoch ?? null;
}

/** 'wasm backend, 2 threads, FMA' or 'js backend', for the first line of the output. */
function backendLabel(): string {
  const backend = getBackend();
  const threads = backend instanceof WasmBackend ? backend.threads : 1;
  const fma = backend instanceof WasmBackend && backend.build === 'fma' ? ', FMA' : '';
  return `${backend.name} backend${threads > 1 ? `, ${threads} threads` : ''}${fma}`;
}
