// Fitted preprocessing: feature scaling (and, for regression, target standardisation), fitted on the
// training split only, saved in the checkpoint and applied unchanged to validation, test and new data.
import {
  type CsvEncoding, type Dataset, MinMaxScaler, type Scaler, type ScalerJSON, StandardScaler, type Tensor, scalerFromJSON,
} from '../src/index.js';
import type { ScalerName } from './config.js';
import { CliError } from './errors.js';

/** The JSON saved as the checkpoint's `preprocessing`. */
export interface PreprocessingJSON {
  task: 'regression' | 'classification';
  featureNames: string[];
  classNames: string[];
  targetNames: string[];
  /** Feature scaler fitted on the training split (null: none). */
  scaler: ScalerJSON | null;
  /** Regression: standardisation of the targets (the model predicts scaled targets). */
  targetScaler: ScalerJSON | null;
  /** How CSV columns map to features (also for bundled data: their feature names as columns). */
  csvEncoding: CsvEncoding;
  /** `--class-weight` resolved against the training split's classes (null: unweighted). */
  classWeights?: number[] | null;
  /** What the baselines predict: the training split's class counts, or its mean target. */
  baseline?: Baseline;
}

/** The training split's statistics that the reports' baselines predict from. */
export interface Baseline {
  /** Classification: rows of each class in the training split (the majority class is the baseline). */
  classCounts?: number[];
  /** Regression: the training split's mean of each target column. */
  targetMean?: number[];
}

export class Preprocessor {
  constructor(
    readonly task: 'regression' | 'classification',
    readonly encoding: CsvEncoding,
    readonly featureNames: readonly string[],
    readonly classNames: readonly string[],
    readonly targetNames: readonly string[],
    private readonly scaler: Scaler | null,
    private readonly targetScaler: Scaler | null,
    readonly classWeights: number[] | null = null,
    readonly baseline: Baseline = {},
  ) {}

  /** Fits the scalers on the training split and keeps its statistics for the baselines. */
  static fit(train: Dataset, encoding: CsvEncoding, scaler: ScalerName, classWeights: number[] | null = null): Preprocessor {
    const x = scaler === 'standard' ? new StandardScaler().fit(train.x) : scaler === 'minmax' ? new MinMaxScaler().fit(train.x) : null;
    const y = train.task === 'regression' && scaler !== 'none' ? new StandardScaler().fit(train.y) : null;
    return new Preprocessor(train.task, encoding, train.featureNames, train.classNames, train.targetNames, x, y, classWeights, baselineOf(train));
  }

  static fromJSON(json: unknown, where: string): Preprocessor {
    const p = json as PreprocessingJSON | null;
    if (!p || typeof p !== 'object' || !p.csvEncoding || !Array.isArray(p.featureNames)) {
      throw new CliError('the checkpoint has no preprocessing information (was it written by `downhill train`?)', where);
    }
    return new Preprocessor(
      p.task, p.csvEncoding, p.featureNames, p.classNames ?? [], p.targetNames ?? [],
      p.scaler ? scalerFromJSON(p.scaler) : null, p.targetScaler ? scalerFromJSON(p.targetScaler) : null,
      p.classWeights ?? null, p.baseline ?? {},
    );
  }

  toJSON(): PreprocessingJSON {
    return {
      task: this.task, featureNames: [...this.featureNames], classNames: [...this.classNames], targetNames: [...this.targetNames],
      scaler: this.scaler?.toJSON() ?? null, targetScaler: this.targetScaler?.toJSON() ?? null, csvEncoding: this.encoding,
      classWeights: this.classWeights, baseline: this.baseline,
    };
  }

  /** Scaled features. */
  inputs(x: Tensor): Tensor {
    return this.scaler ? this.scaler.transform(x) : x;
  }

  /** A dataset as the model trains on it: scaled features (and scaled regression targets). */
  dataset(raw: Dataset): Dataset {
    const scaled = raw.withFeatures(this.inputs(raw.x));
    return this.targetScaler ? scaled.withTargets(this.targetScaler.transform(raw.y)) : scaled;
  }

  /** Model outputs back in the targets' units (regression); classification outputs unchanged. */
  outputsToTargets(outputs: Tensor): Tensor {
    return this.targetScaler ? this.targetScaler.inverseTransform(outputs) : outputs;
  }

  /** Checks that a dataset matches the features the model was trained on. */
  checkFeatures(ds: Dataset, where: string): void {
    if (ds.numFeatures !== this.featureNames.length) {
      throw new CliError(`the data has ${ds.numFeatures} features but the model was trained on ${this.featureNames.length}`, where);
    }
  }
}

/** Class counts (classification) or per-column target means (regression) of the training split. */
function baselineOf(train: Dataset): Baseline {
  if (train.task === 'classification') return { classCounts: train.classCounts() };
  const [n, k] = train.y.shape;
  const means = new Array<number>(k).fill(0);
  const y = train.y.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) means[j] += y[i * k + j] / n;
  return { targetMean: means };
}
