// The model and optimizer a config describes; rebuilding a trained model from a checkpoint.
import {
  type Checkpoint, type JsonValue, type LearningRate, type Module, type NamedOptimizer, RNG,
  mlp, moduleFromSpec, optimizerByName,
} from '../src/index.js';
import type { TrainConfig } from './config.js';
import { CliError } from './errors.js';

/** Output width: one column per class (one logit for binary cross-entropy), one per regression target. */
export function outputSize(config: TrainConfig, numClasses: number, numTargets: number): number {
  if (config.task === 'regression') return numTargets;
  if (config.loss === 'bce') {
    if (numClasses !== 2) throw new CliError(`--loss bce needs exactly 2 classes, the data has ${numClasses}; use crossEntropy`);
    return 1;
  }
  return numClasses;
}

/** A fresh MLP [inputs, ...layers, outputs], initialised from the run's seed. */
export function buildModel(config: TrainConfig, inputs: number, outputs: number): Module {
  return mlp([inputs, ...config.layers, outputs], { activation: config.activation, rng: new RNG(config.seed) });
}

/** The optimizer's constructor options, as saved in the checkpoint. */
export function optimizerOptions(config: TrainConfig): Record<string, number | boolean> {
  const o: Record<string, number | boolean> = { lr: config.lr };
  if (config.weightDecay > 0 || config.optimizer === 'adamw') o.weightDecay = config.weightDecay;
  if (config.momentum !== null && config.momentum > 0) o.momentum = config.momentum;
  if (config.optimizer === 'nesterov') o.nesterov = true;
  return o;
}

/** The optimizer over `model`'s parameters; `lr` may be a schedule (needed to load a state saved with one). */
export function buildOptimizer(config: TrainConfig, model: Module, lr: LearningRate = config.lr): NamedOptimizer {
  const { lr: _, ...rest } = optimizerOptions(config);
  return optimizerByName(config.optimizer, model.namedParameters(), { ...rest, lr }).optimizer;
}

/** The trained model held by a checkpoint. */
export function modelFromCheckpoint(checkpoint: Checkpoint, where: string): Module {
  try {
    const model = moduleFromSpec(checkpoint.modelSpec as JsonValue);
    model.loadStateDict(checkpoint.weights);
    model.eval();
    return model;
  } catch (e) {
    throw new CliError(`the checkpoint's model cannot be rebuilt: ${(e as Error).message}`, where);
  }
}
