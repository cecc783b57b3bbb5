import type { DataLoaderState } from '../data/loader.js';
import type { Tensor } from '../tensor/tensor.js';
import type { JsonValue } from './json.js';

/** One epoch of training, as recorded in the {@link History}. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean of the batch losses during the epoch, weighted by batch size (the data loss, without L2). */
  loss: number;
  /** The L2 penalty λΣw² at the end of the epoch (0 without L2). */
  penalty: number;
  /** Training metrics over the epoch's batches (size-weighted), e.g. `{ accuracy: 0.93 }`. */
  metrics: Record<string, number>;
  /** Validation loss at the end of the epoch, when there is validation data. */
  valLoss?: number;
  /** Validation metrics at the end of the epoch. */
  valMetrics?: Record<string, number>;
  /** Learning rate of the epoch's last step (group 0). */
  lr: number;
  /** Optimizer steps taken so far in the whole run. */
  step: number;
  /** Wall time of the epoch in milliseconds (training and validation). */
  durationMs: number;
  /** Training samples per second during the epoch. */
  samplesPerSec: number;
  /**
   * True when a rule stopped training before the epoch's last batch (maxSteps, timeBudget, abort, a
   * non-finite batch loss): the record covers only the batches that ran, and a checkpoint of this
   * state cannot resume exactly (save the previous epoch's instead).
   */
  partial?: boolean;
}

/** Why training stopped. */
export interface StopReason {
  /** The rule that stopped training, e.g. 'maxEpochs', 'earlyStopping', 'divergence', 'abort'. */
  rule: string;
  /** A sentence for people, e.g. "validation loss did not improve for 5 epochs (best 0.0812 at epoch 7)". */
  message: string;
  /** Epoch during or after which training stopped. */
  epoch: number;
}

/** What `fit` returns: one record per epoch and why it ended. */
export interface History {
  /** One record per epoch run, in order (a resumed run's include the epochs before the resume). */
  epochs: EpochRecord[];
  /** The rule that ended training and why. */
  stopReason: StopReason;
  /** Epoch whose weights the model holds at the end, when a rule restored earlier weights. */
  restoredEpoch?: number;
}

/** Progress within an epoch, passed to `onBatchEnd`. */
export interface BatchInfo {
  /** 1-based epoch number. */
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Batches per epoch. */
  numBatches: number;
  /** Optimizer steps taken so far in the run. */
  step: number;
  /** This batch's loss. */
  loss: number;
  /** Size-weighted mean loss of the epoch so far. */
  runningLoss: number;
  /** Samples in this batch (the last batch of an epoch may be smaller). */
  size: number;
  /** Learning rate this batch's step used (group 0). */
  lr: number;
  /** Samples per second so far in this epoch. */
  samplesPerSec: number;
}

/**
 * Hooks into the training loop. All are optional and may be async: `fit` awaits them, so a
 * callback can yield to the event loop (redraw a page, write a file) between batches.
 */
export interface Callback {
  /** Before the first epoch: the epoch limit, batches per epoch and training samples. */
  onTrainBegin?(info: { epochs: number; numBatches: number; numSamples: number }): void | Promise<void>;
  /** Before each epoch, with its 1-based number. */
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** After each batch, once its update is done. */
  onBatchEnd?(info: BatchInfo): void | Promise<void>;
  /** `state` is what a checkpoint needs to resume after this epoch. */
  onEpochEnd?(record: EpochRecord, history: readonly EpochRecord[], state: TrainingState): void | Promise<void>;
  /** Once training has stopped, with what `fit` returns. */
  onTrainEnd?(history: History): void | Promise<void>;
}

/** A copy of a model's parameter values, by parameter name (the form of `Module.stateDict()`). */
export type WeightSnapshot = Record<string, Tensor>;

/** The model side `fit` needs: a forward pass, named parameters, and a training-mode switch. */
export interface TrainableModel {
  /** Outputs for a batch of inputs `[batch, ...]`, recording the graph. */
  forward(x: Tensor): Tensor;
  /** The trainable tensors by dotted name, in a fixed order. */
  namedParameters(): Array<[string, Tensor]>;
  /** Switches training mode on (`true`, the default) or off; the return value is ignored. */
  train(mode?: boolean): unknown;
}

/** Everything needed to continue a run exactly where it stopped (saved in checkpoints). */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Wall time of the run so far in milliseconds, summed over resumes. */
  elapsedMs: number;
  /** The records of the epochs completed. */
  history: EpochRecord[];
  /** The shuffler's position (its generator state), so the next epoch draws the same permutation. */
  loader: DataLoaderState;
  /** Each stopping rule's state, by rule name. */
  rules: Record<string, JsonValue>;
  /**
   * Weights a stopping rule keeps — early stopping's and divergence's best epoch — by rule name, so
   * a resumed run restores the same weights at the end as the uninterrupted one. Checkpoints store
   * them as tensors named `training.<rule>.<param>`.
   */
  ruleWeights?: Record<string, WeightSnapshot>;
}
