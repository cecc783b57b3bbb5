import { empty } from '../ops/core.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';

/**
 * Feature scaling fitted on the training split only: statistics are computed once by `fit` on the
 * training features and then applied unchanged to validation, test and prediction inputs, so no
 * information leaks from them into training. Columns are the features of `x` flattened per sample
 * (`[n, d]` or `[n, ...]`). Both scalers save as JSON next to the model.
 */

/** JSON form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  /** Marks a standard scaler. */
  type: 'standard';
  /** Column means μ, one per feature. */
  mean: number[];
  /** Column standard deviations σ (1 for constant columns), all > 0. */
  scale: number[];
}

/** JSON form of a fitted {@link MinMaxScaler}. */
export interface MinMaxScalerJSON {
  /** Marks a min–max scaler. */
  type: 'minmax';
  /** Column minima of the training features. */
  min: number[];
  /** Per column (max − min) / (hi − lo), or 1 for constant columns; all > 0. */
  scale: number[];
  /** The target interval [lo, hi]. */
  featureRange: [number, number];
}

/** JSON form of either fitted scaler; `type` tells which. */
export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;

/** Common shape of the scalers: an affine map per column, `z = (x − shift) / scale + offset`. */
abstract class AffineScaler {
  /** Per-column value subtracted first (mean or minimum); null until fitted. */
  protected shift: Float64Array | null = null;
  /** Per-column divisor, always > 0; null until fitted. */
  protected scale: Float64Array | null = null;
  /** Added after dividing: 0 for standardisation, `lo` for min–max scaling. */
  protected offset = 0;
  /** Class name for messages (not `constructor.name`, which minifiers rename). */
  protected readonly label: string;

  constructor(label: string) {
    this.label = label;
  }

  /** Computes the statistics of the columns of `x` (the training features); returns this. */
  abstract fit(x: Tensor): this;
  /** The fitted statistics as plain JSON (also what `JSON.stringify` writes); throws when not fitted. */
  abstract toJSON(): ScalerJSON;

  /** True once fitted (or restored from JSON). */
  get fitted(): boolean {
    return this.scale !== null;
  }

  /** Number of columns the scaler was fitted on. */
  get numFeatures(): number {
    return this.scale?.length ?? 0;
  }

  /** `x` scaled column by column with the fitted statistics (a new tensor, same shape and dtype). */
  transform(x: Tensor): Tensor {
    const [shift, scale] = this.stats(x, 'transform');
    const out = empty(x.shape, x.dtype);
    const d = scale.length;
    for (let i = 0; i < x.size; i++) out.data[i] = (x.data[i] - shift[i % d]) / scale[i % d] + this.offset;
    return out;
  }

  /** The inverse map: scaled values back to the original units (e.g. predicted regression targets). */
  inverseTransform(z: Tensor): Tensor {
    const [shift, scale] = this.stats(z, 'inverseTransform');
    const out = empty(z.shape, z.dtype);
    const d = scale.length;
    for (let i = 0; i < z.size; i++) out.data[i] = (z.data[i] - this.offset) * scale[i % d] + shift[i % d];
    return out;
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** `[shift, scale]`, after checking that the scaler is fitted and `x` has as many columns; `op` names the caller in errors. */
  protected stats(x: Tensor, op: string): [Float64Array, Float64Array] {
    const name = this.label;
    if (this.shift === null || this.scale === null) throw new ValueError(`${name}.${op}: call fit() on the training features first`);
    const d = columns(x, `${name}.${op}`);
    if (d !== this.scale.length) throw new ShapeError(`${name}.${op}: fitted on ${this.scale.length} features, got ${d} (shape ${formatShape(x.shape)})`);
    return [this.shift, this.scale];
  }
}

/**
 * Standardisation: `z = (x − μ) / σ` per column, with the training mean μ and the population
 * standard deviation σ (as scikit-learn). A constant column (σ = 0) is only centred (σ taken as 1).
 *
 * @example
 * const scaler = new StandardScaler().fit(train.x);
 * const trainZ = scaler.transform(train.x), valZ = scaler.transform(val.x);
 * const saved = JSON.stringify(scaler);  // → StandardScaler.fromJSON(JSON.parse(saved))
 */
export class StandardScaler extends AffineScaler {
  constructor() {
    super('StandardScaler');
  }

  fit(x: Tensor): this {
    const d = columns(x, 'StandardScaler.fit');
    const n = x.shape[0];
    if (n === 0) throw new ValueError('StandardScaler.fit: x has no samples');
    const mean = new Float64Array(d);
    const m2 = new Float64Array(d);
    for (let i = 0; i < x.size; i++) mean[i % d] += x.data[i];
    for (let j = 0; j < d; j++) mean[j] /= n;
    for (let i = 0; i < x.size; i++) m2[i % d] += (x.data[i] - mean[i % d]) ** 2;
    this.shift = mean;
    this.scale = m2.map((s) => {
      const std = Math.sqrt(s / n);
      return std > 0 ? std : 1;
    });
    return this;
  }

  /** The fitted column means μ. */
  get mean(): number[] {
    return Array.from(this.stats0().shift);
  }

  /** The fitted column standard deviations (1 for constant columns). */
  get std(): number[] {
    return Array.from(this.stats0().scale);
  }

  toJSON(): StandardScalerJSON {
    const { shift, scale } = this.stats0();
    return { type: 'standard', mean: Array.from(shift), scale: Array.from(scale) };
  }

  /** A fitted scaler restored from {@link StandardScaler.toJSON}'s output; throws a ValueError on a malformed object. */
  static fromJSON(json: StandardScalerJSON): StandardScaler {
    if (json?.type !== 'standard') throw new ValueError(`StandardScaler.fromJSON: expected type 'standard', got ${JSON.stringify(json?.type)}`);
    const s = new StandardScaler();
    [s.shift, s.scale] = checkVectors('StandardScaler.fromJSON', json.mean, json.scale);
    return s;
  }

  private stats0(): { shift: Float64Array; scale: Float64Array } {
    if (this.shift === null || this.scale === null) throw new ValueError('StandardScaler: not fitted yet');
    return { shift: this.shift, scale: this.scale };
  }
}

/**
 * Min–max scaling to `featureRange` (default [0, 1]): `z = lo + (x − min) / (max − min) · (hi − lo)`
 * with the training minimum and maximum. A constant column (max = min) maps to `lo`.
 */
export class MinMaxScaler extends AffineScaler {
  /** The interval [lo, hi] the training columns are mapped onto (default [0, 1]). */
  readonly featureRange: [number, number];

  constructor(options: { featureRange?: [number, number] } = {}) {
    super('MinMaxScaler');
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) throw new ValueError(`MinMaxScaler: featureRange must be [lo, hi] with finite lo < hi, got [${lo}, ${hi}]`);
    this.featureRange = [lo, hi];
    this.offset = lo;
  }

  fit(x: Tensor): this {
    const d = columns(x, 'MinMaxScaler.fit');
    if (x.shape[0] === 0) throw new ValueError('MinMaxScaler.fit: x has no samples');
    const min = new Float64Array(d).fill(Infinity);
    const max = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < x.size; i++) {
      min[i % d] = Math.min(min[i % d], x.data[i]);
      max[i % d] = Math.max(max[i % d], x.data[i]);
    }
    const [lo, hi] = this.featureRange;
    this.shift = min;
    // (x − min) / scale + lo with scale = (max − min) / (hi − lo).
    this.scale = min.map((m, j) => (max[j] > m ? (max[j] - m) / (hi - lo) : 1));
    return this;
  }

  toJSON(): MinMaxScalerJSON {
    if (this.shift === null || this.scale === null) throw new ValueError('MinMaxScaler: not fitted yet');
    return { type: 'minmax', min: Array.from(this.shift), scale: Array.from(this.scale), featureRange: [...this.featureRange] };
  }

  /** A fitted scaler restored from {@link MinMaxScaler.toJSON}'s output; throws a ValueError on a malformed object. */
  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    if (json?.type !== 'minmax') throw new ValueError(`MinMaxScaler.fromJSON: expected type 'minmax', got ${JSON.stringify(json?.type)}`);
    const s = new MinMaxScaler({ featureRange: json.featureRange });
    [s.shift, s.scale] = checkVectors('MinMaxScaler.fromJSON', json.min, json.scale);
    return s;
  }
}

/** Any fitted scaler. */
export type Scaler = StandardScaler | MinMaxScaler;

/** Restores either scaler from its JSON (dispatching on `type`). */
export function scalerFromJSON(json: ScalerJSON): Scaler {
  if (json?.type === 'standard') return StandardScaler.fromJSON(json);
  if (json?.type === 'minmax') return MinMaxScaler.fromJSON(json);
  throw new ValueError(`scalerFromJSON: unknown scaler type ${JSON.stringify((json as { type?: unknown })?.type)}; expected 'standard' or 'minmax'`);
}

function columns(x: Tensor, op: string): number {
  if (x.rank < 1) throw new ShapeError(`${op}: expected features of shape [n, ...], got a scalar`);
  if (x.dtype === 'int32') throw new ValueError(`${op}: expected floating features, got int32`);
  return x.rank === 1 ? 1 : sizeOf(x.shape.slice(1));
}

function checkVectors(op: string, shift: unknown, scale: unknown): [Float64Array, Float64Array] {
  const ok = (v: unknown): v is number[] => Array.isArray(v) && v.every((e) => typeof e === 'number' && Number.isFinite(e));
  if (!ok(shift) || !ok(scale) || shift.length !== scale.length || scale.some((s) => s <= 0)) {
    throw new ValueError(`${op}: expected two equally long arrays of finite numbers (scales > 0)`);
  }
  return [Float64Array.from(shift), Float64Array.from(scale)];
}
