import type { BinaryOp, UnaryOp, UnaryParam } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { ValueError } from '../../util/errors.js';

/** Elementwise kernels of the reference backend. Each op's loop is separate so V8 keeps it tight. */

export function unary(op: UnaryOp, x: FloatArray, out: FloatArray, param: UnaryParam = {}): void {
  const n = x.length;
  switch (op) {
    case 'copy': out.set(x); return;
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); return;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; return;
    case 'sign': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0; return;
    case 'sigmoid':
      // Two branches so exp never overflows: σ(z) = 1/(1+e^-z) = e^z/(1+e^z).
      for (let i = 0; i < n; i++) {
        const z = x[i];
        if (z >= 0) out[i] = 1 / (1 + Math.exp(-z));
        else { const e = Math.exp(z); out[i] = e / (1 + e); }
      }
      return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0; return;
    case 'reluMask': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : 0; return;
    case 'leakyRelu': {
      const s = param.scalar ?? 0.01;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : s * x[i];
      return;
    }
    case 'leakyReluSlope': {
      const s = param.scalar ?? 0.01;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : s;
      return;
    }
    case 'softplus':
      // log(1+e^z) = max(z,0) + log1p(e^-|z|), stable for large |z|.
      for (let i = 0; i < n; i++) { const z = x[i]; out[i] = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))); }
      return;
    case 'powScalar': {
      const p = param.scalar ?? 1;
      if (p === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], p);
      return;
    }
    case 'clamp': {
      const lo = param.min ?? -Infinity;
      const hi = param.max ?? Infinity;
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v < lo ? lo : v > hi ? hi : v; }
      return;
    }
    default:
      throw new ValueError(`js backend: unknown unary op '${op satisfies never}'`);
  }
}

type Scalar2 = (a: number, b: number) => number;

const binaryFns: Record<BinaryOp, Scalar2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  reluGrad: (a, b) => (b > 0 ? a : 0),
};

/** One strided row: out[o+i] = f(a[ia + i·sa], b[ib + i·sb]). The four hot ops get their own loops. */
function binaryRow(op: BinaryOp, a: FloatArray, ia: number, sa: number, b: FloatArray, ib: number, sb: number, out: FloatArray, o: number, len: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < len; i++) out[o + i] = a[ia + i * sa] + b[ib + i * sb]; return;
    case 'sub': for (let i = 0; i < len; i++) out[o + i] = a[ia + i * sa] - b[ib + i * sb]; return;
    case 'mul': for (let i = 0; i < len; i++) out[o + i] = a[ia + i * sa] * b[ib + i * sb]; return;
    case 'div': for (let i = 0; i < len; i++) out[o + i] = a[ia + i * sa] / b[ib + i * sb]; return;
    default: {
      const f = binaryFns[op];
      for (let i = 0; i < len; i++) out[o + i] = f(a[ia + i * sa], b[ib + i * sb]);
    }
  }
}

export function binary(op: BinaryOp, a: FloatArray, aStrides: readonly number[], b: FloatArray, bStrides: readonly number[], out: FloatArray, shape: readonly number[]): void {
  const rank = shape.length;
  const total = out.length;
  if (total === 0) return;
  if (rank === 0) { binaryRow(op, a, 0, 0, b, 0, 0, out, 0, 1); return; }
  // Fast path: both operands contiguous with the output's shape.
  if (a.length === total && b.length === total && isContiguous(aStrides, shape) && isContiguous(bStrides, shape)) {
    binaryRow(op, a, 0, 1, b, 0, 1, out, 0, total);
    return;
  }
  const last = rank - 1;
  const len = shape[last];
  const sa = aStrides[last];
  const sb = bStrides[last];
  const idx = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < total; o += len) {
    binaryRow(op, a, ia, sa, b, ib, sb, out, o, len);
    // Advance the multi-index over all but the last dimension.
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      ia += aStrides[d];
      ib += bStrides[d];
      if (idx[d] < shape[d]) break;
      ia -= aStrides[d] * shape[d];
      ib -= bStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

function isContiguous(strides: readonly number[], shape: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

export function accumulate(dst: FloatArray, src: FloatArray): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}

export function select(cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
}
