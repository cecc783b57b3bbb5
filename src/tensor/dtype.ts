import { DTypeError } from '../util/errors.js';

/**
 * Element types. Floating tensors are float32 (the default, what kernels are tuned for) or float64
 * (for gradient checks and exact references). int32 holds indices and labels only: argmax returns
 * it, gather and the classification losses accept it; arithmetic rejects it.
 */
export type DType = 'float32' | 'float64' | 'int32';
/** The floating dtypes: the ones arithmetic and gradients work in. */
export type FloatDType = 'float32' | 'float64';

/** Storage of a floating tensor. */
export type FloatArray = Float32Array | Float64Array;
/** Storage of any tensor. */
export type TypedArray = FloatArray | Int32Array;

/** Maps a dtype to its typed-array type. */
export interface ArrayForDType {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

/** A zero-filled array of `length` elements of `dtype`, on the JS heap. */
export function allocArray<D extends DType>(dtype: D, length: number): ArrayForDType[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as ArrayForDType[D];
    case 'float64':
      return new Float64Array(length) as ArrayForDType[D];
    case 'int32':
      return new Int32Array(length) as ArrayForDType[D];
    default:
      throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64' or 'int32'`);
  }
}

/** The dtype of a typed array. */
export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  return 'int32';
}

/** The result dtype of combining two floating dtypes, as in NumPy and PyTorch: the wider one. */
export function promoteFloat(a: DType, b: DType): FloatDType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}
