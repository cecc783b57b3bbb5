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
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    square(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    leakyRelu(slope?: number): Tensor;
    softplus(): Tensor;
    clamp(min?: number, max?: number): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: Axes, options?: ReduceOptions): Tensor;
    mean(axis?: Axes, options?: ReduceOptions): Tensor;
    max(axis?: Axes, options?: ReduceOptions): Tensor;
    min(axis?: Axes, options?: ReduceOptions): Tensor;
    logsumexp(axis?: Axes, options?: ReduceOptions): Tensor;
    argmax(axis?: number, options?: ReduceOptions): Tensor;
    argmin(axis?: number, options?: ReduceOptions): Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(startAxis?: number): Tensor;
    transpose(axis0?: number, axis1?: number): Tensor;
    permute(perm: readonly number[]): Tensor;
    unsqueeze(axis: number): Tensor;
    squeeze(axis?: number): Tensor;
    slice(starts: readonly number[], ends?: readonly (number | undefined)[], steps?: readonly number[]): Tensor;
    indexSelect(indices: Tensor | ArrayLike<number>): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
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
