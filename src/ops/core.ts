import { getBackend } from '../backend/registry.js';
import { type DType, type FloatArray, type FloatDType, isFloat, promoteFloat } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DTypeError } from '../util/errors.js';
import { record } from '../autograd/graph.js';

/** A tensor or a plain number (broadcast as a scalar of the other operand's dtype). */
export type TensorLike = Tensor | number;

/** A fresh zero-filled tensor from the active backend. */
export function empty(shape: Shape, dtype: DType = 'float32'): Tensor {
  return new Tensor(getBackend().alloc(dtype, sizeOf(shape)), shape);
}

/**
 * A fresh tensor for an op's output that its kernel overwrites entirely: its elements may hold
 * anything until then (the backend skips zero-filling when it can).
 */
export function emptyForOutput(shape: Shape, dtype: DType = 'float32'): Tensor {
  const backend = getBackend();
  const size = sizeOf(shape);
  return new Tensor(backend.allocUninitialized ? backend.allocUninitialized(dtype, size) : backend.alloc(dtype, size), shape);
}

/** The typed array of a floating tensor, or a clear error naming the op. */
export function floatData(t: Tensor, op: string): FloatArray {
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a floating tensor (float32 or float64), got ${t.dtype}`);
  return t.data as FloatArray;
}

/** The floating dtype of `t`, or a clear error naming the op. */
export function floatDTypeOf(t: Tensor, op: string): FloatDType {
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a floating tensor (float32 or float64), got ${t.dtype}`);
  return t.dtype;
}

/** Scalar tensor holding `value`. */
export function scalarTensor(value: number, dtype: FloatDType): Tensor {
  const data = getBackend().alloc(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Turns a pair of operands into tensors of one floating dtype (the wider, as NumPy does). */
export function coercePair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor, FloatDType] {
  if (typeof a === 'number' && typeof b === 'number') {
    return [scalarTensor(a, 'float32'), scalarTensor(b, 'float32'), 'float32'];
  }
  if (typeof a === 'number') {
    const dt = floatDTypeOf(b as Tensor, op);
    return [scalarTensor(a, dt), b as Tensor, dt];
  }
  if (typeof b === 'number') {
    const dt = floatDTypeOf(a, op);
    return [a, scalarTensor(b, dt), dt];
  }
  const dt = promoteFloat(floatDTypeOf(a, op), floatDTypeOf(b, op));
  return [a, b, dt];
}

/**
 * `t` converted to `dtype` (the same tensor when it already has it). Between floating dtypes the
 * gradient flows back, cast to the input's dtype by the engine.
 */
export function castTo(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = empty(t.shape, dtype);
  out.data.set(t.data);
  return isFloat(dtype) ? record(out, 'castTo', [t], (g) => [g]) : out;
}
