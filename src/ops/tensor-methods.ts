import { type BackwardOptions, backward } from '../autograd/engine.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from './core.js';
import * as ew from './elementwise.js';
import { logSoftmax, softmax } from './activations.js';
import { indexSelect } from './indexing.js';
import { matmul } from './matmul.js';
import { type Axes, type ReduceOptions, argmax, argmin, logsumexp, max, mean, min, sum } from './reduce.js';
import { broadcastTo, flatten, permute, reshape, slice, squeeze, transpose, unsqueeze } from './shape-ops.js';

/**
 * Method forms of the ops (`x.add(y).relu().sum()`), installed on Tensor's prototype. The tensor
 * layer defines the data structure; this file, in the ops layer, gives it arithmetic, so the
 * import direction stays downward.
 */
declare module '../tensor/tensor.js' {
  interface Tensor {
    /** this + other, broadcasting (see {@link add}). */
    add(other: TensorLike): Tensor;
    /** this − other, broadcasting. */
    sub(other: TensorLike): Tensor;
    /** this · other elementwise, broadcasting. */
    mul(other: TensorLike): Tensor;
    /** this / other elementwise, broadcasting. */
    div(other: TensorLike): Tensor;
    /** this raised to `exponent` elementwise. */
    pow(exponent: TensorLike): Tensor;
    /** Elementwise maximum with `other`. */
    maximum(other: TensorLike): Tensor;
    /** Elementwise minimum with `other`. */
    minimum(other: TensorLike): Tensor;
    /** −this. */
    neg(): Tensor;
    /** eˣ elementwise. */
    exp(): Tensor;
    /** Natural logarithm elementwise. */
    log(): Tensor;
    /** √x elementwise. */
    sqrt(): Tensor;
    /** |x| elementwise. */
    abs(): Tensor;
    /** x² elementwise. */
    square(): Tensor;
    /** σ(x) = 1/(1+e⁻ˣ), stable. */
    sigmoid(): Tensor;
    /** tanh(x). */
    tanh(): Tensor;
    /** max(x, 0). */
    relu(): Tensor;
    /** max(x, 0) + slope·min(x, 0). */
    leakyRelu(slope?: number): Tensor;
    /** log(1+eˣ), stable. */
    softplus(): Tensor;
    /** Limits values to [min, max]. */
    clamp(min?: number, max?: number): Tensor;
    /** softmax along `axis` (default last). */
    softmax(axis?: number): Tensor;
    /** log softmax along `axis` (default last), stable. */
    logSoftmax(axis?: number): Tensor;
    /** Matrix product with NumPy rules (see {@link matmul}). */
    matmul(other: Tensor): Tensor;
    /** Σ over `axis` (all by default). */
    sum(axis?: Axes, options?: ReduceOptions): Tensor;
    /** Mean over `axis` (all by default). */
    mean(axis?: Axes, options?: ReduceOptions): Tensor;
    /** Maximum over `axis`. */
    max(axis?: Axes, options?: ReduceOptions): Tensor;
    /** Minimum over `axis`. */
    min(axis?: Axes, options?: ReduceOptions): Tensor;
    /** log Σ exp over `axis`, stable. */
    logsumexp(axis?: Axes, options?: ReduceOptions): Tensor;
    /** Index of the maximum along `axis`, as int32. */
    argmax(axis?: number, options?: ReduceOptions): Tensor;
    /** Index of the minimum along `axis`, as int32. */
    argmin(axis?: number, options?: ReduceOptions): Tensor;
    /** Same data, new shape (one dimension may be -1). */
    reshape(shape: readonly number[]): Tensor;
    /** Flattens dimensions from `startAxis` on. */
    flatten(startAxis?: number): Tensor;
    /** Swaps two axes (the last two by default). */
    transpose(axis0?: number, axis1?: number): Tensor;
    /** Reorders axes. */
    permute(perm: readonly number[]): Tensor;
    /** Inserts a size-1 axis. */
    unsqueeze(axis: number): Tensor;
    /** Removes size-1 axes. */
    squeeze(axis?: number): Tensor;
    /** A strided sub-tensor (see {@link slice}). */
    slice(starts: readonly number[], ends?: readonly (number | undefined)[], steps?: readonly number[]): Tensor;
    /** Rows picked by `indices` along axis 0. */
    indexSelect(indices: Tensor | ArrayLike<number>): Tensor;
    /** Repeats along broadcast dimensions to reach `shape`. */
    broadcastTo(shape: readonly number[]): Tensor;
    /** this = other as 1/0. */
    eq(other: TensorLike): Tensor;
    /** this ≠ other as 1/0. */
    ne(other: TensorLike): Tensor;
    /** this < other as 1/0. */
    lt(other: TensorLike): Tensor;
    /** this ≤ other as 1/0. */
    le(other: TensorLike): Tensor;
    /** this > other as 1/0. */
    gt(other: TensorLike): Tensor;
    /** this ≥ other as 1/0. */
    ge(other: TensorLike): Tensor;
    /** Reverse-mode differentiation from this tensor (a scalar unless `gradOutput` is given). */
    backward(gradOutput?: Tensor, options?: BackwardOptions): void;
  }
}

const methods: ThisType<Tensor> & Partial<Record<keyof Tensor, unknown>> = {
  add(o: TensorLike) { return ew.add(this, o); },
  sub(o: TensorLike) { return ew.sub(this, o); },
  mul(o: TensorLike) { return ew.mul(this, o); },
  div(o: TensorLike) { return ew.div(this, o); },
  pow(e: TensorLike) { return ew.pow(this, e); },
  maximum(o: TensorLike) { return ew.maximum(this, o); },
  minimum(o: TensorLike) { return ew.minimum(this, o); },
  neg() { return ew.neg(this); },
  exp() { return ew.exp(this); },
  log() { return ew.log(this); },
  sqrt() { return ew.sqrt(this); },
  abs() { return ew.abs(this); },
  square() { return ew.square(this); },
  sigmoid() { return ew.sigmoid(this); },
  tanh() { return ew.tanh(this); },
  relu() { return ew.relu(this); },
  leakyRelu(slope?: number) { return ew.leakyRelu(this, slope); },
  softplus() { return ew.softplus(this); },
  clamp(lo?: number, hi?: number) { return ew.clamp(this, lo, hi); },
  softmax(axis?: number) { return softmax(this, axis); },
  logSoftmax(axis?: number) { return logSoftmax(this, axis); },
  matmul(o: Tensor) { return matmul(this, o); },
  sum(axis?: Axes, options?: ReduceOptions) { return sum(this, axis, options); },
  mean(axis?: Axes, options?: ReduceOptions) { return mean(this, axis, options); },
  max(axis?: Axes, options?: ReduceOptions) { return max(this, axis, options); },
  min(axis?: Axes, options?: ReduceOptions) { return min(this, axis, options); },
  logsumexp(axis?: Axes, options?: ReduceOptions) { return logsumexp(this, axis, options); },
  argmax(axis?: number, options?: ReduceOptions) { return argmax(this, axis, options); },
  argmin(axis?: number, options?: ReduceOptions) { return argmin(this, axis, options); },
  reshape(shape: readonly number[]) { return reshape(this, shape); },
  flatten(startAxis?: number) { return flatten(this, startAxis); },
  transpose(a0?: number, a1?: number) { return transpose(this, a0, a1); },
  permute(perm: readonly number[]) { return permute(this, perm); },
  unsqueeze(axis: number) { return unsqueeze(this, axis); },
  squeeze(axis?: number) { return squeeze(this, axis); },
  slice(starts: readonly number[], ends?: readonly (number | undefined)[], steps?: readonly number[]) { return slice(this, starts, ends, steps); },
  indexSelect(indices: Tensor | ArrayLike<number>) { return indexSelect(this, indices); },
  broadcastTo(shape: readonly number[]) { return broadcastTo(this, shape); },
  eq(o: TensorLike) { return ew.eq(this, o); },
  ne(o: TensorLike) { return ew.ne(this, o); },
  lt(o: TensorLike) { return ew.lt(this, o); },
  le(o: TensorLike) { return ew.le(this, o); },
  gt(o: TensorLike) { return ew.gt(this, o); },
  ge(o: TensorLike) { return ew.ge(this, o); },
  backward(gradOutput?: Tensor, options?: BackwardOptions) { backward(this, gradOutput, options); },
};

Object.assign(Tensor.prototype, methods);
