import type { MatmulSpec } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';

/**
 * Reference matrix product. No transpose is ever materialised: each case has a loop order whose
 * innermost loop runs over contiguous memory, and is register-blocked by hand (four output rows
 * share each load of B; four dot products share each load of A) because V8 does not do it for us.
 * The summation order over the inner dimension is fixed, so results are deterministic.
 */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = spec;
  for (let p = 0; p < batch; p++) {
    const ao = p * aBatchStride;
    const bo = p * bBatchStride;
    const oo = p * m * n;
    if (!transB) rowsTimesMatrix(a, ao, transA ? 1 : k, transA ? m : 1, b, bo, out, oo, m, k, n);
    else if (!transA) rowDots(a, ao, b, bo, out, oo, m, k, n);
    else {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = 0; q < k; q++) s += a[ao + q * m + i] * b[bo + j * k + q];
          out[oo + i * n + j] = s;
        }
      }
    }
  }
}

/** out = op(A)·B with B (k, n) row-major; op(A)(i, q) = a[ao + i·ai + q·aq]. */
function rowsTimesMatrix(a: FloatArray, ao: number, ai: number, aq: number, b: FloatArray, bo: number, out: FloatArray, oo: number, m: number, k: number, n: number): void {
  out.fill(0, oo, oo + m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const o0 = oo + i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let q = 0; q < k; q++) {
      const at = ao + i * ai + q * aq;
      const a0 = a[at];
      const a1 = a[at + ai];
      const a2 = a[at + 2 * ai];
      const a3 = a[at + 3 * ai];
      const br = bo + q * n;
      for (let j = 0; j < n; j++) {
        const bv = b[br + j];
        out[o0 + j] += a0 * bv;
        out[o1 + j] += a1 * bv;
        out[o2 + j] += a2 * bv;
        out[o3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const o0 = oo + i * n;
    for (let q = 0; q < k; q++) {
      const a0 = a[ao + i * ai + q * aq];
      const br = bo + q * n;
      for (let j = 0; j < n; j++) out[o0 + j] += a0 * b[br + j];
    }
  }
}

/** out[i, j] = A[i, :] · B[j, :] with both stored row-major (A·Bᵀ), four dot products at a time. */
function rowDots(a: FloatArray, ao: number, b: FloatArray, bo: number, out: FloatArray, oo: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ar = ao + i * k;
    const or = oo + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = bo + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let q = 0; q < k; q++) {
        const av = a[ar + q];
        s0 += av * b[b0 + q];
        s1 += av * b[b1 + q];
        s2 += av * b[b2 + q];
        s3 += av * b[b3 + q];
      }
      out[or + j] = s0;
      out[or + j + 1] = s1;
      out[or + j + 2] = s2;
      out[or + j + 3] = s3;
    }
    for (; j < n; j++) {
      const br = bo + j * k;
      let s = 0;
      for (let q = 0; q < k; q++) s += a[ar + q] * b[br + q];
      out[or + j] = s;
    }
  }
}
