import type { Tensor } from '../tensor/tensor.js';
import { exp, sub } from './elementwise.js';
import { logsumexp } from './reduce.js';

/** Normalising activations, written as compositions so their gradients come for free. */

/** log softmax(x) = x − logsumexp(x) along `axis` (default last), stable for large logits. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logsumexp(x, axis, { keepdims: true }));
}

/** softmax(x)ᵢ = exp(xᵢ)/Σⱼexp(xⱼ) along `axis` (default last), computed as exp(logSoftmax(x)). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
