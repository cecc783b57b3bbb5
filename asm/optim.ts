// Fused optimizer updates over float32 parameters and state, in place.
//
// They reproduce the reference loops of src/optim (sgdUpdate, adamUpdate) bit for bit. SGD on
// float32 runs in float32, as PyTorch's kernels do: the JS loop rounds every operation with
// Math.fround, this one does the same float32 operations in the same order, four elements at a
// time. Adam's JS loop runs in JS numbers (float64) and rounds to float32 only where it stores into
// an array, so its kernel widens each float32 to float64 (f64x2), does the same float64 operations
// in the same order, and narrows at the same stores — and reads a stored value back narrowed, as
// the JS loop does when it reads `m[i]` after writing it.

@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Narrows two float64 lanes to float32 and stores them; returns them widened again (the stored values). */
@inline function store2(p: usize, v: v128): v128 {
  const n = f32x4.demote_f64x2_zero(v);
  v128.store64_lane(p, n, 0);
  return f64x2.promote_low_f32x4(n);
}

@inline function load1(p: usize): f64 {
  return <f64>load<f32>(p);
}

@inline function store1(p: usize, v: f64): f64 {
  const n = <f32>v;
  store<f32>(p, n);
  return <f64>n;
}

// sgdStep flags
export const SGD_MAXIMIZE: i32 = 1;
export const SGD_MOMENTUM: i32 = 2;
export const SGD_FIRST: i32 = 4;
export const SGD_NESTEROV: i32 = 8;

@inline function sgdLoop(p: usize, g: usize, buf: usize, n: i32, lr: f32, mu: f32, damp: f32, wd: f32,
  maximize: bool, hasWd: bool, momentum: bool, first: bool, nesterov: bool): void {
  const lrv = f32x4.splat(lr);
  const muv = f32x4.splat(mu);
  const dampv = f32x4.splat(damp);
  const wdv = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let gv = v128.load(g + o);
    if (maximize) gv = f32x4.neg(gv);
    const pv = v128.load(p + o);
    if (hasWd) gv = f32x4.add(gv, f32x4.mul(wdv, pv));
    if (momentum) {
      const bv = first ? gv : f32x4.add(f32x4.mul(muv, v128.load(buf + o)), f32x4.mul(dampv, gv));
      v128.store(buf + o, bv);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(muv, bv)) : bv;
    }
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(lrv, gv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gs = load<f32>(g + o);
    if (maximize) gs = -gs;
    const ps = load<f32>(p + o);
    if (hasWd) gs = gs + wd * ps;
    if (momentum) {
      const bs: f32 = first ? gs : mu * load<f32>(buf + o) + damp * gs;
      store<f32>(buf + o, bs);
      gs = nesterov ? gs + mu * bs : bs;
    }
    store<f32>(p + o, ps - lr * gs);
  }
}

/**
 * PyTorch's SGD (src/optim/sgd.ts sgdUpdate) in float32: g ← ±∇ (+ wd·θ); with momentum b ← g on
 * the first step else μ·b + damp·g (damp = 1 − dampening), then g ← g + μ·b (Nesterov) or b;
 * θ ← θ − lr·g. The caller passes lr, μ, damp and wd rounded to float32 (Math.fround), as the JS
 * loop uses them. `flags`: 1 maximize, 2 momentum (buf valid), 4 first momentum step, 8 Nesterov.
 */
function sgdStep(p: usize, g: usize, buf: usize, n: i32, lr: f32, mu: f32, damp: f32, wd: f32, flags: i32): void {
  const maximize = (flags & SGD_MAXIMIZE) != 0;
  const hasWd = wd != 0;
  if ((flags & SGD_MOMENTUM) == 0) {
    // The common cases get their own loops, free of the branches they do not take.
    if (!maximize && !hasWd) sgdLoop(p, g, buf, n, lr, mu, damp, wd, false, false, false, false, false);
    else sgdLoop(p, g, buf, n, lr, mu, damp, wd, maximize, hasWd, false, false, false);
    return;
  }
  const first = (flags & SGD_FIRST) != 0;
  const nesterov = (flags & SGD_NESTEROV) != 0;
  if (!maximize && !hasWd && !first && !nesterov) sgdLoop(p, g, buf, n, lr, mu, damp, wd, false, false, true, false, false);
  else sgdLoop(p, g, buf, n, lr, mu, damp, wd, maximize, hasWd, true, first, nesterov);
}

// adamStep flags
export const ADAM_MAXIMIZE: i32 = 1;
export const ADAM_DECOUPLED: i32 = 2;
export const ADAM_AMSGRAD: i32 = 4;
export const ADAM_LERP_FROM_END: i32 = 8;

@inline function adamLoop(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f64, bc2Sqrt: f64, w: f64, oneMinusW: f64, beta2: f64, oneMinusBeta2: f64, eps: f64, wd: f64, decay: f64,
  maximize: bool, decoupled: bool, hasWd: bool, amsgrad: bool, fromEnd: bool): void {
  const stepv = f64x2.splat(stepSize);
  const bc2v = f64x2.splat(bc2Sqrt);
  const wv = f64x2.splat(w);
  const omwv = f64x2.splat(oneMinusW);
  const b2v = f64x2.splat(beta2);
  const omb2v = f64x2.splat(oneMinusBeta2);
  const epsv = f64x2.splat(eps);
  const wdv = f64x2.splat(wd);
  const decayv = f64x2.splat(decay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    let gv = load2(g + o);
    if (maximize) gv = f64x2.neg(gv);
    let pv = load2(p + o);
    if (decoupled) pv = store2(p + o, f64x2.mul(pv, decayv));
    else if (hasWd) gv = f64x2.add(gv, f64x2.mul(wdv, pv));
    // m ← lerp(m, g, w), from the nearer end as PyTorch's lerp
    const mv = load2(m + o);
    const d = f64x2.sub(gv, mv);
    const mNew = store2(m + o, fromEnd ? f64x2.sub(gv, f64x2.mul(d, omwv)) : f64x2.add(mv, f64x2.mul(wv, d)));
    let second = store2(v + o, f64x2.add(f64x2.mul(load2(v + o), b2v), f64x2.mul(f64x2.mul(omb2v, gv), gv)));
    if (amsgrad) {
      const old = load2(vmax + o);
      const take = v128.or(f64x2.gt(second, old), f64x2.ne(second, second));
      second = store2(vmax + o, v128.bitselect(second, old, take));
    }
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(second), bc2v), epsv);
    store2(p + o, f64x2.sub(pv, f64x2.mul(stepv, f64x2.div(mNew, denom))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gs = load1(g + o);
    if (maximize) gs = -gs;
    let ps = load1(p + o);
    if (decoupled) ps = store1(p + o, ps * decay);
    else if (hasWd) gs += wd * ps;
    const ms = load1(m + o);
    const mNew = store1(m + o, fromEnd ? gs - (gs - ms) * oneMinusW : ms + w * (gs - ms));
    let second = store1(v + o, load1(v + o) * beta2 + oneMinusBeta2 * gs * gs);
    if (amsgrad) {
      const old = load1(vmax + o);
      second = store1(vmax + o, second > old || second != second ? second : old);
    }
    const denom = Math.sqrt(second) / bc2Sqrt + eps;
    store1(p + o, ps - stepSize * (mNew / denom));
  }
}

/**
 * PyTorch's Adam/AdamW (src/optim/adam.ts adamUpdate), with the step's scalars computed by the
 * caller: stepSize = lr/(1 − β₁ᵗ), bc2Sqrt = √(1 − β₂ᵗ), w = 1 − β₁ (and 1 − w), 1 − β₂,
 * decay = 1 − lr·λ (AdamW). `flags`: 1 maximize, 2 decoupled decay, 4 amsgrad (vmax valid),
 * 8 lerp from the end (w ≥ 0.5).
 */
function adamStep(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f64, bc2Sqrt: f64, w: f64, oneMinusW: f64, beta2: f64, oneMinusBeta2: f64, eps: f64, wd: f64, decay: f64, flags: i32): void {
  const maximize = (flags & ADAM_MAXIMIZE) != 0;
  const decoupled = (flags & ADAM_DECOUPLED) != 0;
  const amsgrad = (flags & ADAM_AMSGRAD) != 0;
  const fromEnd = (flags & ADAM_LERP_FROM_END) != 0;
  const hasWd = wd != 0;
  if (!maximize && !decoupled && !hasWd && !amsgrad && !fromEnd) {
    adamLoop(p, g, m, v, vmax, n, stepSize, bc2Sqrt, w, oneMinusW, beta2, oneMinusBeta2, eps, wd, decay, false, false, false, false, false);
  } else if (!maximize && decoupled && !amsgrad && !fromEnd) {
    adamLoop(p, g, m, v, vmax, n, stepSize, bc2Sqrt, w, oneMinusW, beta2, oneMinusBeta2, eps, wd, decay, false, true, hasWd, false, false);
  } else {
    adamLoop(p, g, m, v, vmax, n, stepSize, bc2Sqrt, w, oneMinusW, beta2, oneMinusBeta2, eps, wd, decay, maximize, decoupled, hasWd, amsgrad, fromEnd);
  }
}

// All of a group's parameters in one call (PyTorch's multi-tensor optimizers): a table in the heap
// lists them, and the work is cut into blocks of `block` elements numbered across the whole table
// (a parameter's blocks start at its firstBlock; its last one is shorter), so threads can claim
// blocks of any parameter; each element's update is independent, so any split gives the same bits.
// The tables' layouts (bytes; src/backend/wasm/optim.ts writes them, reading the sizes and flag
// bits below from this module's exports, so they are written here only):
//
//   SGD header (32): count i32 · block i32 · lr f32 · mu f32 · damp f32 · wd f32
//   SGD item (24):   p · g · buf · n · flags (sgdStep's) · firstBlock        (i32 each)
//   Adam header (64): count i32 · block i32 · w · 1 − w · β₂ · 1 − β₂ · ε · wd · decay   (f64 from byte 8)
//   Adam item (48):  p · g · m · v · vmax · n · flags (adamStep's) · firstBlock (i32) · stepSize · bc2Sqrt (f64)

export const SGD_HEADER: i32 = 32;
export const SGD_ITEM: i32 = 24;
export const ADAM_HEADER: i32 = 64;
export const ADAM_ITEM: i32 = 48;

/** Elements [e0, e1) of the item whose blocks start at firstBlock and number ceil(n / block), within blocks [b0, b1); e1 ≤ e0 when none. */
@inline function span(n: i32, block: i32, firstBlock: i32, b0: i32, b1: i32): i64 {
  const lo = max(b0, firstBlock);
  const hi = min(b1, firstBlock + (n + block - 1) / block);
  const e0 = (lo - firstBlock) * block;
  const e1 = min(n, (hi - firstBlock) * block);
  return (<i64>e0 << 32) | <i64><u32>e1;
}

/** The SGD updates of blocks [b0, b1) of the table at `table` (layout above). */
export function sgdBlocks(table: usize, b0: i32, b1: i32): void {
  const count = load<i32>(table);
  const block = load<i32>(table, 4);
  const lr = load<f32>(table, 8), mu = load<f32>(table, 12), damp = load<f32>(table, 16), wd = load<f32>(table, 20);
  for (let i = 0; i < count; i++) {
    const it = table + <usize>(SGD_HEADER + i * SGD_ITEM);
    const s = span(load<i32>(it, 12), block, load<i32>(it, 20), b0, b1);
    const e0 = <i32>(s >> 32), e1 = <i32>s;
    if (e1 <= e0) continue;
    const o = <usize>e0 << 2;
    const buf = load<u32>(it, 8);
    sgdStep(load<u32>(it) + o, load<u32>(it, 4) + o, buf == 0 ? 0 : buf + o, e1 - e0, lr, mu, damp, wd, load<i32>(it, 16));
  }
}

/** The Adam updates of blocks [b0, b1) of the table at `table` (layout above). */
export function adamBlocks(table: usize, b0: i32, b1: i32): void {
  const count = load<i32>(table);
  const block = load<i32>(table, 4);
  const w = load<f64>(table, 8), omw = load<f64>(table, 16), beta2 = load<f64>(table, 24), omb2 = load<f64>(table, 32);
  const eps = load<f64>(table, 40), wd = load<f64>(table, 48), decay = load<f64>(table, 56);
  for (let i = 0; i < count; i++) {
    const it = table + <usize>(ADAM_HEADER + i * ADAM_ITEM);
    const s = span(load<i32>(it, 20), block, load<i32>(it, 28), b0, b1);
    const e0 = <i32>(s >> 32), e1 = <i32>s;
    if (e1 <= e0) continue;
    const o = <usize>e0 << 2;
    const vmax = load<u32>(it, 16);
    adamStep(load<u32>(it) + o, load<u32>(it, 4) + o, load<u32>(it, 8) + o, load<u32>(it, 12) + o, vmax == 0 ? 0 : vmax + o, e1 - e0,
      load<f64>(it, 32), load<f64>(it, 40), w, omw, beta2, omb2, eps, wd, decay, load<i32>(it, 24));
  }
}
