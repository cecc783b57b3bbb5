import { getBackend } from '../backend/registry.js';
import { record } from '../autograd/graph.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, emptyForOutput, floatData, scalarTensor } from './core.js';

/**
 * Mean softmax cross-entropy of (n, c) logits against n class labels (already validated to lie in
 * [0, c)), as one backend kernel: L = −(1/n)·Σᵢ log softmax(xᵢ)_{yᵢ}, with ∂L/∂x = (softmax(x) −
 * onehot(y))/n. The same value and gradient as the composition `crossEntropyLoss` otherwise builds
 * (logSoftmax, gather, sum, scale), in one node instead of ten. Returns null when the backend has no
 * such kernel or cannot run these arrays; the caller then composes the loss from ops.
 */
export function fusedSoftmaxCrossEntropy(logits: Tensor, labels: Int32Array): Tensor | null {
  const backend = getBackend();
  const forward = backend.softmaxCrossEntropy;
  const backwardKernel = backend.softmaxCrossEntropyBackward;
  const dtype = logits.dtype;
  if (!forward || !backwardKernel || !isFloat(dtype) || logits.rank !== 2) return null;
  const [n, c] = logits.shape;
  if (n === 0 || c === 0 || labels.length !== n) return null;
  const x = floatData(logits, 'crossEntropyLoss');
  // A tensor, saved with the node, so a tidy() scope frees it with the step (or keeps it with the graph).
  const probs = emptyForOutput([n, c], dtype);
  const value = forward.call(backend, x, labels, n, c, floatData(probs, 'crossEntropyLoss'));
  if (value === null) return null;
  return record(scalarTensor(value, dtype), 'crossEntropy', [logits], (g) => {
    const gx = empty(logits.shape, dtype);
    backwardKernel.call(backend, floatData(probs, 'crossEntropyLoss'), labels, n, c, Number(g.data[0]) / n, floatData(gx, 'crossEntropyLoss'));
    return [gx];
  }, [probs]);
}
