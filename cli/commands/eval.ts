// `downhill eval <run> [data]`: the held-out report of a trained model on a CSV file, a bundled
// dataset, or (no data) the run's own test split, rebuilt from the saved config and seed. Given
// the training file itself (moved or not: it is recognised by its SHA-256), eval scores its
// held-out test rows, never the rows the model was trained on.
import { resolve } from 'node:path';
import { type Dataset, encodeCsv } from '../../src/index.js';
import { selectBackend, threadsFlag } from '../backend.js';
import { lossFunction } from '../class-weights.js';
import type { BackendName } from '../config.js';
import { isBundled, loadData, readTextFile, sha256 } from '../data-source.js';
import { CliError, note, warn } from '../errors.js';
import { heldOutReport } from '../evaluation.js';
import { formatReport, reportJson } from '../report-format.js';
import { loadSavedData } from '../saved-data.js';
import { splitData } from '../splits.js';
import { type TrainedRun, loadTrainedRun } from '../trained-run.js';

export interface EvalFlags {
  json?: boolean;
  decimal?: string;
  backend?: string;
  threads?: string;
}

export async function evalCommand(runPath: string, data: string | undefined, flags: EvalFlags): Promise<number> {
  await selectBackend((flags.backend ?? 'auto') as BackendName, threadsFlag(flags.threads));
  const run = loadTrainedRun(runPath);
  const { dataset, description, warnings } = data === undefined ? await testSplitOf(run, undefined, runPath) : await evaluationData(run, data, flags, runPath);
  run.prep.checkFeatures(dataset, data ?? run.config?.data ?? run.file);
  if (dataset.task !== run.prep.task) throw new CliError(`the data is a ${dataset.task} set but the model does ${run.prep.task}`, data);
  for (const w of warnings) warn(w);
  const report = heldOutReport(run.model, dataset, run.prep, lossFunction(run.loss, run.prep.classWeights));
  if (flags.json) {
    const { samples, ...rest } = reportJson(report);
    const { baseline, classes, averages, confusionMatrix } = rest;
    const json = { data: description, samples, metrics: report.metrics, baseline, ...(classes ? { classes, averages, confusionMatrix } : {}) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatReport(description, report)}\n`);
  }
  return 0;
}

interface EvaluationData {
  dataset: Dataset;
  description: string;
  warnings: string[];
}

/** The run's held-out test split, from the training file where it was or at `moved`. */
async function testSplitOf(run: TrainedRun, moved: string | undefined, runPath: string): Promise<EvaluationData> {
  const { config, info } = run;
  if (config === null || info === null) throw new CliError('the checkpoint holds no training run (a playground export?); pass a CSV file to evaluate on', run.file);
  if (config.testSplit <= 0) throw new CliError('the run has no test split (it was trained with --test-split 0); pass data to evaluate on', run.file);
  const loaded = await loadSavedData(config, info, moved, run.file, run.prep.encoding, `downhill eval ${runPath} <file>`);
  const split = splitData(loaded.dataset, config, loaded.name);
  if (moved) note(`${moved} is the data the run was trained on (the same SHA-256): scoring its held-out test split only, not the rows the model learnt from`);
  else if (loaded.name !== config.data) note(`the training data '${config.data}' was found at ${loaded.name}`);
  return { dataset: split.test, description: `held-out test split of ${moved ?? config.data}`, warnings: loaded.warnings };
}

async function evaluationData(run: TrainedRun, data: string, flags: EvalFlags, runPath: string): Promise<EvaluationData> {
  if (isBundled(data)) {
    const loaded = await loadData({ data, seed: run.config?.seed ?? 0 });
    return { dataset: loaded.dataset, description: loaded.name, warnings: [] };
  }
  const text = readTextFile(data, 'data file');
  const trained = run.info?.data;
  const hash = sha256(text);
  // The training file itself, wherever it is now: score its held-out rows only.
  if (trained?.sha256 && hash === trained.sha256) return testSplitOf(run, data, runPath);
  const encoded = encodeCsv(text, run.prep.encoding, { fileName: data, ...(flags.decimal ? { decimal: flags.decimal as '.' | ',' } : {}) });
  if (!encoded.dataset) {
    throw new CliError(`the file has no target column '${run.prep.encoding.target}', which eval needs (use predict for inputs without targets)`, data);
  }
  const warnings = [...encoded.warnings];
  if (trained && (data === run.config?.data || (trained.path !== undefined && resolve(data) === trained.path))) {
    warnings.push(`${data} has changed since the run was trained on it (its SHA-256 differs), so its held-out rows cannot be told apart: scoring all its rows, which may include training rows`);
  }
  return { dataset: encoded.dataset, description: data, warnings };
}
