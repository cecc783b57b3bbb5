// Packing of B into the column panels of NR columns, laid out [q][NR] and zero padded, that the
// matmul micro-kernel (matmul.ts) streams where B itself does not hold them: a transposed B (the
// packing absorbs the transpose) and a last partial panel. A is always read in place.
import { NR, packsFullPanels, usesBands } from './tiles';

/**
 * dst[(jb·k + q)·NR + c] = op(B)(q, jb·NR + c), zero past column n, for the panels jb0 ≤ jb < jb1
 * that gemmTiles reads packed ahead: those of a product computed band by band (matmul.ts
 * usesBands) — all its panels when B is transposed or packsFullPanels(m, k), else only a last
 * partial one (the full panels of an untransposed B already hold NR contiguous values per q, read in
 * place). A product computed panel by panel packs each panel itself, just before using it.
 */
export function packB(b: usize, m: i32, k: i32, n: i32, transB: i32, dst: usize, jb0: i32, jb1: i32): void {
  if (!usesBands(m, k, n)) return;
  const packFull = packsFullPanels(m, k);
  for (let jb = jb0; jb < jb1; jb++) packPanel(b, k, n, transB, packFull, jb, dst + (<usize>(jb * k * NR) << 2));
}

/** Packs column panel jb of op(B) at `d` (k·NR floats), or nothing when it is read in place. */
export function packPanel(b: usize, k: i32, n: i32, transB: i32, packFull: bool, jb: i32, d: usize): void {
  const j0 = jb * NR;
  const cols = min(NR, n - j0);
  if (!transB) {
    // op(B)(q, j) = b[q·n + j]
    if (cols == NR && packFull) {
      for (let q = 0; q < k; q++) {
        const s = b + (<usize>(q * n + j0) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += <usize>NR << 2;
      }
    } else if (cols < NR) {
      for (let q = 0; q < k; q++) {
        const s = b + (<usize>(q * n + j0) << 2);
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(s + (<usize>c << 2)) : 0);
        d += <usize>NR << 2;
      }
    }
  } else {
    // op(B)(q, j) = b[j·k + q]: transpose 4×4 blocks of rows j0… of b into the panel.
    if (cols == NR) {
      const ld = <usize>k << 2;
      const r0 = b + (<usize>(j0 * k) << 2);
      let q = 0;
      for (; q + 4 <= k; q += 4) {
        const s = r0 + (<usize>q << 2);
        for (let h = 0; h < 2; h++) {
          const t = s + <usize>(h * 4) * ld;
          const x0 = v128.load(t);
          const x1 = v128.load(t + ld);
          const x2 = v128.load(t + 2 * ld);
          const x3 = v128.load(t + 3 * ld);
          // 4×4 transpose: y_c = (x0[c], x1[c], x2[c], x3[c])
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const dd = d + (<usize>(h * 4) << 2);
          v128.store(dd, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(dd, i64x2.shuffle(t0, t1, 1, 3), NR * 4);
          v128.store(dd, i64x2.shuffle(t2, t3, 0, 2), NR * 8);
          v128.store(dd, i64x2.shuffle(t2, t3, 1, 3), NR * 12);
        }
        d += <usize>(NR * 4) << 2;
      }
      for (; q < k; q++) {
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(b + (<usize>((j0 + c) * k + q) << 2)));
        d += <usize>NR << 2;
      }
    } else {
      for (let q = 0; q < k; q++) {
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(b + (<usize>((j0 + c) * k + q) << 2)) : 0);
        d += <usize>NR << 2;
      }
    }
  }
}
