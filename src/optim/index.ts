/** Optimizers, learning-rate schedules and gradient clipping. */
export {
  Optimizer, requireBoolean, baseConfig, type AnyOptimizer, type UpdateItem,
  type LearningRate, type OptionValue, type BaseConfig, type ParamState, type ParamGroupView, type OptimizerStateDict,
} from './optimizer.js';
export { type NamedParams, type ParamGroup, type ParamsArg } from './params.js';
export { SGD, sgdUpdate, sgdUpdateAll, type SGDRule, type SGDState, type SGDConfig, type SGDOptions } from './sgd.js';
export { Adam, AdamW, adamUpdate, adamUpdateAll, type AdamRule, type AdamState, type AdamConfig, type AdamOptions } from './adam.js';
export { RMSprop, rmspropUpdate, type RMSpropRule, type RMSpropState, type RMSpropConfig, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, adagradUpdate, type AdagradRule, type AdagradState, type AdagradConfig, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue, gradNorm } from './clip.js';
export {
  optimizerByName, optimizerNames, optimizerRegistry, optimizerClasses, isLibraryOptimizer,
  type OptimizerName, type OptimizerEntry, type OptimizerOptionKind, type NamedOptimizer, type OptimizerOptionValues,
} from './registry.js';
export {
  type Schedule, type OneCycleOptions,
  constantLR, stepLR, multiStepLR, exponentialLR, inverseScalingLR, polynomialLR,
  cosineAnnealingLR, cosineAnnealingWarmRestarts, linearWarmup, sequentialSchedules, oneCycleLR, perEpoch,
} from './schedules.js';
export {
  ReduceLROnPlateau, type LrScalable, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict,
} from './plateau.js';
