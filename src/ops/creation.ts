import { getBackend } from '../backend/registry.js';
import { type DType, type FloatDType, type TypedArray, dtypeOf } from '../tensor/dtype.js';
import { RNG, defaultGenerator } from '../tensor/rng.js';
import { type Shape, checkShape, sizeOf } from '../tensor/shape.js';
import { type NestedArray, Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { requireFinite } from '../util/validate.js';
import { empty } from './core.js';

/** Creating tensors. Random ones take an explicit {@link RNG} (or the seeded default one). */

export interface CreateOptions {
  /** Element type (default float32; a typed array input keeps its own). */
  dtype?: DType;
  /** Whether `backward()` should compute this tensor's gradient. */
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the global one, seeded with `manualSeed`). */
  rng?: RNG;
}

/**
 * A tensor from nested arrays, a flat typed array (with `shape`), or a number.
 *
 * @example
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const v = tensor(new Float64Array([1, 2, 3]));   // dtype float64
 */
export function tensor(values: NestedArray | TypedArray | readonly number[], options: CreateOptions & { shape?: Shape } = {}): Tensor {
  if (ArrayBuffer.isView(values)) {
    const typed = values as TypedArray;
    const dtype = options.dtype ?? dtypeOf(typed);
    const shape = options.shape ?? [typed.length];
    checkShape(shape, 'tensor');
    if (sizeOf(shape) !== typed.length) throw new ShapeError(`tensor: ${typed.length} values do not fill shape [${shape.join(', ')}]`);
    // Every element is overwritten by the copy, so the block need not be zeroed first.
    const backend = getBackend();
    const data = backend.allocUninitialized ? backend.allocUninitialized(dtype, typed.length) : backend.alloc(dtype, typed.length);
    data.set(typed);
    return new Tensor(data, shape, options.requiresGrad ?? false);
  }
  const shape = inferShape(values as NestedArray);
  const data = getBackend().alloc(options.dtype ?? 'float32', sizeOf(shape));
  let at = 0;
  const fill = (v: NestedArray, depth: number): void => {
    if (typeof v === 'number') {
      data[at++] = v;
      return;
    }
    if (v.length !== shape[depth]) throw new ShapeError(`tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${v.length}`);
    for (const item of v) fill(item, depth + 1);
  };
  fill(values as NestedArray, 0);
  const finalShape = options.shape ?? shape;
  if (sizeOf(finalShape) !== data.length) throw new ShapeError(`tensor: ${data.length} values do not fill shape [${finalShape.join(', ')}]`);
  return new Tensor(data, finalShape, options.requiresGrad ?? false);
}

function inferShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  if (!Array.isArray(v) && typeof v !== 'number') throw new ValueError(`tensor: expected numbers or nested arrays, got ${typeof v}`);
  return shape;
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  checkShape(shape, 'full');
  const t = empty(shape, options.dtype ?? 'float32');
  if (value !== 0) t.data.fill(value);
  t.requireGrad(options.requiresGrad ?? false);
  return t;
}

/** Zeros of `shape`. */
export const zeros = (shape: Shape, options: CreateOptions = {}): Tensor => full(shape, 0, options);
/** Ones of `shape`. */
export const ones = (shape: Shape, options: CreateOptions = {}): Tensor => full(shape, 1, options);
/** Zeros shaped like `t` (same dtype unless given). */
export const zerosLike = (t: Tensor, options: CreateOptions = {}): Tensor => full(t.shape, 0, { dtype: t.dtype, ...options });
/** Ones shaped like `t`. */
export const onesLike = (t: Tensor, options: CreateOptions = {}): Tensor => full(t.shape, 1, { dtype: t.dtype, ...options });

/** The n×n identity matrix. */
export function eye(n: number, options: CreateOptions = {}): Tensor {
  const t = zeros([n, n], options);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

/** start, start+step, … up to but excluding `end`, as NumPy's arange. `arange(5)` is 0..4. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  requireFinite('arange start', from);
  requireFinite('arange end', to);
  if (!Number.isFinite(step) || step === 0) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((to - from) / step));
  const t = empty([n], options.dtype ?? 'float32');
  for (let i = 0; i < n; i++) t.data[i] = from + i * step;
  t.requireGrad(options.requiresGrad ?? false);
  return t;
}

/** `count` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, count: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(count) || count < 0) throw new ValueError(`linspace: count must be a non-negative integer, got ${count}`);
  const t = empty([count], options.dtype ?? 'float32');
  const step = count > 1 ? (end - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) t.data[i] = i === count - 1 && count > 1 ? end : start + i * step;
  t.requireGrad(options.requiresGrad ?? false);
  return t;
}

function randomFill(shape: Shape, options: RandomOptions, draw: (rng: RNG) => number, op: string): Tensor {
  checkShape(shape, op);
  const dtype: FloatDType = options.dtype === 'float64' ? 'float64' : 'float32';
  if (options.dtype === 'int32') throw new ValueError(`${op}: dtype must be float32 or float64`);
  const rng = options.rng ?? defaultGenerator();
  const t = empty(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = draw(rng);
  t.requireGrad(options.requiresGrad ?? false);
  return t;
}

/** Standard normal samples (mean 0, std 1), or N(mean, std²). */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  return randomFill(shape, options, (rng) => mean + std * rng.normal(), 'randn');
}

/** Uniform samples in [low, high) (default [0, 1)). */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low)) throw new ValueError(`rand: high must be ≥ low, got low=${low}, high=${high}`);
  return randomFill(shape, options, (rng) => rng.uniformRange(low, high), 'rand');
}

/** Uniform random integers in [0, high), as int32. */
export function randint(high: number, shape: Shape, options: { rng?: RNG } = {}): Tensor {
  checkShape(shape, 'randint');
  const rng = options.rng ?? defaultGenerator();
  const t = empty(shape, 'int32');
  for (let i = 0; i < t.size; i++) t.data[i] = rng.int(high);
  return t;
}
