import type { FloatArray } from '../../tensor/dtype.js';

/** Scratch for one row's exponentials, grown to the widest row seen (not a new array per call). */
let rowScratch = new Float64Array(16);

/**
 * Softmax cross-entropy over (n, c) logits and class labels, row by row in float64:
 * lseᵢ = mᵢ + log Σ_c exp(xᵢc − mᵢ) with mᵢ the row's maximum (0 where it is infinite), then
 * probsᵢc = exp(xᵢc − mᵢ) / Σ_c exp(xᵢc − mᵢ) and lossᵢ = lseᵢ − xᵢyᵢ. Returns the mean loss.
 * Labels are trusted to be in [0, c) (the loss validates them). The JS backend runs this, and so
 * does the wasm one for arrays its kernel (asm/softmax.ts, the same steps) cannot take.
 */
export function softmaxCrossEntropy(logits: FloatArray, labels: Int32Array, n: number, c: number, probs: FloatArray): number {
  // exp(xᵢc − mᵢ) of one row, kept in float64 so each is computed once (the probabilities divide them).
  if (rowScratch.length < c) rowScratch = new Float64Array(c);
  const e = rowScratch;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) {
      const x = logits[row + j];
      if (x > m || Number.isNaN(x)) m = x;
    }
    // An infinite maximum would give ∞ − ∞; shift by 0 instead, as logsumexp does.
    if (!Number.isFinite(m) && !Number.isNaN(m)) m = 0;
    let s = 0;
    for (let j = 0; j < c; j++) {
      e[j] = Math.exp(logits[row + j] - m);
      s += e[j];
    }
    const lse = m + Math.log(s);
    for (let j = 0; j < c; j++) probs[row + j] = e[j] / s;
    total += lse - logits[row + labels[i]];
  }
  return total / n;
}

/** Its gradient with respect to the logits: out = scale·(probs − onehot(labels)). */
export function softmaxCrossEntropyBackward(probs: FloatArray, labels: Int32Array, n: number, c: number, scale: number, out: FloatArray): void {
  for (let i = 0; i < n; i++) {
    const row = i * c;
    const y = labels[i];
    for (let j = 0; j < c; j++) out[row + j] = scale * (j === y ? probs[row + j] - 1 : probs[row + j]);
  }
}
