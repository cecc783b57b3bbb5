// Softmax cross-entropy over (n, c) float32 logits and int32 class labels, row by row in float64,
// as src/backend/js/softmax-cross-entropy.ts computes it (that file documents the rule):
// the same operations in the same order, with musl's exp and log (the JS engine's may differ from
// them in the last bit of a float64, which float32 probabilities rarely show).

/**
 * Writes probs (n, c) and returns the mean loss. `e` is scratch for c float64 values. Labels are
 * trusted to be in [0, c) (the loss validates them).
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, n: i32, c: i32, probs: usize, e: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const row = logits + (<usize>(i * c) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < c; j++) {
      const x = <f64>load<f32>(row + (<usize>j << 2));
      if (x > m || isNaN(x)) m = x;
    }
    // An infinite maximum would give ∞ − ∞; shift by 0 instead, as logsumexp does.
    if (!isFinite(m) && !isNaN(m)) m = 0;
    let s: f64 = 0;
    for (let j = 0; j < c; j++) {
      const v = Math.exp(<f64>load<f32>(row + (<usize>j << 2)) - m);
      store<f64>(e + (<usize>j << 3), v);
      s += v;
    }
    const lse = m + Math.log(s);
    const out = probs + (<usize>(i * c) << 2);
    for (let j = 0; j < c; j++) store<f32>(out + (<usize>j << 2), <f32>(load<f64>(e + (<usize>j << 3)) / s));
    total += lse - <f64>load<f32>(row + (<usize>load<i32>(labels + (<usize>i << 2)) << 2));
  }
  return total / <f64>n;
}
