import { ShapeError, ValueError, formatShape } from '../util/errors.js';

/** Shape arithmetic for row-major (C-order) tensors, with NumPy's broadcasting rules. */

export type Shape = readonly number[];

/** Number of elements in a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless every dimension is a non-negative integer. */
export function checkShape(shape: Shape, where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${where}: invalid shape ${formatShape(shape)}; dimensions must be non-negative integers`);
    }
  }
}

/** NumPy broadcasting: align on the right; each pair of dims must match or one must be 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if it had the (broadcast) shape `target`:
 * broadcast dimensions get stride 0, so the same element is re-read.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : own[i];
  return out;
}

/** Normalises one axis (negative counts from the end), naming the op on failure. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises `axis` (one, several, or all when undefined) to sorted unique non-negative axes. */
export function normalizeAxes(axis: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const set = new Set(list.map((a) => normalizeAxis(a, rank, op)));
  if (set.size !== list.length) throw new ValueError(`${op}: repeated axis in ${JSON.stringify(list)}`);
  // A scalar accepts axis 0 (normalizeAxis allows it for flatten) but has no axis to reduce.
  return [...set].filter((a) => a < rank).sort((x, y) => x - y);
}

/** The shape after reducing `axes`, keeping them as size-1 dims when `keepdims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** Resolves a reshape target with at most one -1. */
export function resolveReshape(from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  const free = to.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`reshape: at most one dimension may be -1, got ${formatShape(to)}`);
  const known = to.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (sizeOf(out) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`reshape: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) to ${formatShape(to)}`);
  }
  return out;
}
