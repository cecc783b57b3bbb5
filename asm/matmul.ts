// Register-blocked float32 matrix product C = op(A)·op(B) (+ bias, ReLU).
//
// Both operands are first packed into panels (which also absorbs the transposes): A into row
// panels of MR rows laid out [q][MR], B into column panels of NR columns laid out [q][NR], zero
// padded. The micro-kernel then keeps an MR×NR tile of C in registers (6×8 = 12 vectors) and
// streams both panels with unit stride. Every C element is summed over q = 0…k−1 in order in its
// own SIMD lane, so the result does not depend on how tiles are split among threads.

export const MR: i32 = 6;
export const NR: i32 = 8;

/** dst[(ib·k + q)·MR + r] = op(A)(ib·MR + r, q), zero past row m. */
export function packA(a: usize, m: i32, k: i32, transA: i32, dst: usize): void {
  const panels = (m + MR - 1) / MR;
  for (let ib = 0; ib < panels; ib++) {
    const i0 = ib * MR;
    const rows = min(MR, m - i0);
    let d = dst + (<usize>(ib * k * MR) << 2);
    if (transA) {
      // op(A)(i, q) = a[q·m + i]: MR contiguous values per q.
      for (let q = 0; q < k; q++) {
        const s = a + (<usize>(q * m + i0) << 2);
        for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(s + (<usize>r << 2)) : 0);
        d += <usize>MR << 2;
      }
    } else {
      // op(A)(i, q) = a[i·k + q]: gather one value from each of MR rows.
      if (rows == MR) {
        const s0 = a + (<usize>(i0 * k) << 2);
        const ld = <usize>k << 2;
        for (let q = 0; q < k; q++) {
          const s = s0 + (<usize>q << 2);
          store<f32>(d, load<f32>(s));
          store<f32>(d, load<f32>(s + ld), 4);
          store<f32>(d, load<f32>(s + 2 * ld), 8);
          store<f32>(d, load<f32>(s + 3 * ld), 12);
          store<f32>(d, load<f32>(s + 4 * ld), 16);
          store<f32>(d, load<f32>(s + 5 * ld), 20);
          d += <usize>MR << 2;
        }
      } else {
        for (let q = 0; q < k; q++) {
          for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(a + (<usize>((i0 + r) * k + q) << 2)) : 0);
          d += <usize>MR << 2;
        }
      }
    }
  }
}

/** dst[(jb·k + q)·NR + c] = op(B)(q, jb·NR + c), zero past column n. Panels jb0 ≤ jb < jb1. */
export function packB(b: usize, k: i32, n: i32, transB: i32, dst: usize, jb0: i32, jb1: i32): void {
  for (let jb = jb0; jb < jb1; jb++) {
    const j0 = jb * NR;
    const cols = min(NR, n - j0);
    let d = dst + (<usize>(jb * k * NR) << 2);
    if (!transB) {
      // op(B)(q, j) = b[q·n + j]: NR contiguous values per q.
      if (cols == NR) {
        for (let q = 0; q < k; q++) {
          const s = b + (<usize>(q * n + j0) << 2);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          d += <usize>NR << 2;
        }
      } else {
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
}

@inline function epilogue(v: v128, bias: v128, hasBias: bool, relu: bool): v128 {
  let r = hasBias ? f32x4.add(v, bias) : v;
  if (relu) r = v128.and(r, f32x4.gt(r, f32x4.splat(0)));
  return r;
}

@inline function storeRow(p: usize, v0: v128, v1: v128, cols: i32): void {
  if (cols == NR) {
    v128.store(p, v0);
    v128.store(p, v1, 16);
    return;
  }
  if (cols > 0) store<f32>(p, f32x4.extract_lane(v0, 0));
  if (cols > 1) store<f32>(p, f32x4.extract_lane(v0, 1), 4);
  if (cols > 2) store<f32>(p, f32x4.extract_lane(v0, 2), 8);
  if (cols > 3) store<f32>(p, f32x4.extract_lane(v0, 3), 12);
  if (cols > 4) store<f32>(p, f32x4.extract_lane(v1, 0), 16);
  if (cols > 5) store<f32>(p, f32x4.extract_lane(v1, 1), 20);
  if (cols > 6) store<f32>(p, f32x4.extract_lane(v1, 2), 24);
}

@inline function tiles(pa: usize, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, hasBias: bool, relu: bool): void {
  const panelsA = (m + MR - 1) / MR;
  const ldc = <usize>n << 2;
  for (let jb = jb0; jb < jb1; jb++) {
    const j0 = jb * NR;
    const cols = min(NR, n - j0);
    const bp0 = pb + (<usize>(jb * k * NR) << 2);
    let bias0 = f32x4.splat(0);
    let bias1 = f32x4.splat(0);
    if (hasBias) {
      if (cols == NR) {
        bias0 = v128.load(bias + (<usize>j0 << 2));
        bias1 = v128.load(bias + (<usize>j0 << 2), 16);
      } else {
        for (let c = 0; c < cols; c++) {
          const v = load<f32>(bias + (<usize>(j0 + c) << 2));
          if (c == 0) bias0 = f32x4.replace_lane(bias0, 0, v);
          else if (c == 1) bias0 = f32x4.replace_lane(bias0, 1, v);
          else if (c == 2) bias0 = f32x4.replace_lane(bias0, 2, v);
          else if (c == 3) bias0 = f32x4.replace_lane(bias0, 3, v);
          else if (c == 4) bias1 = f32x4.replace_lane(bias1, 0, v);
          else if (c == 5) bias1 = f32x4.replace_lane(bias1, 1, v);
          else bias1 = f32x4.replace_lane(bias1, 2, v);
        }
      }
    }
    for (let ib = 0; ib < panelsA; ib++) {
      const i0 = ib * MR;
      const rows = min(MR, m - i0);
      let ap = pa + (<usize>(ib * k * MR) << 2);
      let bp = bp0;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
      let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
      for (let q = 0; q < k; q++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let a = v128.load32_splat(ap);
        c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
        a = v128.load32_splat(ap, 4);
        c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
        a = v128.load32_splat(ap, 8);
        c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
        a = v128.load32_splat(ap, 12);
        c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
        a = v128.load32_splat(ap, 16);
        c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
        a = v128.load32_splat(ap, 20);
        c50 = f32x4.add(c50, f32x4.mul(a, b0)); c51 = f32x4.add(c51, f32x4.mul(a, b1));
        ap += <usize>MR << 2;
        bp += <usize>NR << 2;
      }
      const po = out + <usize>i0 * ldc + (<usize>j0 << 2);
      storeRow(po, epilogue(c00, bias0, hasBias, relu), epilogue(c01, bias1, hasBias, relu), cols);
      if (rows > 1) storeRow(po + ldc, epilogue(c10, bias0, hasBias, relu), epilogue(c11, bias1, hasBias, relu), cols);
      if (rows > 2) storeRow(po + 2 * ldc, epilogue(c20, bias0, hasBias, relu), epilogue(c21, bias1, hasBias, relu), cols);
      if (rows > 3) storeRow(po + 3 * ldc, epilogue(c30, bias0, hasBias, relu), epilogue(c31, bias1, hasBias, relu), cols);
      if (rows > 4) storeRow(po + 4 * ldc, epilogue(c40, bias0, hasBias, relu), epilogue(c41, bias1, hasBias, relu), cols);
      if (rows > 5) storeRow(po + 5 * ldc, epilogue(c50, bias0, hasBias, relu), epilogue(c51, bias1, hasBias, relu), cols);
    }
  }
}

/**
 * C tiles for column panels jb0 ≤ jb < jb1 (all rows), from packed panels. `mode` 0: plain,
 * 1: + bias[j], 2: + bias[j] then ReLU, 3: ReLU only.
 */
export function gemmTiles(pa: usize, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, mode: i32): void {
  if (mode == 0) tiles(pa, pb, out, m, k, n, jb0, jb1, bias, false, false);
  else if (mode == 1) tiles(pa, pb, out, m, k, n, jb0, jb1, bias, true, false);
  else if (mode == 2) tiles(pa, pb, out, m, k, n, jb0, jb1, bias, true, true);
  else tiles(pa, pb, out, m, k, n, jb0, jb1, bias, false, true);
}

/** Bytes of packing space a product needs: A panels then B panels. */
export function packBytes(m: i32, k: i32, n: i32): i32 {
  return (((m + MR - 1) / MR) * MR + ((n + NR - 1) / NR) * NR) * k * 4;
}

/**
 * The float32 SIMD roof of this machine: `iters` rounds of 12 independent f32x4 multiply-adds
 * (mul then add, as the matmul does, 96 flops a round) on registers only. Returns a value that
 * depends on every lane, so nothing is optimised away. Used by bench/, not by the backend.
 */
export function roof(iters: i32, seed: f32): f32 {
  const m = f32x4.splat(0.999);
  let a0 = f32x4.splat(seed), a1 = f32x4.splat(seed + 1), a2 = f32x4.splat(seed + 2), a3 = f32x4.splat(seed + 3);
  let a4 = f32x4.splat(seed + 4), a5 = f32x4.splat(seed + 5), a6 = f32x4.splat(seed + 6), a7 = f32x4.splat(seed + 7);
  let a8 = f32x4.splat(seed + 8), a9 = f32x4.splat(seed + 9), a10 = f32x4.splat(seed + 10), a11 = f32x4.splat(seed + 11);
  const b = f32x4.splat(0.001);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), b); a1 = f32x4.add(f32x4.mul(a1, m), b);
    a2 = f32x4.add(f32x4.mul(a2, m), b); a3 = f32x4.add(f32x4.mul(a3, m), b);
    a4 = f32x4.add(f32x4.mul(a4, m), b); a5 = f32x4.add(f32x4.mul(a5, m), b);
    a6 = f32x4.add(f32x4.mul(a6, m), b); a7 = f32x4.add(f32x4.mul(a7, m), b);
    a8 = f32x4.add(f32x4.mul(a8, m), b); a9 = f32x4.add(f32x4.mul(a9, m), b);
    a10 = f32x4.add(f32x4.mul(a10, m), b); a11 = f32x4.add(f32x4.mul(a11, m), b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
