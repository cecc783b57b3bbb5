import { getBackend } from '../backend/registry.js';
import type { ReduceOp } from '../backend/backend.js';
import { record } from '../autograd/graph.js';
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { empty, floatData, floatDTypeOf } from './core.js';
import { add, applyBinary, div, exp, log, mul, sub } from './elementwise.js';
import { broadcastTo, reshape } from './shape-ops.js';
import { noGrad } from '../autograd/grad-mode.js';

/** Reductions over one, several or all axes, with NumPy's `keepdims`. */

/** Which axes to reduce: one, several, or (undefined) all. */
export type Axes = number | readonly number[] | undefined;

/** Options of the reductions (sum, mean, max, min, logsumexp, argmax, argmin), as NumPy's. */
export interface ReduceOptions {
  /** Keep reduced axes as size-1 dimensions (default false). */
  keepdims?: boolean;
}

/** Runs a reduction kernel over `axes`, one axis at a time, returning the keepdims shape. */
function reduceKernel(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  const dtype = floatDTypeOf(x, op);
  let data = floatData(x, op);
  const shape = [...x.shape];
  for (let i = axes.length - 1; i >= 0; i--) {
    const d = axes[i];
    const outer = sizeOf(shape.slice(0, d));
    const inner = sizeOf(shape.slice(d + 1));
    const next = getBackend().alloc(dtype, outer * inner);
    getBackend().reduce(op, data, next, outer, shape[d], inner);
    data = next;
    shape[d] = 1;
  }
  return new Tensor(data === x.data ? data.slice() : data, shape);
}

/** Σ over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes(axis, x.rank, 'sum');
  const kept = reduceKernel('sum', x, axes);
  const y = options.keepdims ? kept : reshape(kept, reducedShape(x.shape, axes, false));
  return record(y, 'sum', [x], (g) => [broadcastTo(reshape(g, kept.shape), x.shape)]);
}

/** Arithmetic mean over `axis` (all axes by default): Σ/count. */
export function mean(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes(axis, x.rank, 'mean');
  const count = axes.reduce((c, a) => c * x.shape[a], 1);
  return div(sum(x, axes, options), count);
}

function extremum(op: 'max' | 'min', x: Tensor, axis: Axes, options: ReduceOptions): Tensor {
  const axes = normalizeAxes(axis, x.rank, op);
  const kept = reduceKernel(op, x, axes);
  const y = options.keepdims ? kept : reshape(kept, reducedShape(x.shape, axes, false));
  return record(y, op, [x], (g) => {
    // The gradient goes to the extreme elements, split evenly among ties (as torch.amax does).
    const mask = applyBinary('eq', x, kept);
    const count = reduceKernel('sum', mask, axes);
    return [mul(div(mask, count), reshape(g, kept.shape))];
  });
}

/** Maximum over `axis` (all axes by default). */
export function max(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, axis, options);
}

/** Minimum over `axis` (all axes by default). */
export function min(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, axis, options);
}

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, options: ReduceOptions): Tensor {
  const data = floatData(x, op);
  if (axis === undefined) {
    const out = new Int32Array(1);
    getBackend().argReduce(op, data, out, 1, x.size, 1);
    return new Tensor(out, options.keepdims ? x.shape.map(() => 1) : []);
  }
  const a = normalizeAxis(axis, x.rank, op);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const out = getBackend().alloc('int32', outer * inner);
  getBackend().argReduce(op, data, out, outer, x.shape[a], inner);
  return new Tensor(out, reducedShape(x.shape, [a], options.keepdims ?? false));
}

/** Index of the maximum along `axis` (of the flattened tensor when omitted), as int32. First on ties. */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum('argmax', x, axis, options);
}

/** Index of the minimum along `axis`, as int32. */
export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum('argmin', x, axis, options);
}

/**
 * log Σ exp(x) over `axis`, computed stably as m + log Σ exp(x − m) with m the (constant) maximum;
 * its gradient is softmax(x).
 */
export function logsumexp(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes(axis, x.rank, 'logsumexp');
  // Infinite maxima would give inf − inf; shift by 0 there instead.
  const m = noGrad(() => {
    const raw = reduceKernel('max', x, axes);
    const finite = raw.data.map((v) => (Number.isFinite(v) ? v : 0));
    return new Tensor(finite, raw.shape);
  });
  const kept = add(log(sum(exp(sub(x, m)), axes, { keepdims: true })), m);
  return options.keepdims ? kept : reshape(kept, reducedShape(x.shape, axes, false));
}
