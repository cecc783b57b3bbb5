import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, normalizeAxis, resolveReshape, shapesEqual, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../util/errors.js';
import { empty } from './core.js';

/**
 * Ops that move elements without arithmetic. All of them (and their gradients) run on the
 * backend's one strided-copy kernel.
 */

/** Same elements, new shape (one dimension may be -1). Shares the data with `x`, like PyTorch's view. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveReshape(x.shape, shape);
  if (shapesEqual(target, x.shape)) return x;
  const y = new Tensor(x.data, target);
  return record(y, 'reshape', [x], (g) => [reshape(g, x.shape)]);
}

/** Flattens all dimensions from `startAxis` on into one. */
export function flatten(x: Tensor, startAxis = 0): Tensor {
  const s = normalizeAxis(startAxis, x.rank, 'flatten');
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s))]);
}

/** Inserts a size-1 dimension at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank + 1, 'unsqueeze');
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 dimensions (all of them, or just `axis`). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normalizeAxis(axis, x.rank, 'squeeze');
  if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${axis} of shape ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Reorders dimensions: output dimension i is input dimension `perm[i]`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.rank) throw new ShapeError(`permute: perm ${JSON.stringify(perm)} has ${perm.length} axes but the tensor has shape ${formatShape(x.shape)}`);
  const p = perm.map((a) => normalizeAxis(a, x.rank, 'permute'));
  if (new Set(p).size !== p.length) throw new ValueError(`permute: perm ${JSON.stringify(perm)} repeats an axis`);
  const shape = p.map((a) => x.shape[a]);
  const inStrides = stridesOf(x.shape);
  const out = empty(shape, x.dtype);
  getBackend().stridedCopy(x.data, 0, p.map((a) => inStrides[a]), out.data, 0, stridesOf(shape), shape, false);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => (inverse[a] = i));
  return record(out, 'permute', [x], (g) => [permute(g, inverse)]);
}

/** Swaps two dimensions (the last two by default: the matrix transpose). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  if (x.rank < 2) throw new ShapeError(`transpose: needs at least 2 dimensions, got shape ${formatShape(x.shape)}`);
  const a = normalizeAxis(axis0, x.rank, 'transpose');
  const b = normalizeAxis(axis1, x.rank, 'transpose');
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Repeats `x` along broadcast dimensions to reach `shape` (NumPy's broadcast_to). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(target, shape)) throw new ShapeError(`broadcastTo: cannot broadcast shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  if (shapesEqual(x.shape, shape)) return x;
  const out = empty(shape, x.dtype);
  getBackend().stridedCopy(x.data, 0, broadcastStrides(x.shape, shape), out.data, 0, stridesOf(shape), shape, false);
  // The engine sums the gradient back over the broadcast dimensions.
  return record(out, 'broadcastTo', [x], (g) => [g]);
}

/**
 * A sub-tensor: along each axis, elements `start`, `start+step`, … before `end`. Missing entries
 * mean the whole axis; negative indices count from the end, as in Python.
 *
 * @example slice(x, [1], [3])  // rows 1 and 2
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly (number | undefined)[] = [], steps: readonly number[] = []): Tensor {
  if (starts.length > x.rank) throw new ShapeError(`slice: ${starts.length} start indices for a tensor of shape ${formatShape(x.shape)}`);
  const inStrides = stridesOf(x.shape);
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = 0;
  for (let d = 0; d < x.rank; d++) {
    const n = x.shape[d];
    const step = steps[d] ?? 1;
    if (!Number.isInteger(step) || step <= 0) throw new ValueError(`slice: step must be a positive integer, got ${step} on axis ${d}`);
    const start = clampIndex(starts[d] ?? 0, n);
    const end = clampIndex(ends[d] ?? n, n);
    const len = Math.max(0, Math.ceil((end - start) / step));
    shape.push(len);
    strides.push(inStrides[d] * step);
    offset += start * inStrides[d];
  }
  const out = empty(shape, x.dtype);
  getBackend().stridedCopy(x.data, offset, strides, out.data, 0, stridesOf(shape), shape, false);
  return record(out, 'slice', [x], (g) => {
    const gx = empty(x.shape, g.dtype);
    getBackend().stridedCopy(g.data, 0, stridesOf(shape), gx.data, offset, strides, shape, false);
    return [gx];
  });
}

function clampIndex(i: number, n: number): number {
  if (!Number.isInteger(i)) throw new ValueError(`slice: indices must be integers, got ${i}`);
  const j = i < 0 ? i + n : i;
  return Math.min(Math.max(j, 0), n);
}

/** `length` elements from `start` along `axis` (PyTorch's narrow). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis(axis, x.rank, 'narrow');
  if (start < 0 || start + length > x.shape[a]) {
    throw new ShapeError(`narrow: [${start}, ${start + length}) is outside axis ${a} of size ${x.shape[a]}`);
  }
  const starts = new Array<number>(x.rank).fill(0);
  const ends: (number | undefined)[] = new Array<number | undefined>(x.rank).fill(undefined);
  starts[a] = start;
  ends[a] = start + length;
  return slice(x, starts, ends);
}

/** Joins tensors along an existing axis; all other dimensions must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat: needs at least one tensor');
  const first = tensors[0];
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (const t of tensors) {
    const ok = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) throw new ShapeError(`concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${a}`);
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: dtypes ${first.dtype} and ${t.dtype} differ`);
  }
  const shape = [...first.shape];
  shape[a] = tensors.reduce((s, t) => s + t.shape[a], 0);
  const out = empty(shape, first.dtype);
  const outStrides = stridesOf(shape);
  const offsets: number[] = [];
  let at = 0;
  for (const t of tensors) {
    offsets.push(at);
    getBackend().stridedCopy(t.data, 0, stridesOf(t.shape), out.data, at * outStrides[a], outStrides, t.shape, false);
    at += t.shape[a];
  }
  return record(out, 'concat', tensors, (g) => tensors.map((t, i) => narrow(g, a, offsets[i], t.shape[a])));
}

/** Stacks same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: needs at least one tensor');
  const a = normalizeAxis(axis, tensors[0].rank + 1, 'stack');
  for (const t of tensors) {
    if (!shapesEqual(t.shape, tensors[0].shape)) throw new ShapeError(`stack: shapes ${formatShape(tensors[0].shape)} and ${formatShape(t.shape)} differ`);
  }
  return concat(tensors.map((t) => unsqueeze(t, a)), a);
}
