/**
 * The nn layer: modules (layers and models), initialisers, losses and metrics.
 *
 * @example
 * import { nn, RNG } from 'downhill';
 * const model = nn.mlp([2, 8, 1], { activation: 'tanh', rng: new RNG(0) });
 * const loss = nn.bceWithLogitsLoss(model.forward(x), y);
 */
export { Module, Parameter, type ModuleSpec, type JsonValue, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax, Identity, Flatten } from './activations.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Sequential } from './sequential.js';
export { mlp, activationLayer, activationNames, type MlpOptions, type ActivationName, type OutputActivationName } from './mlp.js';
export { moduleFromSpec, registerModuleType, moduleTypes, type FromSpecOptions, type ModuleBuilder } from './spec.js';
export * as init from './init.js';
export type { Initializer, InitName, Nonlinearity, FanMode } from './init.js';
export {
  mseLoss, halfMseLoss, maeLoss, huberLoss, bceWithLogitsLoss, crossEntropyLoss, l2Penalty, lossByName, lossNames,
  type HuberOptions, type CrossEntropyOptions, type BceOptions, type L2PenaltyOptions, type LossFunction, type LossName,
} from './losses.js';
export type { ClassWeights } from './class-weights.js';
export {
  classificationReport, reportFromConfusion, type ClassificationReport, type ClassScores, type AveragedScores,
} from './classification-report.js';
export {
  accuracy, zeroOneLoss, confusionMatrix, predictClasses, meanSquaredError, meanAbsoluteError, r2Score, type ClassifyOptions,
} from './metrics.js';
