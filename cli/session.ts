// Everything a training run needs, assembled and validated before any file is written: the split,
// fitted preprocessing, model, optimizer, schedule and stopping rules — fresh, or from a checkpoint.
import { resolve } from 'node:path';
import {
  type Checkpoint, type Dataset, type JsonValue, type LossFunction, type Module, type NamedOptimizer, type Schedule, type StoppingRule,
  type TrainingState, type WeightSnapshot, earlyStopping, moduleFromSpec, perEpoch, tolerance,
} from '../src/index.js';
import { lossFunction, resolveClassWeights } from './class-weights.js';
import { type TrainConfig, scheduleOf } from './config.js';
import type { LoadedData } from './data-source.js';
import { CliError } from './errors.js';
import { buildModel, buildOptimizer, checkModelSize, optimizerOptions, outputSize } from './model.js';
import { Preprocessor } from './preprocess.js';
import { buildSchedule } from './schedule.js';
import { splitData } from './splits.js';

/** What the checkpoint's `info` holds besides the library's fields. */
export interface RunInfo {
  tool: 'downhill';
  config: TrainConfig;
  /** The data: as given, its absolute path (to find it from another folder), its SHA-256 and rows. */
  data: { kind: 'csv' | 'bundled'; name: string; path?: string; sha256: string | null; samples: number };
  split: { train: number; val: number; test: number };
  finished: boolean;
  stopReason?: { rule: string; message: string; epoch: number };
  restoredEpoch?: number | null;
}

export interface Session {
  config: TrainConfig;
  loaded: LoadedData;
  prep: Preprocessor;
  /** Scaled training and validation data, as the model sees them. */
  train: Dataset;
  val: Dataset | null;
  /** The held-out test split, unscaled (metrics are computed in the data's units). */
  testRaw: Dataset | null;
  model: Module;
  /** The loss to train and evaluate with (class-weighted under --class-weight). */
  loss: LossFunction;
  optimizer: NamedOptimizer;
  schedule: { schedule: Schedule; unit: 'epoch' | 'batch' } | null;
  rules: StoppingRule[];
  /** Where a resumed run continues from. */
  resume: TrainingState | null;
}

/** Builds a session for a new run, or for continuing `checkpoint` (whose config is `config`). */
export function prepareSession(
  resolved: TrainConfig, loaded: LoadedData, from: { checkpoint: Checkpoint; file: string } | null, options: { batchSizeGiven?: boolean } = {},
): Session {
  const where = loaded.name;
  const split = splitData(loaded.dataset, resolved, where);
  const n = split.train.length;
  // The default batch size shrinks to a small training split; a requested one must fit.
  const config = !options.batchSizeGiven && resolved.batchSize !== 'full' && resolved.batchSize > n ? { ...resolved, batchSize: n } : resolved;
  if (config.batchSize !== 'full' && config.batchSize > n) {
    throw new CliError(`--batch-size ${config.batchSize} is larger than the training split (${n} samples); use at most ${n}, or 'full'`);
  }
  const prep = from
    ? Preprocessor.fromJSON(from.checkpoint.preprocessing, from.file)
    : Preprocessor.fit(split.train, loaded.encoding, config.scaler, resolveClassWeights(config.classWeight, split.train));
  const train = prep.dataset(split.train);
  const val = split.val.length > 0 ? prep.dataset(split.val) : null;
  const testRaw = split.test.length > 0 ? split.test : null;
  const outputs = outputSize(config, loaded.dataset.numClasses, loaded.dataset.task === 'regression' ? loaded.dataset.y.shape[1] : 0);

  const batchSize = config.batchSize === 'full' ? n : config.batchSize;
  const numBatches = Math.ceil(n / batchSize);
  const schedule = buildSchedule(scheduleOf(config), config.lr, config.epochs, numBatches);
  // The learning rate is given once, to the optimizer (a fresh one and one resumed alike).
  const lr = schedule === null ? config.lr : schedule.unit === 'batch' ? schedule.schedule : perEpoch(schedule.schedule, numBatches);

  let model: Module;
  let optimizer: NamedOptimizer;
  let resume: TrainingState | null = null;
  if (from) {
    const { checkpoint, file } = from;
    if (!checkpoint.training) throw new CliError('the checkpoint has no training state to resume from', file);
    if (!checkpoint.optimizer) throw new CliError('the checkpoint has no optimizer state to resume from', file);
    try {
      model = moduleFromSpec(checkpoint.modelSpec as JsonValue);
      // Training goes on from the last epoch's weights, not from the best ones a rule put back.
      model.loadStateDict(checkpoint.trainingWeights ?? checkpoint.weights);
      optimizer = buildOptimizer(config, model, lr);
      optimizer.loadStateDict(checkpoint.optimizer.state);
    } catch (e) {
      throw new CliError(`cannot resume from the checkpoint: ${(e as Error).message}`, file);
    }
    resume = checkpoint.training;
  } else {
    checkModelSize(config, train.numFeatures, outputs, batchSize);
    model = buildModel(config, train.numFeatures, outputs);
    optimizer = buildOptimizer(config, model, lr);
  }

  const rules: StoppingRule[] = [];
  if (config.patience !== null) {
    // With validation data the best epoch's weights come back at the end, whatever ended training;
    // fit keeps them in the training state, so they survive --resume.
    rules.push(val
      ? earlyStopping({ monitor: 'valLoss', patience: config.patience, restoreBestWeights: true })
      : tolerance({ monitor: 'loss', patience: config.patience, tol: 1e-4 }));
  }
  const loss = lossFunction(config.loss, prep.classWeights);
  return { config, loaded, prep, train, val, testRaw, model, loss, optimizer, schedule, rules, resume };
}

/**
 * The checkpoint of a session's current state; `trainingWeights` are the last epoch's weights when
 * the model holds others (the best epoch's, put back at the end).
 */
export function checkpointOf(s: Session, state: TrainingState | undefined, extra: Partial<RunInfo> = {}, trainingWeights?: WeightSnapshot): Checkpoint {
  const path = s.loaded.kind === 'csv' ? { path: resolve(s.loaded.name) } : {};
  const info: RunInfo = {
    tool: 'downhill',
    config: s.config,
    data: { kind: s.loaded.kind, name: s.loaded.name, ...path, sha256: s.loaded.sha256, samples: s.loaded.dataset.length },
    split: { train: s.train.length, val: s.val?.length ?? 0, test: s.testRaw?.length ?? 0 },
    finished: false,
    ...extra,
  };
  return {
    modelSpec: s.model.toSpec(),
    weights: s.model.stateDict(),
    ...(trainingWeights ? { trainingWeights } : {}),
    optimizer: { name: s.config.optimizer, options: optimizerOptions(s.config), state: s.optimizer.stateDict() },
    preprocessing: s.prep.toJSON() as unknown as JsonValue,
    ...(state ? { training: state } : {}),
    info: info as unknown as JsonValue,
  };
}
