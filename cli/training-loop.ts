// A prepared training session run to its end: fit with a checkpoint after every epoch, Ctrl-C
// handling, then the held-out report, the charts and summary.json.
import {
  type Callback, type EpochRecord, type History, type TrainingState, type WeightSnapshot, WasmBackend, encodeCheckpoint, fit, getBackend,
  snapshotWeights,
} from '../src/index.js';
import { EXIT_INTERRUPTED } from './errors.js';
import { type HeldOutReport, heldOutReport } from './evaluation.js';
import { formatCount, formatSeconds } from './format.js';
import { CHART_UNAVAILABLE, renderLossChart } from './loss-chart.js';
import { ProgressReporter } from './progress.js';
import { renderConfusionChart, renderPredictionChart } from './report-charts.js';
import { formatReport, reportJson } from './report-format.js';
import type { RunFolder } from './run-folder.js';
import { type Session, checkpointOf } from './session.js';

/** Trains `s`, writing into `folder`; resolves to the exit code. */
export async function runTraining(s: Session, folder: RunFolder, quiet: boolean, started: number): Promise<number> {
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
  // The weights of the last saved epoch: a resumed run goes on from them even when a stopping rule
  // puts the best epoch's back at the end.
  let lastWeights: WeightSnapshot | undefined;
  let lastChart = -Infinity;
  // False once a chart could not be drawn (the optional package echarts is missing).
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
      lastWeights = snapshotWeights(s.model);
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
      loss: s.loss,
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
  const info = { finished: true, stopReason: history.stopReason, restoredEpoch };
  folder.writeCheckpoint(encodeCheckpoint(checkpointOf(s, lastState, info, history.restoredEpoch !== undefined ? lastWeights : undefined)));
  await drawChart(records);

  const test = s.testRaw ? heldOutReport(s.model, s.testRaw, s.prep, s.loss) : null;
  if (test && !(await writeReportCharts(folder, test, `${config.data}: held-out test split`, s.config.target ?? s.prep.targetNames[0] ?? 'target'))) charted = false;
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
    test: test ? reportJson(test) : null,
    classWeights: s.prep.classWeights,
    samples: { train: s.train.length, val: s.val?.length ?? 0, test: s.testRaw?.length ?? 0 },
    runtimeSeconds: (performance.now() - started) / 1000,
    trainingSeconds: trainingMs / 1000,
    samplesPerSec: pureMs > 0 ? (s.train.length * records.length * 1000) / pureMs : 0,
    runFolder: folder.path,
  };
  folder.writeJson('summary', summary);

  const lines = [`stopped after epoch ${history.stopReason.epoch}: ${history.stopReason.message}`];
  if (restoredEpoch !== null) lines.push(`restored the weights of epoch ${restoredEpoch} (${history.stopReason.rule === 'divergence' ? 'lowest training loss before diverging' : 'best validation loss'})`);
  lines.push(test ? formatReport('test', test) : 'no test split (--test-split 0): no held-out metrics');
  lines.push(`${formatSeconds(summary.runtimeSeconds * 1000)} in all, ${formatCount(summary.samplesPerSec)} samples/s`);
  if (!charted) lines.push(CHART_UNAVAILABLE);
  lines.push(`run folder: ${folder.path}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** confusion.svg for classification, predictions.svg for regression; false where a chart needed the missing echarts. */
export async function writeReportCharts(folder: RunFolder, r: HeldOutReport, title: string, target: string): Promise<boolean> {
  if (r.confusionMatrix && r.classes) folder.writeChart(renderConfusionChart(r.confusionMatrix, r.classes.map((c) => c.name), title), 'confusion');
  if (r.points) {
    const svg = await renderPredictionChart(r.points.actual, r.points.predicted, title, target);
    if (svg === null) return false;
    folder.writeChart(svg, 'predictions');
  }
  return true;
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
