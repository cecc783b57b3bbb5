import { castTo } from '../ops/core.js';
import { tensor } from '../ops/creation.js';
import { indexSelect, toIndexArray } from '../ops/indexing.js';
import { reshape } from '../ops/shape-ops.js';
import type { TypedArray } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { type NestedArray, Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';
import { requireInteger, requireOneOf } from '../util/validate.js';
import { labelsFromValues } from './labels.js';

/** What the targets mean: real values to fit, or class labels to predict. */
export type Task = 'regression' | 'classification';

/** Features, targets, or a batch of either, as accepted by {@link Dataset}. */
export type DataSource = Tensor | TypedArray | NestedArray | readonly number[];

/** Descriptive information carried by a {@link Dataset} (kept by `subset`, splits and loaders). */
export interface DatasetInfo {
  /** Default: classification when the targets are int32 (an `Int32Array` or int32 tensor), else regression. */
  task?: Task;
  /** Number of classes (classification; default `classNames.length`, else the largest label + 1). */
  numClasses?: number;
  /** One name per feature column (default `x1`, `x2`, …). */
  featureNames?: readonly string[];
  /** One name per class, label i ↔ `classNames[i]` (default `'0'`, `'1'`, …). */
  classNames?: readonly string[];
  /** One name per regression target column (default `y`, or `y1`, `y2`, … for several). */
  targetNames?: readonly string[];
  /** A short name for messages and plots. */
  name?: string;
}

export interface DatasetOptions extends DatasetInfo {
  /** Shape of one sample's features when `x` is given flat (default: `[x.length / n]`). */
  featureShape?: readonly number[];
}

/** A mini-batch: the rows `indices` of a dataset. */
export interface Batch {
  /** Features, `[size, ...featureShape]`. */
  x: Tensor;
  /** Targets: float `[size, k]` (regression) or int32 `[size]` labels (classification). */
  y: Tensor;
  /** Which dataset rows these are. */
  indices: Int32Array;
  /** Number of samples in the batch. */
  size: number;
}

/**
 * A supervised dataset: features `x` (`[n, ...]`, floating) and targets `y` — float `[n, k]` for
 * regression, int32 `[n]` class labels for classification — plus names for columns and classes.
 *
 * @example
 * const ds = new Dataset([[0, 0], [0, 1], [1, 0], [1, 1]], new Int32Array([0, 1, 1, 0]));
 * ds.task;                // 'classification'
 * ds.batch([0, 3]).y;     // int32 [0, 0]
 */
export class Dataset {
  /** Features, `[n, ...featureShape]`, float32 or float64 (a rank-1 input becomes `[n, 1]`). */
  readonly x: Tensor;
  /** Targets: float `[n, k]` (regression) or int32 `[n]` labels in 0…numClasses−1 (classification). */
  readonly y: Tensor;
  /** Whether `y` holds regression targets or class labels. */
  readonly task: Task;
  /** Number of classes for classification; 0 for regression. */
  readonly numClasses: number;
  /** One name per feature value (`numFeatures` of them; default `x1`, `x2`, …). */
  readonly featureNames: readonly string[];
  /** Class names (classification); empty for regression. */
  readonly classNames: readonly string[];
  /** Target column names (regression); empty for classification. */
  readonly targetNames: readonly string[];
  /** A short name for messages and plots (default `'dataset'`). */
  readonly name: string;

  constructor(x: DataSource, y: DataSource, options: DatasetOptions = {}) {
    const task = options.task === undefined ? inferTask(y) : requireOneOf('Dataset task', options.task, ['regression', 'classification'] as const);
    this.y = task === 'classification' ? toLabels(y) : toRegressionTargets(y);
    this.x = toFeatures(x, this.y.shape[0], options.featureShape);
    if (this.x.shape[0] !== this.y.shape[0]) {
      throw new ShapeError(`Dataset: x has ${this.x.shape[0]} samples (shape ${formatShape(this.x.shape)}) but y has ${this.y.shape[0]} (shape ${formatShape(this.y.shape)})`);
    }
    this.task = task;
    this.name = options.name ?? 'dataset';
    const d = this.numFeatures;
    this.featureNames = Object.freeze(checkNames('featureNames', options.featureNames, d) ?? numbered('x', d));
    if (task === 'classification') {
      this.numClasses = resolveNumClasses(this.y, options);
      this.classNames = Object.freeze(checkNames('classNames', options.classNames, this.numClasses) ?? numbered('', this.numClasses, 0));
      this.targetNames = Object.freeze([]);
    } else {
      this.numClasses = 0;
      const k = this.y.shape[1];
      this.classNames = Object.freeze([]);
      this.targetNames = Object.freeze(checkNames('targetNames', options.targetNames, k) ?? (k === 1 ? ['y'] : numbered('y', k)));
    }
  }

  /** Number of samples. */
  get length(): number {
    return this.x.shape[0];
  }

  /** Shape of one sample's features (`[4]` for Iris, `[784]` for flattened MNIST). */
  get featureShape(): readonly number[] {
    return this.x.shape.slice(1);
  }

  /** Number of feature values per sample (the product of `featureShape`). */
  get numFeatures(): number {
    return sizeOf(this.x.shape.slice(1));
  }

  /** Width of a model's output layer: targets per sample (regression) or `numClasses`. */
  get outputSize(): number {
    return this.task === 'classification' ? this.numClasses : this.y.shape[1];
  }

  /** The descriptive information, for building a related dataset. */
  get info(): DatasetInfo {
    return { task: this.task, numClasses: this.task === 'classification' ? this.numClasses : undefined, featureNames: this.featureNames, classNames: this.classNames, targetNames: this.targetNames, name: this.name };
  }

  /** The rows `indices` (gathered with `indexSelect`; rows may repeat). */
  batch(indices: ArrayLike<number> | Tensor): Batch {
    const idx = toIndexArray(indices, this.length, `${this.name}.batch`);
    return { x: indexSelect(this.x, idx), y: indexSelect(this.y, idx), indices: idx, size: idx.length };
  }

  /** A new dataset of the rows `indices`, with the same names and task. */
  subset(indices: ArrayLike<number> | Tensor): Dataset {
    const b = this.batch(indices);
    return new Dataset(b.x, b.y, this.info);
  }

  /** The same targets and names with new features (e.g. scaled ones); same number of samples. */
  withFeatures(x: Tensor): Dataset {
    const names = sizeOf(x.shape.slice(1)) === this.numFeatures ? this.featureNames : undefined;
    return new Dataset(x, this.y, { ...this.info, featureNames: names });
  }

  /** The same features and names with new regression targets (e.g. scaled ones). */
  withTargets(y: Tensor): Dataset {
    return new Dataset(this.x, y, this.info);
  }

  /** Samples per class (classification), indexed by label. */
  classCounts(): number[] {
    if (this.task !== 'classification') throw new ValueError(`${this.name}.classCounts: only classification datasets have classes`);
    const counts = new Array<number>(this.numClasses).fill(0);
    for (const label of this.y.data) counts[label]++;
    return counts;
  }

  /** A one-line summary: name, sample count, feature shape, task and classes or targets. */
  toString(): string {
    const kind = this.task === 'classification' ? `${this.numClasses} classes` : `${this.y.shape[1]} target(s)`;
    return `Dataset(${this.name}: ${this.length} samples, features ${formatShape(this.featureShape)}, ${this.task}, ${kind})`;
  }

  /**
   * A dataset from plain objects, one per sample: the `features` fields become columns of `x`
   * (they must be numbers); the `target` field becomes `y`. String targets (or `task:
   * 'classification'`) make class labels, numbered in sorted order of their values; several
   * target fields make a multi-output regression.
   *
   * @example
   * Dataset.fromRecords([{ area: 50, rooms: 2, price: 210 }, { area: 80, rooms: 3, price: 320 }],
   *   { features: ['area', 'rooms'], target: 'price' });
   */
  static fromRecords(records: readonly Readonly<Record<string, unknown>>[], options: { features: readonly string[]; target: string | readonly string[]; task?: Task; classNames?: readonly string[]; name?: string }): Dataset {
    const { features } = options;
    const targets = typeof options.target === 'string' ? [options.target] : [...options.target];
    if (records.length === 0) throw new ValueError('Dataset.fromRecords: records is empty');
    if (features.length === 0 || targets.length === 0) throw new ValueError('Dataset.fromRecords: give at least one feature and one target field');
    const number = (i: number, field: string): number => {
      const v = records[i][field];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValueError(`Dataset.fromRecords: record ${i} field '${field}' must be a finite number, got ${JSON.stringify(v)}`);
      }
      return v;
    };
    const x = new Float32Array(records.length * features.length);
    records.forEach((_, i) => features.forEach((f, j) => (x[i * features.length + j] = number(i, f))));
    const base = { featureNames: features, name: options.name, featureShape: [features.length] };
    const stringTarget = targets.length === 1 && records.some((r) => typeof r[targets[0]] === 'string');
    if (options.task === 'classification' || (options.task === undefined && stringTarget)) {
      if (targets.length !== 1) throw new ValueError('Dataset.fromRecords: classification takes exactly one target field');
      const values = records.map((r, i) => {
        const v = r[targets[0]];
        if (typeof v !== 'string' && typeof v !== 'number') throw new ValueError(`Dataset.fromRecords: record ${i} target '${targets[0]}' must be a string or number, got ${JSON.stringify(v)}`);
        return String(v);
      });
      const { labels, classNames } = labelsFromValues(values, options.classNames, 'Dataset.fromRecords');
      return new Dataset(x, labels, { ...base, task: 'classification', classNames });
    }
    const y = new Float32Array(records.length * targets.length);
    records.forEach((_, i) => targets.forEach((t, j) => (y[i * targets.length + j] = number(i, t))));
    return new Dataset(x, tensor(y, { shape: [records.length, targets.length] }), { ...base, task: 'regression', targetNames: targets });
  }
}

function inferTask(y: DataSource): Task {
  return y instanceof Int32Array || (y instanceof Tensor && y.dtype === 'int32') ? 'classification' : 'regression';
}

function asTensor(v: DataSource, dtype: 'float32' | 'float64'): Tensor {
  if (v instanceof Tensor) return v;
  if (ArrayBuffer.isView(v)) return tensor(v as TypedArray);
  return tensor(v as NestedArray, { dtype });
}

function toLabels(y: DataSource): Tensor {
  // Plain arrays go through float64 so a non-integer label is reported, not truncated.
  let t = asTensor(y, 'float64');
  if (t.rank === 2 && t.shape[1] === 1) t = reshape(t, [t.shape[0]]);
  if (t.rank !== 1) throw new ShapeError(`Dataset: classification targets must be class labels of shape [n], got ${formatShape(t.shape)}`);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`Dataset: class label at position ${i} must be an integer ≥ 0, got ${v}`);
  }
  return t.dtype === 'int32' ? t.detach() : castTo(t.detach(), 'int32');
}

function toRegressionTargets(y: DataSource): Tensor {
  let t = asTensor(y, 'float32').detach();
  if (t.dtype === 'int32') t = castTo(t, 'float32');
  if (t.rank === 1) t = reshape(t, [t.shape[0], 1]);
  if (t.rank !== 2) throw new ShapeError(`Dataset: regression targets must have shape [n] or [n, k], got ${formatShape(t.shape)}`);
  checkFinite(t, 'y');
  return t;
}

function toFeatures(x: DataSource, n: number, featureShape: readonly number[] | undefined): Tensor {
  let t: Tensor;
  if (ArrayBuffer.isView(x)) {
    const flat = x as TypedArray;
    const shape = featureShape ?? [n === 0 ? 0 : flat.length / n];
    if (!shape.every(Number.isInteger) || n * sizeOf(shape) !== flat.length) {
      throw new ShapeError(`Dataset: ${flat.length} feature values do not make ${n} samples of shape ${formatShape(shape)}`);
    }
    t = tensor(flat, { shape: [n, ...shape] });
  } else {
    t = asTensor(x, 'float32').detach();
    if (featureShape !== undefined) t = reshape(t, [t.shape[0], ...featureShape]);
  }
  if (t.rank === 0) throw new ShapeError('Dataset: features must have shape [n, ...], got a scalar');
  if (t.rank === 1) t = reshape(t, [t.shape[0], 1]);
  if (t.dtype === 'int32') t = castTo(t, 'float32');
  checkFinite(t, 'x');
  return t;
}

function checkFinite(t: Tensor, what: string): void {
  for (let i = 0; i < t.size; i++) {
    if (!Number.isFinite(t.data[i])) throw new ValueError(`Dataset: ${what} has a non-finite value ${t.data[i]} at flat position ${i}`);
  }
}

function resolveNumClasses(y: Tensor, options: DatasetOptions): number {
  let maxLabel = -1;
  for (const v of y.data) maxLabel = Math.max(maxLabel, v);
  const k = options.numClasses ?? options.classNames?.length ?? maxLabel + 1;
  requireInteger('Dataset numClasses', k, 1);
  if (maxLabel >= k) throw new ValueError(`Dataset: class label ${maxLabel} is out of range for numClasses = ${k}`);
  return k;
}

function checkNames(what: string, names: readonly string[] | undefined, count: number): string[] | undefined {
  if (names === undefined) return undefined;
  if (names.length !== count) throw new ValueError(`Dataset: ${what} has ${names.length} names, expected ${count}`);
  return [...names];
}

function numbered(prefix: string, count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + from}`);
}
