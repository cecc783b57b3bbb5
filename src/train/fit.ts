import { noGrad } from '../autograd/grad-mode.js';
import { overlapped } from '../backend/overlap.js';
import { tidy } from '../autograd/tidy.js';
import { DataLoader } from '../data/loader.js';
import { Dataset } from '../data/dataset.js';
import { trainValTestSplit } from '../data/split.js';
import { type LossFunction, type LossName, l2Penalty } from '../nn/losses.js';
import { add } from '../ops/elementwise.js';
import { isLibraryOptimizer } from '../optim/registry.js';
import { RNG } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireInteger } from '../util/validate.js';
import { evaluate } from './evaluate.js';
import { type MetricFunction, type MetricName, alignTargets, resolveLoss, resolveMetrics } from './metrics.js';
import { type AbortSignalLike, type StopContext, type StoppingRule, abortSignal, divergence, maxEpochs } from './stopping.js';
import type { BatchInfo, Callback, EpochRecord, History, StopReason, TrainableModel, TrainingState } from './types.js';

/** The optimizer side `fit` needs (every optimizer in `optim` has it). */
export interface FitOptimizer {
  /** Clears the gradients of every parameter. */
  zeroGrad(): void;
  /** Updates the parameters from their gradients (one optimizer step). */
  step(): void;
  /** Steps taken so far. */
  readonly stepCount: number;
  /** The learning rate of group `groupIndex` (default 0) at `step` (default: the next step). */
  getLearningRate(groupIndex?: number, step?: number): number;
}

export interface FitOptions {
  /** The loss to minimise: a function `(outputs, targets) => scalar` or a name ('crossEntropy', 'mse', 'halfMse', 'bce', 'mae', 'huber'). */
  loss: LossFunction | LossName;
  /** An optimizer built on the model's parameters, e.g. `new optim.SGD(model.namedParameters(), { lr: 0.1 })`. */
  optimizer: FitOptimizer;
  /** Mini-batch size m: 1 is pure SGD, `'full'` (or n) is full-batch gradient descent. Default 32 (or n if smaller). */
  batchSize?: number | 'full';
  /** Maximum number of epochs (default 10). */
  epochs?: number;
  /** Shuffle every epoch (default true, except for full-batch gradient descent, where order cannot matter). */
  shuffle?: boolean;
  /** Drop the last, smaller batch of each epoch (default false). */
  dropLast?: boolean;
  /** Data to validate on after every epoch. */
  validationData?: Dataset;
  /** Or a fraction of the training data to hold out for validation (seeded, stratified for classification). */
  validationSplit?: number;
  /** Metrics to report for training and validation, e.g. `['accuracy']`. */
  metrics?: ReadonlyArray<MetricName | readonly [string, MetricFunction]>;
  /** λ of an L2 penalty λΣw² added to the loss (biases excluded). Default 0. */
  l2?: number;
  /** Extra stopping rules; `maxEpochs(epochs)` and `divergence()` are always included. */
  stopping?: StoppingRule[];
  /** Stops training after the current batch when aborted. */
  signal?: AbortSignalLike;
  /** Hooks called during training, in order, each awaited. */
  callbacks?: Callback[];
  /** Seed for shuffling and the validation split (default 0). */
  seed?: number;
  /** Yield to the event loop at least this often, in ms (default 50), so pages and signals stay live. */
  yieldEveryMs?: number;
  /**
   * Run each step in `tidy()` (default true): the tensors of a step give their memory back when it
   * ends, so the next step reuses it while it is still in the CPU's cache. Set false if the model
   * keeps tensors from its forward pass (or `keep()` them).
   */
  tidySteps?: boolean;
  /** Continue a run from a saved {@link TrainingState} (load model and optimizer state first). */
  resume?: TrainingState;
}

/**
 * Trains `model` on `train` with mini-batch stochastic gradient descent until a stopping rule fires.
 * Each epoch draws a fresh random permutation of the samples and cuts it into mini-batches of m; for
 * each batch the spine is: zero the gradients, forward, loss, backward, optimizer step, and zero
 * them again, so that in a `tidy()` step (the default) their memory goes back with the step's
 * rather than to the garbage collector (callbacks see no gradients).
 *
 * @example
 * const model = nn.mlp([4, 16, 3], { activation: 'relu', rng: new RNG(0) });
 * const history = await fit(model, train, {
 *   loss: 'crossEntropy',
 *   optimizer: new optim.SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9 }),
 *   batchSize: 16, epochs: 50, validationSplit: 0.2, metrics: ['accuracy'],
 *   stopping: [earlyStopping({ patience: 5, restoreBestWeights: true })],
 * });
 * history.stopReason.message;  // "valLoss did not improve for 5 epochs (best 0.0812 at epoch 21)"
 */
export async function fit(model: TrainableModel, train: Dataset, options: FitOptions): Promise<History> {
  if (!(train instanceof Dataset)) throw new ValueError('fit: training data must be a Dataset (see data.Dataset)');
  const lossFn = resolveLoss(options.loss);
  const metrics = resolveMetrics(options.metrics);
  const epochs = requireInteger('fit epochs', options.epochs ?? 10, 1);
  const l2 = requireAtLeast('fit l2', options.l2 ?? 0, 0);
  const seed = options.seed ?? 0;
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  const tidySteps = options.tidySteps ?? true;
  const { optimizer } = options;

  let trainSet = train;
  let validation = options.validationData;
  if (options.validationSplit !== undefined && options.validationSplit > 0) {
    if (validation) throw new ValueError('fit: give validationData or validationSplit, not both');
    const split = trainValTestSplit(train, { val: options.validationSplit, test: 0, rng: new RNG(seed).spawn() });
    trainSet = split.train;
    validation = split.val;
  }
  const n = trainSet.length;
  const batchSize = options.batchSize === 'full' ? n : options.batchSize ?? Math.min(32, n);
  const loader = new DataLoader(trainSet, { batchSize, shuffle: options.shuffle ?? batchSize < n, dropLast: options.dropLast ?? false, seed });
  const numBatches = loader.numBatches;

  if ('schedule' in options || 'scheduleUnit' in options) {
    // The learning rate is given once, to the optimizer, so resuming cannot set it twice.
    throw new ValueError("fit: the schedule is the optimizer's lr, not an option of fit: new SGD(params, { lr: schedule }) (counting batches), or { lr: perEpoch(schedule, batchesPerEpoch) } (counting epochs)");
  }

  const rules: StoppingRule[] = [maxEpochs(epochs), divergence(), ...(options.stopping ?? [])];
  if (options.signal) rules.push(abortSignal(options.signal));
  const callbacks = options.callbacks ?? [];

  const history: EpochRecord[] = options.resume ? [...options.resume.history] : [];
  let epoch = options.resume?.epoch ?? 0;
  let step = options.resume?.step ?? 0;
  const elapsedBefore = options.resume?.elapsedMs ?? 0;
  if (options.resume) {
    loader.setState(options.resume.loader);
    for (const r of rules) {
      const s = options.resume.rules[r.name];
      if (s !== undefined && r.setState) r.setState(s);
      const w = options.resume.ruleWeights?.[r.name];
      if (w !== undefined && r.setWeights) r.setWeights(w);
    }
  }
  const start = now();
  let lastYield = start;
  const ctx = (): StopContext => ({ epoch, step, elapsedMs: elapsedBefore + now() - start, model, history });
  const namedParams = model.namedParameters();
  // The step may run on behind the loop only where every read until the scope ends is the
  // library's: its own optimizers (a subclass may read the arrays its fused step is writing).
  const overlapStep = isLibraryOptimizer(optimizer) ? overlapped : <T>(f: () => T): T => f();

  for (const r of rules) r.onTrainBegin?.(ctx());
  for (const cb of callbacks) await cb.onTrainBegin?.({ epochs, numBatches, numSamples: n });

  let stop: StopReason | null = null;
  while (stop === null) {
    epoch++;
    const epochStart = now();
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch);
    model.train(true);
    let lossSum = 0;
    let seen = 0;
    const metricSums = new Array<number>(metrics.length).fill(0);
    let batchIndex = 0;
    let lr = optimizer.getLearningRate();
    const batches = loader[Symbol.iterator]();
    let next = batches.next();
    // Closed as `for … of` would close it, also on a stop or a throw: the loader's saved position then reads the same.
    try {
      while (!next.done) {
        const batch = next.value;
        // The training spine: zero, forward, loss, backward, step, zero.
        lr = optimizer.getLearningRate();
        const spine = (): number => {
          optimizer.zeroGrad();
          const outputs = model.forward(batch.x);
          const targets = alignTargets(outputs, batch.y);
          const dataLoss = lossFn(outputs, targets);
          const objective = l2 > 0 ? add(dataLoss, l2Penalty(namedParams, l2)) : dataLoss;
          const lossValue = dataLoss.item();
          // Metrics read the outputs before the step, which may then run on behind the loop.
          if (metrics.length > 0) noGrad(() => metrics.forEach(([, fn], i) => (metricSums[i] += fn(outputs, batch.y) * batch.size)));
          if (Number.isFinite(objective.item())) {
            objective.backward();
            optimizer.step();
          }
          optimizer.zeroGrad();
          return lossValue;
        };
        // With threads the optimizer step may run on while the step's tensors are freed and the
        // next batch is gathered; it is finished when this returns, before any callback can read.
        const lossValue = overlapStep(() => {
          const value = tidySteps ? tidy(spine) : spine();
          next = batches.next();
          return value;
        });
        step++;
        lossSum += lossValue * batch.size;
        seen += batch.size;
        const info: BatchInfo = {
          epoch, batch: batchIndex, numBatches, step, loss: lossValue, runningLoss: lossSum / seen, size: batch.size, lr,
          samplesPerSec: seen / Math.max((now() - epochStart) / 1000, 1e-9),
        };
        batchIndex++;
        for (const cb of callbacks) await cb.onBatchEnd?.(info);
        stop = firstStop(rules, (r) => r.checkBatch?.(info, ctx()) ?? null, epoch);
        if (stop) break;
        if (now() - lastYield >= yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }
    } finally {
      batches.return?.(undefined);
    }
    if (stop && seen === 0) break;

    const record: EpochRecord = {
      epoch,
      loss: lossSum / Math.max(seen, 1),
      penalty: l2 > 0 ? noGrad(() => l2Penalty(namedParams, l2).item()) : 0,
      metrics: Object.fromEntries(metrics.map(([name], i) => [name, metricSums[i] / Math.max(seen, 1)])),
      lr,
      step,
      durationMs: 0,
      samplesPerSec: seen / Math.max((now() - epochStart) / 1000, 1e-9),
      ...(batchIndex < numBatches ? { partial: true } : {}),
    };
    if (validation && !(stop && stop.rule === 'divergence')) {
      const v = evaluate(model, validation, { loss: lossFn, metrics: options.metrics });
      record.valLoss = v.loss;
      record.valMetrics = v.metrics;
    }
    record.durationMs = now() - epochStart;
    history.push(record);
    if (!stop) stop = firstStop(rules, (r) => r.checkEpoch?.(record, ctx()) ?? null, epoch);
    const state = trainingState(rules, { epoch, step, elapsedMs: elapsedBefore + now() - start, history: [...history], loader: loader.getState() });
    for (const cb of callbacks) await cb.onEpochEnd?.(record, history, state);
  }

  const reason = stop ?? { rule: 'maxEpochs', message: 'finished', epoch };
  let restoredEpoch: number | undefined;
  for (const r of rules) {
    const restored = r.onTrainEnd?.(ctx(), reason.rule);
    if (restored !== undefined) restoredEpoch = restored;
  }
  model.train(false);
  const result: History = { epochs: history, stopReason: reason, ...(restoredEpoch !== undefined ? { restoredEpoch } : {}) };
  for (const cb of callbacks) await cb.onTrainEnd?.(result);
  return result;
}

/** Where training is, with every rule's state and kept weights (snapshots are replaced, never mutated). */
function trainingState(rules: readonly StoppingRule[], where: Omit<TrainingState, 'rules' | 'ruleWeights'>): TrainingState {
  const state: TrainingState = { ...where, rules: {} };
  for (const r of rules) {
    if (r.getState) state.rules[r.name] = r.getState();
    const w = r.getWeights?.();
    if (w) (state.ruleWeights ??= {})[r.name] = w;
  }
  return state;
}

/** Asks every rule (each must see every batch and epoch to keep its books); the first to answer wins. */
function firstStop(rules: readonly StoppingRule[], check: (r: StoppingRule) => string | null, epoch: number): StopReason | null {
  let stop: StopReason | null = null;
  for (const r of rules) {
    const message = check(r);
    if (message !== null && stop === null) stop = { rule: r.name, message, epoch };
  }
  return stop;
}

function now(): number {
  return performance.now();
}

/** Lets timers, I/O, pointer events and abort signals run between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
