// The model and optimizer a config describes; rebuilding a trained model from a checkpoint.
import { totalmem } from 'node:os';
import {
  type Checkpoint, type JsonValue, type LearningRate, type Module, type NamedOptimizer, RNG,
  WasmBackend, getBackend, mlp, moduleFromSpec, optimizerByName,
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

/** The wasm backend's heap limit (useNodeBackend's default, 4096 MiB). */
const WASM_HEAP_BYTES = 4096 * 2 ** 20;

const bytesText = (b: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  for (; b >= 1024 && u < units.length - 1; u++) b /= 1024;
  return `${b.toPrecision(3)} ${units[u]}`;
};

/**
 * Refuses a model that cannot fit in memory, before anything is allocated: its parameters in
 * float32, times the copies training keeps (weights, gradients, the optimizer's state, the best
 * weights early stopping and divergence recovery keep), plus a batch's activations.
 */
export function checkModelSize(config: TrainConfig, inputs: number, outputs: number, batchSize: number): void {
  const sizes = [inputs, ...config.layers, outputs];
  let params = 0;
  for (let i = 0; i + 1 < sizes.length; i++) params += (sizes[i] + 1) * sizes[i + 1];
  const optimizerSlots = config.optimizer === 'adam' || config.optimizer === 'adamw' ? 2 : config.optimizer === 'sgd' && !config.momentum ? 0 : 1;
  const copies = 2 + optimizerSlots + 1 + (config.patience !== null ? 1 : 0);
  const activations = 3 * batchSize * sizes.reduce((a, b) => a + b, 0);
  const bytes = 4 * (params * copies + activations);
  const wasm = getBackend() instanceof WasmBackend;
  const budget = wasm ? Math.min(WASM_HEAP_BYTES, 0.75 * totalmem()) : 0.75 * totalmem();
  if (bytes > budget) {
    const where = wasm ? `the wasm backend's ${bytesText(WASM_HEAP_BYTES)} heap` : `the ${bytesText(totalmem())} of this machine's memory`;
    throw new CliError(`the model is too large for memory: --layers ${config.layers.join(',') || 'none'} on ${inputs} inputs makes ${params.toLocaleString('en-US')} parameters, ` +
      `about ${bytesText(bytes)} to train (weights, gradients, optimizer state), more than ${where} allows; use smaller --layers`);
  }
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
