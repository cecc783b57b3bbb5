/**
 * downhill — gradient descent and stochastic gradient descent for neural networks.
 *
 * @packageDocumentation
 */
// Installs the Tensor methods (`x.add(y)`, `loss.backward()`): a side effect of this module and of
// that one, which package.json's `sideEffects` names, so bundlers keep it.
import './ops/tensor-methods.js';

export { Tensor, type NestedArray, type GradNode } from './tensor/tensor.js';
export { type DType, type FloatDType, type TypedArray, type FloatArray } from './tensor/dtype.js';
export { RNG, type RNGState, manualSeed, defaultGenerator } from './tensor/rng.js';
export { ShapeError, DTypeError, ValueError, ReleasedTensorError } from './util/errors.js';
export { type Backend, type MatmulSpec, type MatmulEpilogue } from './backend/backend.js';
export { getBackend, setBackend, registerBackend, listBackends } from './backend/registry.js';
export { useBackend, type BackendChoice } from './backend/select.js';
export {
  initWasmBackend, wasmUnavailableReason, relaxedSimdAvailable, WasmBackend, serveWasmWorker,
  type KernelBuild, type WasmBackendOptions, type WorkerEndpoint, type WasmWorkerFactory, type WasmWorkerHandle,
} from './backend/wasm/index.js';
export { backward, type BackwardOptions } from './autograd/engine.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { tidy, keep } from './autograd/tidy.js';
export { gradcheck, GradcheckError, type GradcheckOptions } from './autograd/gradcheck.js';
export { valueAndGrad, grad, type ValueAndGrad } from './autograd/functional.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, eye, arange, linspace, randn, rand, randint,
  type CreateOptions, type RandomOptions, type TensorLike,
  add, sub, mul, div, pow, powScalar, maximum, minimum, neg, exp, log, sqrt, abs, square,
  sigmoid, tanh, relu, leakyRelu, softplus, clamp, softmax, logSoftmax,
  eq, ne, lt, le, gt, ge, where,
  sum, mean, max, min, argmax, argmin, logsumexp, type Axes, type ReduceOptions,
  matmul, linear, linearRelu, reshape, flatten, unsqueeze, squeeze, permute, transpose, broadcastTo, slice, narrow, concat, stack,
  indexSelect, oneHot, castTo,
} from './ops/index.js';

/** Neural-network modules, initialisers, losses and metrics (`nn.Linear`, `nn.mlp`, `nn.init.xavierUniform`). */
export * as nn from './nn/index.js';
export {
  Module, Parameter, Linear, Sequential, mlp, moduleFromSpec, type ModuleSpec,
  mseLoss, halfMseLoss, maeLoss, huberLoss, bceWithLogitsLoss, crossEntropyLoss, l2Penalty, lossByName, lossNames,
  type LossFunction, type LossName,
  accuracy, zeroOneLoss, confusionMatrix, predictClasses, meanSquaredError, meanAbsoluteError, r2Score,
  classificationReport, reportFromConfusion, type ClassificationReport, type ClassScores, type AveragedScores,
} from './nn/index.js';

/** Optimizers, learning-rate schedules and gradient clipping (`optim.SGD`, `optim.Adam`, `optim.cosineAnnealingLR`). */
export * as optim from './optim/index.js';
export {
  Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, ReduceLROnPlateau, clipGradNorm, clipGradValue, gradNorm,
  perEpoch, constantLR, stepLR, multiStepLR, exponentialLR, inverseScalingLR, polynomialLR, cosineAnnealingLR,
  cosineAnnealingWarmRestarts, linearWarmup, sequentialSchedules, oneCycleLR,
  type Schedule, type LearningRate, type AnyOptimizer, type OptimizerStateDict,
  optimizerByName, optimizerNames, type OptimizerName, type NamedOptimizer,
} from './optim/index.js';

/** The training loop, stopping rules, evaluation and checkpoints. */
export * from './train/index.js';

/** Datasets, the seeded mini-batch sampler and loader, splits, scalers, CSV, bundled and synthetic data. */
export * as data from './data/index.js';
export {
  Dataset, DataLoader, DataError, trainValTestSplit, StandardScaler, MinMaxScaler, scalerFromJSON, parseCsv, encodeCsv, inspectCsv,
  iris, mnistDigits, datasetByName, listDatasets, datasetCsvEncoding, printable, listSome, quoteValue,
  type Batch, type Task, type Split, type CsvEncoding, type CsvData, type CsvInspection, type EncodedCsv, type Scaler, type ScalerJSON,
  type ColumnReport, type DataErrorHint,
} from './data/index.js';
