/**
 * downhill — gradient descent and stochastic gradient descent for neural networks.
 *
 * @packageDocumentation
 */
export { Tensor, type NestedArray, type GradNode } from './tensor/tensor.js';
export { type DType, type FloatDType, type TypedArray, type FloatArray } from './tensor/dtype.js';
export { RNG, type RNGState, manualSeed, defaultGenerator } from './tensor/rng.js';
export { ShapeError, DTypeError, ValueError } from './util/errors.js';
export { type Backend, type MatmulSpec } from './backend/backend.js';
export { getBackend, setBackend, registerBackend, listBackends } from './backend/registry.js';
export { backward, type BackwardOptions } from './autograd/engine.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { gradcheck, GradcheckError, type GradcheckOptions } from './autograd/gradcheck.js';
export { valueAndGrad, grad, type ValueAndGrad } from './autograd/functional.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, eye, arange, linspace, randn, rand, randint,
  type CreateOptions, type RandomOptions, type TensorLike,
  add, sub, mul, div, pow, powScalar, maximum, minimum, neg, exp, log, sqrt, abs, square,
  sigmoid, tanh, relu, leakyRelu, softplus, clamp, softmax, logSoftmax,
  eq, ne, lt, le, gt, ge, where,
  sum, mean, max, min, argmax, argmin, logsumexp, type Axes, type ReduceOptions,
  matmul, linear, reshape, flatten, unsqueeze, squeeze, permute, transpose, broadcastTo, slice, narrow, concat, stack,
  indexSelect, oneHot, castTo,
} from './ops/index.js';
