/** The training layer: the fit loop, stopping rules, evaluation, checkpoints. */
export { fit, type FitOptions, type FitOptimizer } from './fit.js';
export { evaluate, predict, type EvaluateOptions } from './evaluate.js';
export {
  maxEpochs, maxSteps, timeBudget, targetLoss, tolerance, earlyStopping, divergence, abortSignal, monitorValue,
  type StoppingRule, type StopContext, type EarlyStoppingOptions, type AbortSignalLike,
} from './stopping.js';
export { resolveMetrics, resolveLoss, metricNames, type MetricFunction, type MetricName } from './metrics.js';
export { snapshotWeights, restoreWeights, weightsAreFinite } from './weights.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type SafetensorsContents } from './safetensors.js';
export { encodeCheckpoint, decodeCheckpoint, CheckpointError, type Checkpoint } from './checkpoint.js';
export type { EpochRecord, History, StopReason, BatchInfo, Callback, TrainableModel, WeightSnapshot, TrainingState } from './types.js';
export type { JsonValue } from './json.js';
