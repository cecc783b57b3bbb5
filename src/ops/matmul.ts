import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/graph.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, formatShape } from '../util/errors.js';
import { coercePair, emptyForOutput, floatData } from './core.js';
import { add, relu, reluGradient } from './elementwise.js';
import { broadcastTo, reshape } from './shape-ops.js';

/**
 * Matrix products. The transposes a gradient needs (g·Bᵀ, Aᵀ·g) are passed to the kernel as flags,
 * so no transposed copy is ever made.
 */

/** op(a)·op(b) for rank ≥ 2 operands, batch dimensions broadcast; transposes apply to the last two axes. */
export function matmulTransposed(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  let [ta, tb, dtype] = coercePair(a, b, 'matmul');
  if (ta.rank < 2 || tb.rank < 2) {
    throw new ShapeError(`matmul: operands need at least 2 dimensions here, got ${formatShape(ta.shape)} and ${formatShape(tb.shape)}`);
  }
  const [ar, ac] = ta.shape.slice(-2);
  const [br, bc] = tb.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    const desc = `${transA ? 'ᵀ' : ''}·${transB ? 'ᵀ' : ''}`;
    throw new ShapeError(`matmul: inner dimensions differ for ${formatShape(ta.shape)} ${desc} ${formatShape(tb.shape)} (${k} vs ${kb})`);
  }
  let aBatch = ta.shape.slice(0, -2);
  let bBatch = tb.shape.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch, 'matmul');
  const batch = sizeOf(batchShape);
  // The kernel reuses one whole matrix (batch stride 0) or walks a full batch; partial batch
  // broadcasting ([2, 1] with [3]) is expanded first (broadcastTo's gradient sums it back).
  if (sizeOf(aBatch) !== batch && sizeOf(aBatch) !== 1) {
    ta = broadcastTo(ta, [...batchShape, ar, ac]);
    aBatch = batchShape;
  }
  if (sizeOf(bBatch) !== batch && sizeOf(bBatch) !== 1) {
    tb = broadcastTo(tb, [...batchShape, br, bc]);
    bBatch = batchShape;
  }
  const out = emptyForOutput([...batchShape, m, n], dtype);
  getBackend().matmul(floatData(ta, 'matmul'), floatData(tb, 'matmul'), floatData(out, 'matmul'), {
    batch, m, k, n, transA, transB,
    aBatchStride: sizeOf(aBatch) === 1 ? 0 : ar * ac,
    bBatchStride: sizeOf(bBatch) === 1 ? 0 : br * bc,
  });
  return record(out, 'matmul', [ta, tb], (g) => matmulGradients(ta, tb, transA, transB, g));
}

/**
 * The product's gradient rule: for C = op(A)·op(B), ∂A = g·op(B)ᵀ (transposed back if A was) and
 * ∂B likewise (null where an operand needs none). The fused dense layer uses this same rule.
 */
function matmulGradients(ta: Tensor, tb: Tensor, transA: boolean, transB: boolean, g: Tensor): [Tensor | null, Tensor | null] {
  return [
    ta.requiresGrad ? (transA ? matmulTransposed(tb, g, transB, true) : matmulTransposed(g, tb, false, !transB)) : null,
    tb.requiresGrad ? (transB ? matmulTransposed(g, ta, true, transA) : matmulTransposed(ta, g, !transA, false)) : null,
  ];
}

/**
 * Matrix product with NumPy's rules: 2-D × 2-D, batched (…, m, k) × (…, k, n) with broadcast batch
 * dimensions, and 1-D operands treated as a row (left) or column (right) vector that is then dropped.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) throw new ShapeError(`matmul: scalars are not allowed, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  let out = matmulTransposed(a2, b2, false, false);
  if (a.rank === 1 || b.rank === 1) {
    const shape = [...out.shape];
    if (b.rank === 1) shape.pop();
    if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
    out = reshape(out, shape);
  }
  return out;
}

/**
 * The affine map of a dense layer, y = x·Wᵀ + b, with W stored (out, in) as in PyTorch's Linear.
 * Backends may fuse it; the gradient is the composition's.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return dense(x, weight, bias ?? null, false);
}

/**
 * relu(x·Wᵀ + b): a dense layer and its ReLU, in one kernel where the backend fuses them (the same
 * values as `relu(linear(x, weight, bias))`, without the pre-activation tensor in between).
 * `nn.Sequential` uses it for a `Linear` followed by a `ReLU`.
 */
export function linearRelu(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return dense(x, weight, bias ?? null, true);
}

function dense(x: Tensor, weight: Tensor, bias: Tensor | null, withRelu: boolean): Tensor {
  const op = withRelu ? 'linearRelu' : 'linear';
  if (x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError(`${op}: input of shape ${formatShape(x.shape)} does not match weight of shape ${formatShape(weight.shape)} (expected last input dimension ${weight.shape[1]})`);
  }
  // A single 1-D sample is a batch of one, as in PyTorch.
  const x2 = x.rank === 1 ? reshape(x, [1, x.shape[0]]) : x;
  const fused = getBackend().matmulFused;
  if (fused && bias && x2.rank === 2 && weight.rank === 2 && bias.rank === 1 && bias.shape[0] === weight.shape[0]
    && x2.dtype === 'float32' && weight.dtype === 'float32' && bias.dtype === 'float32') {
    // One kernel for x·Wᵀ + b (then ReLU): the same values as the separate ops; the gradient is the composition's.
    const [m, k] = x2.shape;
    const n = weight.shape[0];
    const fusedOut = emptyForOutput([m, n], 'float32');
    fused.call(getBackend(), floatData(x2, op), floatData(weight, op), floatData(fusedOut, op),
      { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 }, { bias: floatData(bias, op), relu: withRelu });
    // The composition's gradient, rule by rule: ReLU's (with its output standing in for its input:
    // y > 0 exactly where the pre-activation is), the sum's (g to both terms; the engine reduces the
    // bias's over the broadcast rows, as for any add), then the product's.
    const recorded = record(fusedOut, op, [x2, weight, bias], (g) => {
      const gp = withRelu ? reluGradient(g, fusedOut) : g;
      const [gx, gw] = matmulGradients(x2, weight, false, true, gp);
      return [gx, gw, bias.requiresGrad ? gp : null];
    });
    return x.rank === 1 ? reshape(recorded, [n]) : recorded;
  }
  const y = matmulTransposed(x2, weight, false, true);
  const affine = bias ? add(y, bias) : y;
  const out = withRelu ? relu(affine) : affine;
  return x.rank === 1 ? reshape(out, [weight.shape[0]]) : out;
}
