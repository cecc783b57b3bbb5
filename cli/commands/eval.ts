// `downhill eval <run> [data]`: held-out metrics of a trained model on a CSV file, a bundled dataset,
// or (no data) the run's own test split, rebuilt from the saved config and seed.
import { type Dataset, encodeCsv } from '../../src/index.js';
import { selectBackend, threadsFlag } from '../backend.js';
import type { BackendName } from '../config.js';
import { isBundled, loadData, readTextFile } from '../data-source.js';
import { CliError } from '../errors.js';
import { heldOutMetrics } from '../evaluation.js';
import { formatCount, formatMetric } from '../format.js';
import { loadSavedData } from '../saved-data.js';
import { splitData } from '../splits.js';
import { type TrainedRun, loadTrainedRun } from '../trained-run.js';

export async function evalCommand(runPath: string, data: string | undefined, flags: { json?: boolean; backend?: string; threads?: string }): Promise<number> {
  await selectBackend((flags.backend ?? 'auto') as BackendName, threadsFlag(flags.threads));
  const run = loadTrainedRun(runPath);
  const { dataset, description } = data === undefined ? await testSplitOf(run) : await evaluationData(run, data);
  run.prep.checkFeatures(dataset, data ?? run.config?.data ?? run.file);
  if (dataset.task !== run.prep.task) throw new CliError(`the data is a ${dataset.task} set but the model does ${run.prep.task}`, data);
  const metrics = heldOutMetrics(run.model, dataset, run.prep, run.loss);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ data: description, samples: dataset.length, metrics }, null, 2)}\n`);
  } else {
    const line = Object.entries(metrics).map(([k, v]) => `${k} ${formatMetric(k, v)}`).join('  ');
    process.stdout.write(`${description} (${formatCount(dataset.length)} samples): ${line}\n`);
  }
  return 0;
}

async function testSplitOf(run: TrainedRun): Promise<{ dataset: Dataset; description: string }> {
  const { config, info } = run;
  if (config === null || info === null) throw new CliError('the checkpoint holds no training run (a playground export?); pass a CSV file to evaluate on', run.file);
  if (config.testSplit <= 0) throw new CliError('the run has no test split (it was trained with --test-split 0); pass data to evaluate on', run.file);
  const loaded = await loadSavedData(config, info, undefined, run.file);
  const split = splitData(loaded.dataset, config, loaded.name);
  return { dataset: split.test, description: `held-out test split of ${config.data}` };
}

async function evaluationData(run: TrainedRun, data: string): Promise<{ dataset: Dataset; description: string }> {
  if (isBundled(data)) {
    const loaded = await loadData({ data, seed: run.config?.seed ?? 0 });
    return { dataset: loaded.dataset, description: loaded.name };
  }
  const encoded = encodeCsv(readTextFile(data, 'data file'), run.prep.encoding, { fileName: data });
  if (!encoded.dataset) {
    throw new CliError(`the file has no target column '${run.prep.encoding.target}', which eval needs (use predict for inputs without targets)`, data);
  }
  return { dataset: encoded.dataset, description: data };
}
