// Elementwise and reduction kernels over float32, 4 lanes at a time (WebAssembly SIMD).
// Pointers are byte addresses into the (shared) memory; lengths and strides count elements.
// Every op is correctly rounded in float32, so add/sub/mul/div/sqrt match the JS reference exactly.

// ---- unary ----------------------------------------------------------------------------------
// Op codes (mirrored in src/backend/wasm/kernels.ts).
const U_COPY: i32 = 0;
const U_NEG: i32 = 1;
const U_ABS: i32 = 2;
const U_SQUARE: i32 = 3;
const U_SQRT: i32 = 4;
const U_RELU: i32 = 5;
const U_RELU_MASK: i32 = 6;
const U_LEAKY: i32 = 7;
const U_LEAKY_SLOPE: i32 = 8;
const U_CLAMP: i32 = 9;
const U_SIGN: i32 = 10;

@inline function unaryV(op: i32, x: v128, p: v128, q: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (op) {
    case U_COPY: return x;
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SQUARE: return f32x4.mul(x, x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RELU: return v128.and(x, f32x4.gt(x, zero)); // NaN → 0, as the reference
    case U_RELU_MASK: return v128.and(one, f32x4.gt(x, zero));
    case U_LEAKY: return v128.bitselect(x, f32x4.mul(x, p), f32x4.gt(x, zero));
    case U_LEAKY_SLOPE: return v128.bitselect(one, p, f32x4.gt(x, zero));
    case U_CLAMP: {
      // v < lo ? lo : v > hi ? hi : v
      const hiSel = v128.bitselect(q, x, f32x4.gt(x, q));
      return v128.bitselect(p, hiSel, f32x4.lt(x, p));
    }
    case U_SIGN: return v128.or(v128.and(one, f32x4.gt(x, zero)), v128.and(f32x4.splat(-1), f32x4.lt(x, zero)));
    default: return x;
  }
}

@inline function unaryS(op: i32, x: f32, p: f32, q: f32): f32 {
  switch (op) {
    case U_COPY: return x;
    case U_NEG: return -x;
    case U_ABS: return Mathf.abs(x);
    case U_SQUARE: return x * x;
    case U_SQRT: return Mathf.sqrt(x);
    case U_RELU: return x > 0 ? x : 0;
    case U_RELU_MASK: return x > 0 ? 1 : 0;
    case U_LEAKY: return x > 0 ? x : x * p;
    case U_LEAKY_SLOPE: return x > 0 ? 1 : p;
    case U_CLAMP: return x < p ? p : x > q ? q : x;
    case U_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    default: return x;
  }
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  const pv = f32x4.splat(p);
  const qv = f32x4.splat(q);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryV(op, v128.load(x + o), pv, qv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryS(op, load<f32>(x + o), p, q));
  }
}

export function unary(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  switch (op) {
    case U_COPY: memory.copy(out, x, <usize>n << 2); break;
    case U_NEG: unaryLoop(U_NEG, x, out, n, p, q); break;
    case U_ABS: unaryLoop(U_ABS, x, out, n, p, q); break;
    case U_SQUARE: unaryLoop(U_SQUARE, x, out, n, p, q); break;
    case U_SQRT: unaryLoop(U_SQRT, x, out, n, p, q); break;
    case U_RELU: unaryLoop(U_RELU, x, out, n, p, q); break;
    case U_RELU_MASK: unaryLoop(U_RELU_MASK, x, out, n, p, q); break;
    case U_LEAKY: unaryLoop(U_LEAKY, x, out, n, p, q); break;
    case U_LEAKY_SLOPE: unaryLoop(U_LEAKY_SLOPE, x, out, n, p, q); break;
    case U_CLAMP: unaryLoop(U_CLAMP, x, out, n, p, q); break;
    case U_SIGN: unaryLoop(U_SIGN, x, out, n, p, q); break;
    default: break;
  }
}

// ---- binary ---------------------------------------------------------------------------------
const B_ADD: i32 = 0;
const B_SUB: i32 = 1;
const B_MUL: i32 = 2;
const B_DIV: i32 = 3;
const B_MAX: i32 = 4;
const B_MIN: i32 = 5;
const B_EQ: i32 = 6;
const B_NE: i32 = 7;
const B_LT: i32 = 8;
const B_LE: i32 = 9;
const B_GT: i32 = 10;
const B_GE: i32 = 11;
const B_RELU_GRAD: i32 = 12;

@inline function binaryV(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    // a ≥ b or a is NaN ? a : b (the reference's rule, NaN from a propagates)
    case B_MAX: return v128.bitselect(a, b, v128.or(f32x4.ge(a, b), f32x4.ne(a, a)));
    case B_MIN: return v128.bitselect(a, b, v128.or(f32x4.le(a, b), f32x4.ne(a, a)));
    case B_EQ: return v128.and(one, f32x4.eq(a, b));
    case B_NE: return v128.and(one, f32x4.ne(a, b));
    case B_LT: return v128.and(one, f32x4.lt(a, b));
    case B_LE: return v128.and(one, f32x4.le(a, b));
    case B_GT: return v128.and(one, f32x4.gt(a, b));
    case B_GE: return v128.and(one, f32x4.ge(a, b));
    case B_RELU_GRAD: return v128.and(a, f32x4.gt(b, f32x4.splat(0))); // a where b > 0, else +0
    default: return a;
  }
}

@inline function binaryS(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_MAX: return a >= b || a != a ? a : b;
    case B_MIN: return a <= b || a != a ? a : b;
    case B_EQ: return a == b ? 1 : 0;
    case B_NE: return a != b ? 1 : 0;
    case B_LT: return a < b ? 1 : 0;
    case B_LE: return a <= b ? 1 : 0;
    case B_GT: return a > b ? 1 : 0;
    case B_GE: return a >= b ? 1 : 0;
    case B_RELU_GRAD: return b > 0 ? a : 0;
    default: return a;
  }
}

/**
 * out[r, c] = f(a[r·sa0 + c·sa1], b[r·sb0 + c·sb1]) for a (rows, cols) output, contiguous.
 * Inner strides 0 or 1 take the SIMD path (a stride-0 operand is splatted); others run scalar.
 */
@inline function binaryLoop(op: i32, a: usize, sa0: i32, sa1: i32, b: usize, sb0: i32, sb1: i32, out: usize, rows: i32, cols: i32): void {
  const vec = (sa1 == 0 || sa1 == 1) && (sb1 == 0 || sb1 == 1);
  for (let r = 0; r < rows; r++) {
    const pa = a + (<usize>(r * sa0) << 2);
    const pb = b + (<usize>(r * sb0) << 2);
    const po = out + (<usize>(r * cols) << 2);
    let c = 0;
    if (vec) {
      if (sa1 == 1 && sb1 == 1) {
        for (; c + 4 <= cols; c += 4) {
          const o = <usize>c << 2;
          v128.store(po + o, binaryV(op, v128.load(pa + o), v128.load(pb + o)));
        }
      } else if (sa1 == 1) {
        const bv = v128.load32_splat(pb);
        for (; c + 4 <= cols; c += 4) {
          const o = <usize>c << 2;
          v128.store(po + o, binaryV(op, v128.load(pa + o), bv));
        }
      } else if (sb1 == 1) {
        const av = v128.load32_splat(pa);
        for (; c + 4 <= cols; c += 4) {
          const o = <usize>c << 2;
          v128.store(po + o, binaryV(op, av, v128.load(pb + o)));
        }
      } else {
        const v = binaryV(op, v128.load32_splat(pa), v128.load32_splat(pb));
        for (; c + 4 <= cols; c += 4) v128.store(po + (<usize>c << 2), v);
      }
    }
    for (; c < cols; c++) {
      store<f32>(po + (<usize>c << 2), binaryS(op, load<f32>(pa + (<usize>(c * sa1) << 2)), load<f32>(pb + (<usize>(c * sb1) << 2))));
    }
  }
}

export function binary(op: i32, a: usize, sa0: i32, sa1: i32, b: usize, sb0: i32, sb1: i32, out: usize, rows: i32, cols: i32): void {
  switch (op) {
    case B_ADD: binaryLoop(B_ADD, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_SUB: binaryLoop(B_SUB, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_MUL: binaryLoop(B_MUL, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_DIV: binaryLoop(B_DIV, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_MAX: binaryLoop(B_MAX, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_MIN: binaryLoop(B_MIN, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_EQ: binaryLoop(B_EQ, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_NE: binaryLoop(B_NE, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_LT: binaryLoop(B_LT, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_LE: binaryLoop(B_LE, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_GT: binaryLoop(B_GT, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_GE: binaryLoop(B_GE, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    case B_RELU_GRAD: binaryLoop(B_RELU_GRAD, a, sa0, sa1, b, sb0, sb1, out, rows, cols); break;
    default: break;
  }
}

/** dst[i] += src[i] */
export function accumulate(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** out[i] = cond[i] ≠ 0 ? a[i] : b[i] */
export function select(cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), f32x4.ne(v128.load(cond + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(cond + o) != 0 ? load<f32>(a + o) : load<f32>(b + o));
  }
}

// ---- reductions -----------------------------------------------------------------------------
const R_SUM: i32 = 0;
const R_MAX: i32 = 1;
const R_MIN: i32 = 2;

@inline function reduceV(op: i32, acc: v128, v: v128): v128 {
  if (op == R_SUM) return f32x4.add(acc, v);
  // v > acc or v is NaN ? v : acc (NaN sticks once taken)
  if (op == R_MAX) return v128.bitselect(v, acc, v128.or(f32x4.gt(v, acc), f32x4.ne(v, v)));
  return v128.bitselect(v, acc, v128.or(f32x4.lt(v, acc), f32x4.ne(v, v)));
}

@inline function reduceS(op: i32, acc: f32, v: f32): f32 {
  if (op == R_SUM) return acc + v;
  if (op == R_MAX) return v > acc || v != v ? v : acc;
  return v < acc || v != v ? v : acc;
}

@inline function reduceLoop(op: i32, x: usize, out: usize, outer: i32, length: i32, inner: i32): void {
  if (length == 0) {
    const fill: f32 = op == R_SUM ? 0 : NaN;
    for (let i = 0; i < outer * inner; i++) store<f32>(out + (<usize>i << 2), fill);
    return;
  }
  if (inner == 1) {
    // Each row reduced with 4 lane accumulators, then the lanes combined in order.
    for (let o = 0; o < outer; o++) {
      const row = x + (<usize>(o * length) << 2);
      let l = 0;
      let acc: f32 = op == R_SUM ? 0 : load<f32>(row);
      if (length >= 8) {
        let va = op == R_SUM ? f32x4.splat(0) : v128.load(row);
        l = op == R_SUM ? 0 : 4;
        for (; l + 4 <= length; l += 4) va = reduceV(op, va, v128.load(row + (<usize>l << 2)));
        acc = f32x4.extract_lane(va, 0);
        acc = reduceS(op, acc, f32x4.extract_lane(va, 1));
        acc = reduceS(op, acc, f32x4.extract_lane(va, 2));
        acc = reduceS(op, acc, f32x4.extract_lane(va, 3));
      } else if (op != R_SUM) {
        l = 1;
      }
      for (; l < length; l++) acc = reduceS(op, acc, load<f32>(row + (<usize>l << 2)));
      store<f32>(out + (<usize>o << 2), acc);
    }
    return;
  }
  // inner > 1: accumulate whole rows of `inner` into out, in the reference's order.
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * length * inner) << 2);
    const po = out + (<usize>(o * inner) << 2);
    if (op == R_SUM) memory.fill(po, 0, <usize>inner << 2);
    else memory.copy(po, base, <usize>inner << 2);
    for (let l = op == R_SUM ? 0 : 1; l < length; l++) {
      const pr = base + (<usize>(l * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(po + q, reduceV(op, v128.load(po + q), v128.load(pr + q)));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(po + q, reduceS(op, load<f32>(po + q), load<f32>(pr + q)));
      }
    }
  }
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, length: i32, inner: i32): void {
  if (op == R_SUM) reduceLoop(R_SUM, x, out, outer, length, inner);
  else if (op == R_MAX) reduceLoop(R_MAX, x, out, outer, length, inner);
  else reduceLoop(R_MIN, x, out, outer, length, inner);
}

/** Zeroes `bytes` bytes at `ptr` (bulk memory.fill: much faster than TypedArray.fill on shared memory). */
export function zero(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/**
 * Rows of `rowBytes` bytes of x, picked by the `count` int32 indices at `indices` (trusted to be in
 * range: the ops validate them), written one after another to out: one bulk copy per row, where
 * TypedArray.set on shared memory copies word by word.
 */
export function gatherRows(x: usize, indices: usize, count: i32, rowBytes: i32, out: usize): void {
  const bytes = <usize>rowBytes;
  for (let r = 0; r < count; r++) {
    const i = <usize>load<i32>(indices + (<usize>r << 2));
    memory.copy(out + <usize>r * bytes, x + i * bytes, bytes);
  }
}
