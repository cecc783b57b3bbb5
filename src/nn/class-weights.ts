import { tensor } from '../ops/creation.js';
import { add, div, mul, neg } from '../ops/elementwise.js';
import { indexSelect } from '../ops/indexing.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape-ops.js';
import { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';

/** Per-class weights: one finite number ≥ 0 per class (an array or a 1-D tensor). */
export type ClassWeights = Tensor | ArrayLike<number>;

/** The weights as plain numbers, checked: `count` of them, each finite and ≥ 0. */
export function classWeightValues(weight: ClassWeights, count: number, op: string): Float64Array {
  const values = Float64Array.from(weight instanceof Tensor ? weight.data : weight);
  if (values.length !== count) throw new ValueError(`${op}: weight must have one value per class (${count}), got ${values.length}`);
  values.forEach((w, c) => {
    if (!Number.isFinite(w) || w < 0) throw new ValueError(`${op}: weight of class ${c} must be a finite number ≥ 0, got ${w}`);
  });
  return values;
}

/**
 * Weighted softmax cross-entropy from log-probabilities `lsm` (N, C) and class labels, PyTorch's
 * `CrossEntropyLoss(weight=w, label_smoothing=ε)` with mean reduction: with W = Σᵢ w_{yᵢ},
 * L = [(1−ε)·Σᵢ w_{yᵢ}·(−lsmᵢ,yᵢ) + (ε/C)·Σᵢ Σ_c w_c·(−lsmᵢc)] / W.
 */
export function weightedLabelCrossEntropy(lsm: Tensor, labels: Int32Array, w: Float64Array, eps: number): Tensor {
  const [n, c] = lsm.shape;
  const perSample = tensor(Float64Array.from(labels, (y) => w[y]), { dtype: lsm.dtype, shape: [n] });
  let total = 0;
  for (const y of labels) total += w[y];
  const picked = indexSelect(reshape(lsm, [n * c]), Array.from(labels, (y, i) => i * c + y));
  let weighted = mul(sum(mul(picked, perSample)), 1 - eps);
  if (eps > 0) weighted = add(weighted, mul(sum(mul(lsm, tensor(w, { dtype: lsm.dtype, shape: [1, c] }))), eps / c));
  return neg(div(weighted, total));
}

/**
 * The weights as a (1, C) row, to scale each class's term of the cross-entropy against probability
 * targets q: PyTorch's rule for them keeps the mean over samples, L = −(1/N)·Σᵢ Σ_c w_c·qᵢc·lsmᵢc.
 */
export function classWeightRow(w: Float64Array, lsm: Tensor): Tensor {
  return tensor(w, { dtype: lsm.dtype, shape: [1, lsm.shape[1]] });
}
