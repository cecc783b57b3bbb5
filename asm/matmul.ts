// Register-blocked float32 matrix product C = op(A)·op(B) (+ bias, ReLU).
//
// The micro-kernel keeps an R×NR tile of C in registers (R ≤ MR = 4 rows, NR = 8 columns: up to 8
// vectors) and streams, per q, R values of op(A) (splat) and NR values of op(B). A is read in place
// (a pointer per row when untransposed; R adjacent values when transposed), and so are the full
// column panels of an untransposed B; the other panels of B are packed by pack.ts (one panel at a
// time, just before its tiles, where the product goes panel by panel: see columns). Rows past
// the last full MR panel run in smaller tiles (2, 1 rows) rather than padded ones. Every C element
// is summed over q = 0…k−1 in order in its own SIMD lane, whichever tile computes it, so the result
// does not depend on how tiles are split among threads.

import { packPanel } from './pack';

/**
 * Rows of a tile. V8 gives wasm 15 vector registers on x64 and schedules all of a loop iteration's
 * loads before its multiply-adds, so the sums, B's 2 vectors and all R splats of A are live at
 * once: 4×8 needs 14, a 6×8 tile 20 and spilled four sums to the stack on every q (5×8 spilled
 * too). A training step's products ran 1.2× faster as 4×8 tiles than as 6×8 with fused
 * multiply-add, 1.14× without (bench/matmul-shapes.ts).
 */
export const MR: i32 = 4;
import { NR, packsFullPanels, usesBands } from './tiles';

/**
 * a·b + c in each lane. The kernels are built twice (scripts/build-wasm.mjs): with relaxed SIMD this
 * is one fused multiply-add where the CPU has FMA (rounded once: twice the multiply-add rate, and
 * results that differ in the last bits from the other build's), else a multiply then an add, each
 * rounded, so the portable build gives the same bits on every machine.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
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

/**
 * One R-row tile of sums at rows ap…, columns bp…: op(A) advances aqs bytes and op(B) bqs bytes per
 * q. R, and the strides where they are fixed (packed B, a transposed A's rows), are constants at
 * each inlined call, so the row tests fold away and those pointer steps are immediates.
 */
@inline function tile(R: i32, strided: bool, ap: usize, ars: usize, aqs: usize, bp: usize, bqs: usize, k: i32, po: usize, ldc: usize, cols: i32): void {
  // Rows of an untransposed A are ars bytes apart: one pointer each (else constant offsets from ap).
  let a1 = ap + ars, a2 = ap + 2 * ars, a3 = ap + 3 * ars;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let q = 0; q < k; q++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    if (R > 1) {
      a = strided ? v128.load32_splat(a1) : v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    }
    if (R > 2) {
      a = strided ? v128.load32_splat(a2) : v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    }
    if (R > 3) {
      a = strided ? v128.load32_splat(a3) : v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    }
    ap += aqs;
    if (strided) {
      a1 += aqs; a2 += aqs; a3 += aqs;
    }
    bp += bqs;
  }
  storeRow(po, c00, c01, cols);
  if (R > 1) storeRow(po + ldc, c10, c11, cols);
  if (R > 2) storeRow(po + 2 * ldc, c20, c21, cols);
  if (R > 3) storeRow(po + 3 * ldc, c30, c31, cols);
}

/** One band of R rows from op(A) row ap across column panels jb0 ≤ jb < jb1. */
@inline function band(R: i32, strided: bool, ap: usize, ars: usize, aqs: usize, b: usize, transB: i32, pb: usize, k: i32, n: i32, jb0: i32, jb1: i32, po: usize, ldc: usize): void {
  for (let jb = jb0; jb < jb1; jb++) {
    const j0 = jb * NR;
    const cols = min(NR, n - j0);
    // Full panels of an untransposed B are read in place (NR contiguous values per q).
    if (!transB && cols == NR) tile(R, strided, ap, ars, aqs, b + (<usize>j0 << 2), <usize>n << 2, k, po + (<usize>j0 << 2), ldc, cols);
    else tile(R, strided, ap, ars, aqs, pb + (<usize>(jb * k * NR) << 2), <usize>NR << 2, k, po + (<usize>j0 << 2), ldc, cols);
  }
}

/**
 * The tiles of column panels jb0 ≤ jb < jb1, band by band of rows: full MR-row bands, then the last
 * m mod MR rows in exact bands (no work on padding). op(A)(i, q) is read in place at a + i·ars +
 * q·aqs: a transposed A has ars = 4 (constant offsets), an untransposed one aqs = 4 and a pointer
 * per row. Bands outermost, so C is written row band by row band, left to right: sequential runs
 * the hardware prefetches, where column panels outermost touch a new line of C in every row.
 */
@inline function bands(a: usize, transA: bool, ars: usize, aqs: usize, b: usize, transB: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32): void {
  const strided = !transA;
  const ldc = <usize>n << 2;
  const full = m / MR;
  let i0 = 0;
  for (let ib = 0; ib < full; ib++) {
    band(MR, strided, a + <usize>i0 * ars, ars, aqs, b, transB, pb, k, n, jb0, jb1, out + <usize>i0 * ldc, ldc);
    i0 += MR;
  }
  let rest = m - i0;
  if (rest >= 2) {
    band(2, strided, a + <usize>i0 * ars, ars, aqs, b, transB, pb, k, n, jb0, jb1, out + <usize>i0 * ldc, ldc);
    i0 += 2;
    rest -= 2;
  }
  if (rest >= 1) band(1, strided, a + <usize>i0 * ars, ars, aqs, b, transB, pb, k, n, jb0, jb1, out + <usize>i0 * ldc, ldc);
}

/** All rows of one column panel, in the bands {@link bands} takes. */
@inline function panelRows(a: usize, transA: bool, ars: usize, aqs: usize, bp: usize, bqs: usize, m: i32, k: i32, po: usize, ldc: usize, cols: i32): void {
  const strided = !transA;
  const full = m / MR;
  let i0 = 0;
  for (let ib = 0; ib < full; ib++) {
    tile(MR, strided, a + <usize>i0 * ars, ars, aqs, bp, bqs, k, po + <usize>i0 * ldc, ldc, cols);
    i0 += MR;
  }
  let rest = m - i0;
  if (rest >= 2) {
    tile(2, strided, a + <usize>i0 * ars, ars, aqs, bp, bqs, k, po + <usize>i0 * ldc, ldc, cols);
    i0 += 2;
    rest -= 2;
  }
  if (rest >= 1) tile(1, strided, a + <usize>i0 * ars, ars, aqs, bp, bqs, k, po + <usize>i0 * ldc, ldc, cols);
}

/**
 * The tiles of column panels jb0 ≤ jb < jb1, panel by panel: the B panel stays in L1 while A
 * streams. Panels read packed (`packed`: a transposed B, or packsFullPanels) and a last partial one
 * are packed here, each just before its tiles, into one slot at pb: the slot of panel jb0 in the
 * layout packB uses, so threads working on disjoint ranges never share one.
 */
@inline function columns(a: usize, transA: bool, ars: usize, aqs: usize, b: usize, transB: i32, packed: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32): void {
  const ldc = <usize>n << 2;
  const slot = pb + (<usize>(jb0 * k * NR) << 2);
  for (let jb = jb0; jb < jb1; jb++) {
    const j0 = jb * NR;
    const cols = min(NR, n - j0);
    const po = out + (<usize>j0 << 2);
    if (!packed && cols == NR) {
      panelRows(a, transA, ars, aqs, b + (<usize>j0 << 2), <usize>n << 2, m, k, po, ldc, cols);
    } else {
      packPanel(b, k, n, transB, packed != 0, jb, slot);
      panelRows(a, transA, ars, aqs, slot, <usize>NR << 2, m, k, po, ldc, cols);
    }
  }
}

/**
 * Adds bias[j] (mode 1, 2) and applies ReLU (mode 2, 3) to the finished sums of one column panel,
 * cols ≤ NR columns from po, in a second pass over C (small and still in cache for the forward
 * products that use it), so the tiles come in one version per stride kind, not one per epilogue.
 */
function panelEpilogue(po: usize, ldc: usize, m: i32, cols: i32, bias: usize, mode: i32): void {
  const hasBias = mode == 1 || mode == 2;
  const relu = mode >= 2;
  const zero = f32x4.splat(0);
  if (cols == NR) {
    const bias0 = hasBias ? v128.load(bias) : zero;
    const bias1 = hasBias ? v128.load(bias, 16) : zero;
    for (let i = 0; i < m; i++) {
      const p = po + <usize>i * ldc;
      let v0 = f32x4.add(v128.load(p), bias0);
      let v1 = f32x4.add(v128.load(p, 16), bias1);
      if (relu) {
        v0 = v128.and(v0, f32x4.gt(v0, zero));
        v1 = v128.and(v1, f32x4.gt(v1, zero));
      }
      v128.store(p, v0);
      v128.store(p, v1, 16);
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < cols; c++) {
      const p = po + <usize>i * ldc + (<usize>c << 2);
      let v = load<f32>(p);
      if (hasBias) v += load<f32>(bias + (<usize>c << 2));
      if (relu) v = v > 0 ? v : 0;
      store<f32>(p, v);
    }
  }
}

/**
 * C tiles for column panels jb0 ≤ jb < jb1 (all rows), then the epilogue. `packed`: the full panels
 * of B are read packed (a transposed B, or packsFullPanels), not in place.
 */
@inline function panels(a: usize, transA: bool, ars: usize, aqs: usize, b: usize, transB: i32, packed: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, mode: i32): void {
  if (usesBands(m, k, n)) bands(a, transA, ars, aqs, b, packed, pb, out, m, k, n, jb0, jb1);
  else columns(a, transA, ars, aqs, b, transB, packed, pb, out, m, k, n, jb0, jb1);
  if (mode == 0) return;
  const ldc = <usize>n << 2;
  for (let jb = jb0; jb < jb1; jb++) {
    const j0 = jb * NR;
    panelEpilogue(out + (<usize>j0 << 2), ldc, m, min(NR, n - j0), bias + (<usize>j0 << 2), mode);
  }
}

/**
 * C tiles for column panels jb0 ≤ jb < jb1 (all rows). A is read in place; so are the full column
 * panels of an untransposed B unless packsFullPanels. The others come from `pb`: packed ahead by
 * packB for a product computed in row bands, else packed here panel by panel (see columns). `mode`
 * 0: plain, 1: + bias[j], 2: + bias[j] then ReLU, 3: ReLU only (the sum is finished before the bias).
 */
export function gemmTiles(a: usize, transA: i32, b: usize, transB: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, mode: i32): void {
  const packed = transB != 0 || packsFullPanels(m, k) ? 1 : 0;
  if (transA) panelsTransA(a, b, transB, packed, pb, out, m, k, n, jb0, jb1, bias, mode);
  else panelsA(a, b, transB, packed, pb, out, m, k, n, jb0, jb1, bias, mode);
}

// One function per A layout (not one inlined body with a flag), so the optimizer cannot merge the
// two back into a single loop that tests the flag on every load.
function panelsTransA(a: usize, b: usize, transB: i32, packed: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, mode: i32): void {
  panels(a, true, 4, <usize>m << 2, b, transB, packed, pb, out, m, k, n, jb0, jb1, bias, mode);
}

function panelsA(a: usize, b: usize, transB: i32, packed: i32, pb: usize, out: usize, m: i32, k: i32, n: i32, jb0: i32, jb1: i32, bias: usize, mode: i32): void {
  panels(a, false, <usize>k << 2, 4, b, transB, packed, pb, out, m, k, n, jb0, jb1, bias, mode);
}

/** Bytes of packing space a product needs: B's column panels (A is read in place). */
export function packBytes(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k * 4;
}

/**
 * The float32 SIMD roof of this machine: `iters` rounds of 12 independent f32x4 multiply-adds
 * (the matmul's madd: fused in the relaxed-SIMD build; 96 flops a round) on registers only.
 * Returns a value that depends on every lane, so nothing is optimised away. Used by bench/, not by the backend.
 */
export function roof(iters: i32, seed: f32): f32 {
  const m = f32x4.splat(0.999);
  let a0 = f32x4.splat(seed), a1 = f32x4.splat(seed + 1), a2 = f32x4.splat(seed + 2), a3 = f32x4.splat(seed + 3);
  let a4 = f32x4.splat(seed + 4), a5 = f32x4.splat(seed + 5), a6 = f32x4.splat(seed + 6), a7 = f32x4.splat(seed + 7);
  let a8 = f32x4.splat(seed + 8), a9 = f32x4.splat(seed + 9), a10 = f32x4.splat(seed + 10), a11 = f32x4.splat(seed + 11);
  const b = f32x4.splat(0.001);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, m, b); a1 = madd(a1, m, b);
    a2 = madd(a2, m, b); a3 = madd(a3, m, b);
    a4 = madd(a4, m, b); a5 = madd(a5, m, b);
    a6 = madd(a6, m, b); a7 = madd(a7, m, b);
    a8 = madd(a8, m, b); a9 = madd(a9, m, b);
    a10 = madd(a10, m, b); a11 = madd(a11, m, b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
