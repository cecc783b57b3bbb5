import { logSoftmax } from '../ops/activations.js';
import { castTo, scalarTensor } from '../ops/core.js';
import { abs, add, div, eq, lt, mul, neg, softplus, square, sub } from '../ops/elementwise.js';
import { indexSelect, where } from '../ops/indexing.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape-ops.js';
import { fusedSoftmaxCrossEntropy } from '../ops/softmax-cross-entropy.js';
import { type ClassWeights, classWeightRow, classWeightValues, weightedLabelCrossEntropy } from './class-weights.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';
import { requireAtLeast, requireGreaterThan, requireInClosedRange, requireOneOf } from '../util/validate.js';

/**
 * Loss functions. Each is a composition of differentiable ops, so `loss.backward()` gets its
 * gradient from autodiff; each returns a scalar tensor.
 */

function requireSame(pred: Tensor, target: Tensor, loss: string): void {
  if (!(pred instanceof Tensor) || !(target instanceof Tensor)) throw new ValueError(`${loss}: predictions and targets must be Tensors`);
  if (!shapesEqual(pred.shape, target.shape)) {
    throw new ShapeError(`${loss}: predictions of shape ${formatShape(pred.shape)} and targets of shape ${formatShape(target.shape)} must have the same shape`);
  }
}

/**
 * Mean squared error over all N elements, L = (1/N)·Σ(ŷ − y)², as PyTorch's `MSELoss()` and Keras'
 * `mse`. This is the registry's `'mse'`.
 */
export function mseLoss(pred: Tensor, target: Tensor): Tensor {
  requireSame(pred, target, 'mseLoss');
  return mean(square(sub(pred, target)));
}

/**
 * Half the summed squared error per sample, L = 1/(2n)·Σᵢ‖ŷᵢ − yᵢ‖², n = number of samples (rows,
 * the first axis): the textbook least-squares loss whose gradient is (1/n)·Σᵢ(ŷᵢ − yᵢ). With one
 * output column it equals mseLoss/2; with k columns, k·mseLoss/2. The registry's `'halfMse'`.
 */
export function halfMseLoss(pred: Tensor, target: Tensor): Tensor {
  requireSame(pred, target, 'halfMseLoss');
  const n = pred.rank === 0 ? 1 : pred.shape[0];
  return div(sum(square(sub(pred, target))), 2 * Math.max(n, 1));
}

/** Mean absolute error, L = (1/N)·Σ|ŷ − y| (PyTorch's `L1Loss()`). */
export function maeLoss(pred: Tensor, target: Tensor): Tensor {
  requireSame(pred, target, 'maeLoss');
  return mean(abs(sub(pred, target)));
}

/** Options of {@link huberLoss}. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be > 0). */
  delta?: number;
}

/**
 * Huber loss (PyTorch's `HuberLoss(delta)`), the mean over elements of
 * ½d² where |d| < δ and δ(|d| − ½δ) elsewhere, d = ŷ − y.
 */
export function huberLoss(pred: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  requireSame(pred, target, 'huberLoss');
  const delta = requireGreaterThan('huberLoss delta', options.delta ?? 1, 0);
  const d = sub(pred, target);
  const a = abs(d);
  const quadratic = mul(square(d), 0.5);
  const linearPart = mul(sub(a, 0.5 * delta), delta);
  return mean(where(lt(a, delta), quadratic, linearPart));
}

/** Options of {@link bceWithLogitsLoss}. */
export interface BceOptions {
  /**
   * Weights [w₀, w₁] of the two classes (targets 0 and 1). Element i then weighs
   * wᵢ = w₀·(1−yᵢ) + w₁·yᵢ and the loss is the weighted mean Σwᵢ·lᵢ / Σwᵢ, the rule of
   * `crossEntropyLoss`'s `weight` (and PyTorch's for it).
   */
  classWeights?: readonly [number, number];
}

/**
 * Binary cross-entropy on logits x with targets y ∈ [0, 1] (PyTorch's `BCEWithLogitsLoss()`), the
 * mean of −[y·log σ(x) + (1−y)·log(1−σ(x))] = log(1+eˣ) − x·y = max(x,0) − x·y + log(1+e^−|x|);
 * log(1+eˣ) is the stable softplus op, so huge logits give no overflow, and the gradient is σ(x) − y.
 */
export function bceWithLogitsLoss(logits: Tensor, targets: Tensor, options: BceOptions = {}): Tensor {
  requireSame(logits, targets, 'bceWithLogitsLoss');
  const terms = sub(softplus(logits), mul(logits, targets));
  if (!options.classWeights) return mean(terms);
  const [w0, w1] = classWeightValues(options.classWeights, 2, 'bceWithLogitsLoss');
  const w = add(mul(targets, w1 - w0), w0);
  return div(sum(mul(terms, w)), sum(w));
}

/** Options of {@link crossEntropyLoss}. */
export interface CrossEntropyOptions {
  /**
   * ε in [0, 1] (default 0): the target distribution becomes (1−ε)·target + ε/C, as in PyTorch's
   * `label_smoothing`.
   */
  labelSmoothing?: number;
  /**
   * One weight per class, as PyTorch's `weight`: with class labels the loss becomes the weighted
   * mean Σᵢ w_{yᵢ}·lᵢ / Σᵢ w_{yᵢ}; with probability targets each class's term is scaled by w_c and
   * the mean stays over samples.
   */
  weight?: ClassWeights;
}

/** Class labels as validated integers in [0, numClasses). */
function labelIndices(target: Tensor | ArrayLike<number>, n: number, numClasses: number, logitsShape: readonly number[]): Int32Array {
  const values = target instanceof Tensor ? target.data : target;
  const shapeOk = target instanceof Tensor ? target.rank === 1 || (target.rank === 2 && target.shape[1] === 1) : true;
  if (!shapeOk || values.length !== n) {
    const got = target instanceof Tensor ? `targets of shape ${formatShape(target.shape)}` : `${values.length} labels`;
    throw new ShapeError(`crossEntropyLoss: logits of shape ${formatShape(logitsShape)} need ${n} class labels or targets of shape ${formatShape(logitsShape)}, got ${got}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new ValueError(`crossEntropyLoss: label ${v} at position ${i} is not a class index in [0, ${numClasses})`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Softmax cross-entropy from logits of shape (N, C), averaged over the N samples:
 * L = −(1/N)·Σᵢ Σ_c qᵢc·log softmax(xᵢ)_c, with log softmax computed stably as x − logsumexp(x).
 *
 * `target` is either N integer class labels (an int32 tensor, a float tensor of whole numbers, or an
 * array; shape (N) or (N, 1)) — then q is one-hot and L = −(1/N)·Σᵢ log softmax(xᵢ)_{yᵢ}, as PyTorch's
 * `CrossEntropyLoss()` — or an (N, C) tensor of probabilities (one-hot or soft labels). Terms with
 * q = 0 count as 0 even where log softmax underflows to −∞.
 *
 * @example
 * crossEntropyLoss(logits, [2, 0, 1]);                  // labels
 * crossEntropyLoss(logits, oneHot([2, 0, 1], 3));       // the same value
 */
export function crossEntropyLoss(logits: Tensor, target: Tensor | ArrayLike<number>, options: CrossEntropyOptions = {}): Tensor {
  if (!(logits instanceof Tensor) || logits.rank !== 2) {
    throw new ShapeError(`crossEntropyLoss: logits must have shape (samples, classes), got ${logits instanceof Tensor ? formatShape(logits.shape) : typeof logits}`);
  }
  const eps = requireInClosedRange('crossEntropyLoss labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
  const [n, c] = logits.shape;
  const w = options.weight === undefined ? null : classWeightValues(options.weight, c, 'crossEntropyLoss');
  if (target instanceof Tensor && shapesEqual(target.shape, logits.shape)) {
    const lsm = logSoftmax(logits, -1);
    // Probability targets: q = (1−ε)·target + ε/C; 0·(−∞) is taken as 0.
    const p = target.dtype === 'int32' ? castTo(target, logits.dtype) : target;
    const q = eps > 0 ? add(mul(p, 1 - eps), eps / c) : p;
    const terms = w ? mul(mul(q, lsm), classWeightRow(w, lsm)) : mul(q, lsm);
    return neg(div(sum(where(eq(q, 0), 0, terms)), n));
  }
  const labels = labelIndices(target, n, c, logits.shape);
  if (w) return weightedLabelCrossEntropy(logSoftmax(logits, -1), labels, w, eps);
  // The backend's fused kernel gives the same loss and gradient in one node, when it has one.
  const fused = eps === 0 ? fusedSoftmaxCrossEntropy(logits, labels) : null;
  if (fused) return fused;
  const lsm = logSoftmax(logits, -1);
  // log softmax at each sample's label, gathered from the flattened (N·C) vector.
  const flat = labels.map((y, i) => i * c + y);
  const picked = sum(indexSelect(reshape(lsm, [n * c]), flat));
  if (eps === 0) return neg(div(picked, n));
  // With smoothing: −(1/N)·Σᵢ[(1−ε)·lsmᵢ,yᵢ + (ε/C)·Σ_c lsmᵢc].
  return neg(div(add(mul(picked, 1 - eps), mul(sum(lsm), eps / c)), n));
}

/** Options of {@link l2Penalty}. */
export interface L2PenaltyOptions {
  /** Also penalise biases, the parameters whose name ends in "bias" (default false). */
  includeBiases?: boolean;
}

/**
 * Weight decay as a loss term, λ·Σ w² over every weight (the squared L2 norm, without ½), from
 * `model.namedParameters()`. Biases are left out by default, as is usual. Returns a scalar.
 *
 * @example
 * const loss = add(crossEntropyLoss(model.forward(x), y), l2Penalty(model.namedParameters(), 1e-4));
 */
export function l2Penalty(namedParams: Iterable<readonly [string, Tensor]>, lambda: number, options: L2PenaltyOptions = {}): Tensor {
  requireAtLeast('l2Penalty lambda', lambda, 0);
  const includeBiases = options.includeBiases ?? false;
  let total: Tensor | null = null;
  for (const [name, p] of namedParams) {
    if (!includeBiases && name.endsWith('bias')) continue;
    const s = sum(square(p));
    total = total === null ? s : add(total, s);
  }
  return total === null ? scalarTensor(0, 'float32') : mul(total, lambda);
}

/** A loss as the registry returns it: predictions and targets in, scalar tensor out. */
export type LossFunction = (pred: Tensor, target: Tensor) => Tensor;
/** Names known to {@link lossByName}. */
export type LossName = 'mse' | 'halfMse' | 'mae' | 'huber' | 'bce' | 'crossEntropy';

const registry: Record<LossName, LossFunction> = {
  mse: mseLoss,
  halfMse: halfMseLoss,
  mae: maeLoss,
  huber: (p, t) => huberLoss(p, t),
  bce: bceWithLogitsLoss,
  crossEntropy: (p, t) => crossEntropyLoss(p, t),
};

/** Every name {@link lossByName} accepts. */
export const lossNames: readonly LossName[] = Object.keys(registry) as LossName[];

/**
 * The loss called `name`, with default options: 'mse' (PyTorch/Keras mean over elements),
 * 'halfMse' (1/(2n)·Σ‖ŷᵢ − yᵢ‖²), 'mae', 'huber' (δ = 1), 'bce' (with logits), 'crossEntropy'
 * (from logits). Unknown names throw a ValueError listing these.
 */
export function lossByName(name: string): LossFunction {
  return registry[requireOneOf('loss', name, lossNames)];
}
