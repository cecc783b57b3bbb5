import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';
import { requireFinite, requireInteger } from '../util/validate.js';

/**
 * Evaluation metrics. They read values only (no autodiff, no graph) and return plain numbers.
 */

/** How {@link accuracy} and friends turn model outputs into class predictions. */
export interface ClassifyOptions {
  /** Single-column outputs are probabilities (threshold 0.5) rather than logits (threshold 0). Default false. */
  probabilities?: boolean;
  /** Explicit threshold for single-column outputs: predicted class 1 where output > threshold. */
  threshold?: number;
}

/**
 * Predicted classes: the argmax of each row for (N, C) outputs with C > 1 (first index on ties);
 * for (N) or (N, 1) outputs, binary 1 where output > threshold (0 for logits, 0.5 for probabilities).
 */
export function predictClasses(outputs: Tensor, options: ClassifyOptions = {}): Int32Array {
  if (!(outputs instanceof Tensor) || outputs.rank < 1 || outputs.rank > 2) {
    throw new ShapeError(`predictClasses: outputs must have shape (N) or (N, classes), got ${outputs instanceof Tensor ? formatShape(outputs.shape) : typeof outputs}`);
  }
  const n = outputs.shape[0];
  const c = outputs.rank === 2 ? outputs.shape[1] : 1;
  const x = outputs.data;
  const out = new Int32Array(n);
  if (c === 1) {
    const t = requireFinite('threshold', options.threshold ?? (options.probabilities ? 0.5 : 0));
    for (let i = 0; i < n; i++) out[i] = x[i] > t ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (x[i * c + j] > x[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * True classes as integers: N labels (a tensor of shape (N) or (N, 1), or an array), or an (N, C)
 * one-hot / probability tensor, whose row argmax is taken.
 */
function trueClasses(labels: Tensor | ArrayLike<number>, n: number, metric: string): Int32Array {
  if (labels instanceof Tensor && labels.rank === 2 && labels.shape[1] > 1) {
    return predictClasses(labels);
  }
  const values = labels instanceof Tensor ? labels.data : labels;
  const shapeOk = !(labels instanceof Tensor) || labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1);
  if (!shapeOk || values.length !== n) {
    const got = labels instanceof Tensor ? `shape ${formatShape(labels.shape)}` : `${values.length} labels`;
    throw new ShapeError(`${metric}: outputs for ${n} samples need ${n} labels, got ${got}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${metric}: label ${v} at position ${i} is not a class index`);
    out[i] = v;
  }
  return out;
}

function countCorrect(outputs: Tensor, labels: Tensor | ArrayLike<number>, options: ClassifyOptions, metric: string): [number, number] {
  const pred = predictClasses(outputs, options);
  const truth = trueClasses(labels, pred.length, metric);
  if (pred.length === 0) throw new ValueError(`${metric}: no samples`);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) correct++;
  return [correct, pred.length];
}

/**
 * Fraction of samples classified correctly, in [0, 1]. Multi-class outputs (N, C) are scored by
 * argmax; single-column outputs as binary (see {@link predictClasses}). Labels are class indices or
 * one-hot rows.
 *
 * @example
 * accuracy(tensor([[2, 1], [0, 3]]), [0, 1]);   // 1
 */
export function accuracy(outputs: Tensor, labels: Tensor | ArrayLike<number>, options: ClassifyOptions = {}): number {
  const [correct, n] = countCorrect(outputs, labels, options, 'accuracy');
  return correct / n;
}

/** The 0-1 loss averaged over samples: (1/n)·Σᵢ 1[ŷᵢ ≠ yᵢ], the fraction misclassified (1 − accuracy). */
export function zeroOneLoss(outputs: Tensor, labels: Tensor | ArrayLike<number>, options: ClassifyOptions = {}): number {
  const [correct, n] = countCorrect(outputs, labels, options, 'zeroOneLoss');
  return (n - correct) / n;
}

/**
 * Counts M[true][predicted] (rows: true class, columns: predicted class, as scikit-learn), a
 * `numClasses × numClasses` array of plain numbers.
 */
export function confusionMatrix(outputs: Tensor, labels: Tensor | ArrayLike<number>, numClasses: number, options: ClassifyOptions = {}): number[][] {
  requireInteger('confusionMatrix numClasses', numClasses, 1);
  const pred = predictClasses(outputs, options);
  const truth = trueClasses(labels, pred.length, 'confusionMatrix');
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < pred.length; i++) {
    if (truth[i] >= numClasses) throw new ValueError(`confusionMatrix: label ${truth[i]} at position ${i} is out of range [0, ${numClasses})`);
    if (pred[i] >= numClasses) throw new ValueError(`confusionMatrix: predicted class ${pred[i]} at position ${i} is out of range [0, ${numClasses})`);
    m[truth[i]][pred[i]]++;
  }
  return m;
}

function regressionPair(pred: Tensor, target: Tensor | ArrayLike<number>, metric: string): [ArrayLike<number>, ArrayLike<number>] {
  if (!(pred instanceof Tensor)) throw new ValueError(`${metric}: predictions must be a Tensor`);
  const t = target instanceof Tensor ? target.data : target;
  const sameShape = target instanceof Tensor ? shapesEqual(pred.shape, target.shape) : t.length === pred.size;
  if (!sameShape) {
    const got = target instanceof Tensor ? formatShape(target.shape) : `${t.length} values`;
    throw new ShapeError(`${metric}: predictions of shape ${formatShape(pred.shape)} and targets of ${got} must match`);
  }
  if (pred.size === 0) throw new ValueError(`${metric}: no values`);
  return [pred.data, t];
}

/** (1/N)·Σ(ŷ − y)² over all elements, as a number. */
export function meanSquaredError(pred: Tensor, target: Tensor | ArrayLike<number>): number {
  const [p, t] = regressionPair(pred, target, 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - t[i]) ** 2;
  return s / p.length;
}

/** (1/N)·Σ|ŷ − y| over all elements, as a number. */
export function meanAbsoluteError(pred: Tensor, target: Tensor | ArrayLike<number>): number {
  const [p, t] = regressionPair(pred, target, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - t[i]);
  return s / p.length;
}

/**
 * Coefficient of determination R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)². For (N, k) outputs it is computed per
 * column and averaged (scikit-learn's default 'uniform_average'). A constant target column scores 1
 * if predicted exactly, else 0 (scikit-learn's `force_finite`).
 */
export function r2Score(pred: Tensor, target: Tensor | ArrayLike<number>): number {
  const [p, t] = regressionPair(pred, target, 'r2Score');
  const n = pred.rank === 0 ? 1 : pred.shape[0];
  const k = p.length / Math.max(n, 1);
  let total = 0;
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += t[i * k + j];
    m /= n;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      ssRes += (t[i * k + j] - p[i * k + j]) ** 2;
      ssTot += (t[i * k + j] - m) ** 2;
    }
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / k;
}
