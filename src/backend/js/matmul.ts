import type { MatmulSpec } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';

/**
 * Reference matrix product. Loop orders keep the innermost loop contiguous for each transpose
 * case (i-p-j for A·B and Aᵀ·B, an inner product for A·Bᵀ), so no transpose is materialised.
 */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = spec;
  out.fill(0);
  for (let p = 0; p < batch; p++) {
    const ao = p * aBatchStride;
    const bo = p * bBatchStride;
    const oo = p * m * n;
    if (!transB) {
      // out[i, :] += a(i, q) · b[q, :]; a(i, q) is a[i·k + q] or, transposed, a[q·m + i].
      const ai = transA ? 1 : k;
      const aq = transA ? m : 1;
      for (let i = 0; i < m; i++) {
        const orow = oo + i * n;
        for (let q = 0; q < k; q++) {
          const av = a[ao + i * ai + q * aq];
          const brow = bo + q * n;
          for (let j = 0; j < n; j++) out[orow + j] += av * b[brow + j];
        }
      }
    } else if (!transA) {
      // out[i, j] = a[i, :] · b[j, :] — both rows contiguous.
      for (let i = 0; i < m; i++) {
        const arow = ao + i * k;
        const orow = oo + i * n;
        for (let j = 0; j < n; j++) {
          const brow = bo + j * k;
          let s = 0;
          for (let q = 0; q < k; q++) s += a[arow + q] * b[brow + q];
          out[orow + j] = s;
        }
      }
    } else {
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
