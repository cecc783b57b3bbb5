import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, shapesEqual, stridesOf, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';
import { type TensorLike, coercePair, empty, emptyForOutput, floatData } from './core.js';

/** Index-based ops: row gather, one-hot, where. */

/** Indices as an Int32Array, validated against `limit`. */
export function toIndexArray(indices: Tensor | ArrayLike<number>, limit: number, op: string): Int32Array {
  const src = indices instanceof Tensor ? indices.data : indices;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new ValueError(`${op}: index ${v} at position ${i} is out of range [0, ${limit})`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Rows of `x` picked by `indices` along axis 0 (PyTorch's index_select(x, 0, indices)); rows may
 * repeat. The gradient scatters back, adding where rows repeat.
 */
export function indexSelect(x: Tensor, indices: Tensor | ArrayLike<number>): Tensor {
  if (x.rank === 0) throw new ShapeError('indexSelect: cannot index a scalar');
  const idx = toIndexArray(indices, x.shape[0], 'indexSelect');
  const rowSize = sizeOf(x.shape.slice(1));
  // Every row is written: no need to zero the block first.
  const out = emptyForOutput([idx.length, ...x.shape.slice(1)], x.dtype);
  getBackend().gatherRows(x.data, idx, rowSize, out.data);
  return record(out, 'indexSelect', [x], (g) => {
    const gx = empty(x.shape, g.dtype);
    getBackend().scatterAddRows(floatData(g, 'indexSelect'), idx, rowSize, floatData(gx, 'indexSelect'));
    return [gx];
  });
}

/** One-hot rows: `labels` of length n become an (n, numClasses) matrix of 0/1 (not differentiable). */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new ValueError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const idx = toIndexArray(labels, numClasses, 'oneHot');
  const out = empty([idx.length, numClasses], dtype);
  for (let i = 0; i < idx.length; i++) out.data[i * numClasses + idx[i]] = 1;
  return out;
}

/** Elementwise choice: `a` where `cond` ≠ 0, else `b`; all three broadcast together. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = coercePair(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const expand = (t: Tensor): Tensor => {
    if (shapesEqual(t.shape, shape) && t.dtype === dtype) return t;
    const out = empty(shape, dtype);
    getBackend().stridedCopy(t.data, 0, broadcastStrides(t.shape, shape), out.data, 0, stridesOf(shape), shape, false);
    return out;
  };
  const c = expand(cond);
  const out = empty(shape, dtype);
  const zeros = empty(shape, dtype);
  getBackend().select(floatData(c, 'where'), floatData(expand(ta), 'where'), floatData(expand(tb), 'where'), floatData(out, 'where'));
  return record(out, 'where', [ta, tb], (g) => [where(c, g, zeros), where(c, zeros, g)], [c, zeros]);
}

/** Throws a ShapeError naming `op` unless `a` and `b` have the same shape. */
export function requireSameShape(a: Tensor, b: Tensor, op: string): void {
  if (!shapesEqual(a.shape, b.shape)) throw new ShapeError(`${op}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} must be equal`);
}
