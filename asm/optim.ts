// Fused optimizer updates over float32 parameters and state, in place, two elements at a time.
//
// They reproduce the reference loops of src/optim (sgdUpdate, adamUpdate) bit for bit: those run
// in JS numbers (float64) and round to float32 only where they store into an array, so these
// kernels widen each float32 to float64 (f64x2), do the same float64 operations in the same
// order, and narrow at the same stores — and read a stored value back narrowed, as the JS loop
// does when it reads `buf[i]` after writing it.

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
const SGD_MAXIMIZE: i32 = 1;
const SGD_MOMENTUM: i32 = 2;
const SGD_FIRST: i32 = 4;
const SGD_NESTEROV: i32 = 8;

@inline function sgdLoop(p: usize, g: usize, buf: usize, n: i32, lr: f64, mu: f64, damp: f64, wd: f64,
  maximize: bool, hasWd: bool, momentum: bool, first: bool, nesterov: bool): void {
  const lrv = f64x2.splat(lr);
  const muv = f64x2.splat(mu);
  const dampv = f64x2.splat(damp);
  const wdv = f64x2.splat(wd);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    let gv = load2(g + o);
    if (maximize) gv = f64x2.neg(gv);
    const pv = load2(p + o);
    if (hasWd) gv = f64x2.add(gv, f64x2.mul(wdv, pv));
    if (momentum) {
      const bv = first ? gv : f64x2.add(f64x2.mul(muv, load2(buf + o)), f64x2.mul(dampv, gv));
      const stored = store2(buf + o, bv);
      gv = nesterov ? f64x2.add(gv, f64x2.mul(muv, stored)) : stored;
    }
    store2(p + o, f64x2.sub(pv, f64x2.mul(lrv, gv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let gs = load1(g + o);
    if (maximize) gs = -gs;
    const ps = load1(p + o);
    if (hasWd) gs += wd * ps;
    if (momentum) {
      const stored = store1(buf + o, first ? gs : mu * load1(buf + o) + damp * gs);
      gs = nesterov ? gs + mu * stored : stored;
    }
    store1(p + o, ps - lr * gs);
  }
}

/**
 * PyTorch's SGD (src/optim/sgd.ts sgdUpdate): g ← ±∇ (+ wd·θ); with momentum b ← g on the first
 * step else μ·b + damp·g (damp = 1 − dampening), then g ← g + μ·b (Nesterov) or b; θ ← θ − lr·g.
 * `flags`: 1 maximize, 2 momentum (buf valid), 4 first momentum step, 8 Nesterov.
 */
export function sgdStep(p: usize, g: usize, buf: usize, n: i32, lr: f64, mu: f64, damp: f64, wd: f64, flags: i32): void {
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
const ADAM_MAXIMIZE: i32 = 1;
const ADAM_DECOUPLED: i32 = 2;
const ADAM_AMSGRAD: i32 = 4;
const ADAM_LERP_FROM_END: i32 = 8;

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
export function adamStep(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
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
