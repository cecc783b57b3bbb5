import { tensor } from '../ops/creation.js';
import type { RNG } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireFinite, requireInteger } from '../util/validate.js';
import { Dataset } from './dataset.js';
import { type RandomSource, resolveRng } from './sampler.js';

/**
 * Seeded synthetic datasets for teaching and tests. The same `seed` (or a generator in the same
 * state) gives the same data in Node and in the browser. Classification sets interleave their
 * classes (sample i has class i mod k), so every prefix is balanced.
 */
export interface SyntheticOptions extends RandomSource {
  /** Number of samples. */
  n?: number;
  /** Standard deviation of the Gaussian noise (see each generator for where it is added). */
  noise?: number;
}

export interface LinearRegressionOptions extends SyntheticOptions {
  /** True weights w (default [2, −3.4]); their count is the number of features. */
  w?: readonly number[];
  /** True bias b (default 4.2). */
  b?: number;
}

/** A linear-regression set together with the parameters that generated it. */
export interface LinearRegressionData {
  /** Features x ~ N(0, I) of shape `[n, w.length]`, targets y = x·w + b + ε of shape `[n, 1]`. */
  dataset: Dataset;
  /** The true weights. */
  w: number[];
  /** The true bias. */
  b: number;
}

function setup(options: SyntheticOptions, defaults: { n: number; noise: number }, op: string): { n: number; noise: number; rng: RNG } {
  const n = requireInteger(`${op} n`, options.n ?? defaults.n, 1);
  const noise = requireAtLeast(`${op} noise`, options.noise ?? defaults.noise, 0);
  return { n, noise, rng: resolveRng(options) };
}

function classification(name: string, x: Float32Array, labels: Int32Array, classes: number, featureCount = 2): Dataset {
  return new Dataset(x, labels, { task: 'classification', numClasses: classes, featureShape: [featureCount], name });
}

/**
 * The lecture's linear model: features x ~ N(0, I), targets ŷ = w₁x₁ + w₂x₂ + b plus Gaussian noise
 * ε ~ N(0, noise²). Defaults: n = 1000, w = [2, −3.4], b = 4.2, noise = 0.01.
 *
 * @example
 * const { dataset, w, b } = linearRegression({ seed: 0 });  // fit it and compare with w, b
 */
export function linearRegression(options: LinearRegressionOptions = {}): LinearRegressionData {
  const { n, noise, rng } = setup(options, { n: 1000, noise: 0.01 }, 'linearRegression');
  const w = [...(options.w ?? [2, -3.4])];
  if (w.length === 0) throw new ValueError('linearRegression: w must have at least one weight');
  w.forEach((v, i) => requireFinite(`linearRegression w[${i}]`, v));
  const b = requireFinite('linearRegression b', options.b ?? 4.2);
  const d = w.length;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      x[i * d + j] = v;
      sum += w[j] * v;
    }
    y[i] = sum + noise * rng.normal();
  }
  const dataset = new Dataset(x, tensor(y, { shape: [n, 1] }), { task: 'regression', featureShape: [d], name: 'linear' });
  return { dataset, w, b };
}

/**
 * XOR: points uniform in [−1, 1]², class 1 where x₁·x₂ < 0 (opposite signs), then Gaussian noise
 * (default 0.1) added to the coordinates. Default n = 200. Not linearly separable.
 */
export function xor(options: SyntheticOptions = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 200, noise: 0.1 }, 'xor');
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Draw until the point lies in the quadrant pattern that gives it label i mod 2 (balanced classes).
    let a = 0;
    let b = 0;
    do {
      a = rng.uniformRange(-1, 1);
      b = rng.uniformRange(-1, 1);
    } while (a * b === 0 || (a * b < 0 ? 1 : 0) !== i % 2);
    labels[i] = i % 2;
    x[2 * i] = a + noise * rng.normal();
    x[2 * i + 1] = b + noise * rng.normal();
  }
  return classification('xor', x, labels, 2);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on (cos t, sin t), class 1 on
 * (1 − cos t, 1/2 − sin t), t evenly spaced in [0, π], plus Gaussian noise (default 0.1). n = 200.
 */
export function twoMoons(options: SyntheticOptions = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 200, noise: 0.1 }, 'twoMoons');
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  const perClass = [Math.ceil(n / 2), Math.floor(n / 2)];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = (Math.PI * Math.floor(i / 2)) / Math.max(1, perClass[c] - 1);
    const [px, py] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    labels[i] = c;
    x[2 * i] = px + noise * rng.normal();
    x[2 * i + 1] = py + noise * rng.normal();
  }
  return classification('moons', x, labels, 2);
}

/**
 * Two concentric circles (scikit-learn's make_circles): class 0 on the unit circle, class 1 on a
 * circle of radius `factor` (default 0.5), plus Gaussian noise (default 0.05). n = 200.
 */
export function circles(options: SyntheticOptions & { factor?: number } = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 200, noise: 0.05 }, 'circles');
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new ValueError(`circles: factor must be in (0, 1), got ${factor}`);
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  const perClass = [Math.ceil(n / 2), Math.floor(n / 2)];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = (2 * Math.PI * Math.floor(i / 2)) / perClass[c];
    const r = c === 0 ? 1 : factor;
    labels[i] = c;
    x[2 * i] = r * Math.cos(t) + noise * rng.normal();
    x[2 * i + 1] = r * Math.sin(t) + noise * rng.normal();
  }
  return classification('circles', x, labels, 2);
}

/**
 * k interleaved spiral arms (CS231n's spiral data), one class per arm: radius r from 0 to 1 along
 * the arm, angle t = 4c + 4r plus Gaussian noise on the angle (default 0.2 rad), point
 * r·(sin t, cos t). Defaults: n = 300, classes = 3.
 */
export function spirals(options: SyntheticOptions & { classes?: number } = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 300, noise: 0.2 }, 'spirals');
  const k = requireInteger('spirals classes', options.classes ?? 3, 2);
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    const r = Math.floor(i / k) / Math.max(1, count - 1);
    const t = 4 * c + 4 * r + noise * rng.normal();
    labels[i] = c;
    x[2 * i] = r * Math.sin(t);
    x[2 * i + 1] = r * Math.cos(t);
  }
  return classification('spirals', x, labels, k);
}

/**
 * k Gaussian blobs (one class each) with standard deviation `noise` (default 1) around centres
 * spaced evenly on a circle of radius `radius` (default 4) in 2-D, or drawn uniformly from
 * [−radius, radius]^features in other dimensions. Defaults: n = 300, classes = 3, features = 2.
 */
export function gaussianBlobs(options: SyntheticOptions & { classes?: number; features?: number; radius?: number } = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 300, noise: 1 }, 'gaussianBlobs');
  const k = requireInteger('gaussianBlobs classes', options.classes ?? 3, 2);
  const d = requireInteger('gaussianBlobs features', options.features ?? 2, 1);
  const radius = requireAtLeast('gaussianBlobs radius', options.radius ?? 4, 0);
  const centers = Array.from({ length: k }, (_, c) =>
    d === 2 ? [radius * Math.cos((2 * Math.PI * c) / k), radius * Math.sin((2 * Math.PI * c) / k)] : Array.from({ length: d }, () => rng.uniformRange(-radius, radius)),
  );
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centers[c][j] + noise * rng.normal();
  }
  return classification('blobs', x, labels, k, d);
}

/**
 * A noisy sine for 1-D regression: x uniform in [−π, π] (sorted ascending), y = sin x + ε with
 * ε ~ N(0, noise²) (default 0.1). Default n = 100. Shapes: x `[n, 1]`, y `[n, 1]`.
 */
export function regression1d(options: SyntheticOptions = {}): Dataset {
  const { n, noise, rng } = setup(options, { n: 100, noise: 0.1 }, 'regression1d');
  const xs = Float64Array.from({ length: n }, () => rng.uniformRange(-Math.PI, Math.PI)).sort();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(xs[i]) + noise * rng.normal();
  return new Dataset(Float32Array.from(xs), tensor(y, { shape: [n, 1] }), { task: 'regression', featureShape: [1], name: 'sine' });
}
