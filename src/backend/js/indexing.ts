import type { FloatArray, TypedArray } from '../../tensor/dtype.js';
import type { ReduceOp } from '../backend.js';

/** Reductions, strided copies and row gathers of the reference backend. */

export function reduce(op: ReduceOp, x: FloatArray, out: FloatArray, outer: number, length: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : x[base + i];
      if (op === 'sum') {
        for (let l = 0; l < length; l++) acc += x[base + l * inner + i];
      } else if (op === 'max') {
        for (let l = 1; l < length; l++) { const v = x[base + l * inner + i]; if (v > acc || Number.isNaN(v)) acc = v; }
      } else {
        for (let l = 1; l < length; l++) { const v = x[base + l * inner + i]; if (v < acc || Number.isNaN(v)) acc = v; }
      }
      out[o * inner + i] = length === 0 && op !== 'sum' ? NaN : acc;
    }
  }
}

export function argReduce(op: 'argmax' | 'argmin', x: FloatArray, out: Int32Array, outer: number, length: number, inner: number): void {
  const sign = op === 'argmax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestV = sign * x[base + i];
      for (let l = 1; l < length; l++) {
        const v = sign * x[base + l * inner + i];
        if (v > bestV) { bestV = v; best = l; }
      }
      out[o * inner + i] = best;
    }
  }
}

export function stridedCopy(src: TypedArray, srcOffset: number, srcStrides: readonly number[], dst: TypedArray, dstOffset: number, dstStrides: readonly number[], shape: readonly number[], accumulate: boolean): void {
  const rank = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (rank === 0) {
    dst[dstOffset] = accumulate ? dst[dstOffset] + src[srcOffset] : src[srcOffset];
    return;
  }
  const last = rank - 1;
  const len = shape[last];
  const ss = srcStrides[last];
  const ds = dstStrides[last];
  const idx = new Array<number>(rank).fill(0);
  let si = srcOffset;
  let di = dstOffset;
  for (let done = 0; done < total; done += len) {
    if (accumulate) for (let i = 0; i < len; i++) dst[di + i * ds] += src[si + i * ss];
    else if (ss === 1 && ds === 1) dst.set(src.subarray(si, si + len), di);
    else for (let i = 0; i < len; i++) dst[di + i * ds] = src[si + i * ss];
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      si += srcStrides[d];
      di += dstStrides[d];
      if (idx[d] < shape[d]) break;
      si -= srcStrides[d] * shape[d];
      di -= dstStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** Rows shorter than this are gathered element by element. */
const SHORT_ROW = 32;

export function gatherRows(x: TypedArray, indices: Int32Array, rowSize: number, out: TypedArray): void {
  if (rowSize < SHORT_ROW) {
    // Short rows (labels, a few features): element by element beats a subarray and a copy per row.
    for (let r = 0; r < indices.length; r++) {
      const from = indices[r] * rowSize;
      for (let j = 0; j < rowSize; j++) out[r * rowSize + j] = x[from + j];
    }
    return;
  }
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r] * rowSize;
    out.set(x.subarray(from, from + rowSize), r * rowSize);
  }
}

export function scatterAddRows(g: FloatArray, indices: Int32Array, rowSize: number, out: FloatArray): void {
  for (let r = 0; r < indices.length; r++) {
    const to = indices[r] * rowSize;
    const from = r * rowSize;
    for (let c = 0; c < rowSize; c++) out[to + c] += g[from + c];
  }
}
