import type { JsonValue } from './json.js';
import type { BatchInfo, EpochRecord, TrainableModel, WeightSnapshot } from './types.js';
import { restoreWeights, snapshotWeights } from './weights.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireFinite, requireInteger, requireOneOf } from '../util/validate.js';

/**
 * Stopping rules. `fit` asks every rule after each batch and each epoch; the first that answers
 * with a message stops training, and that message becomes the history's stop reason. Rules compose
 * by listing them; each keeps its own small state (saved in checkpoints so a resumed run stops
 * where the uninterrupted one would have).
 */

/** What a rule may look at. */
export interface StopContext {
  /** The current 1-based epoch (in `onTrainBegin`: the epochs already completed, 0 unless resumed). */
  epoch: number;
  /** Optimizer steps taken so far in the run. */
  step: number;
  /** Wall time of the run so far in milliseconds, summed over resumes. */
  elapsedMs: number;
  /** The model being trained (e.g. to snapshot or restore its weights). */
  model: TrainableModel;
  /** Records of the epochs completed so far. */
  history: readonly EpochRecord[];
}

/**
 * A stopping rule for `fit`: a name plus optional hooks. Only the hooks a rule needs are given;
 * `getState`/`setState` and `getWeights`/`setWeights` make it resumable from a checkpoint.
 */
export interface StoppingRule {
  /** Short identifier reported as the stop reason's `rule`. */
  readonly name: string;
  /** Called once before the first epoch (also when resuming, after `setState`/`setWeights`). */
  onTrainBegin?(ctx: StopContext): void;
  /** A message to stop after this batch, or null to go on. */
  checkBatch?(info: BatchInfo, ctx: StopContext): string | null;
  /** A message to stop after this epoch, or null to go on. */
  checkEpoch?(record: EpochRecord, ctx: StopContext): string | null;
  /**
   * Called once when training ends, whatever ended it (`stoppedBy` names the rule). A rule may
   * restore weights here; it returns the epoch whose weights it restored (0: the initial weights).
   */
  onTrainEnd?(ctx: StopContext, stoppedBy: string): number | undefined;
  /** The rule's state as JSON, saved in checkpoints. */
  getState?(): JsonValue;
  /** Restores a state from `getState()` when resuming. */
  setState?(state: JsonValue): void;
  /** Weights the rule keeps for the end of training (saved in checkpoints with its state), or null. */
  getWeights?(): WeightSnapshot | null;
  /** Restores weights from `getWeights()` when resuming. */
  setWeights?(weights: WeightSnapshot): void;
}

/** The value of a monitored quantity: 'loss', 'valLoss', a metric ('accuracy') or 'valAccuracy'. */
export function monitorValue(record: EpochRecord, monitor: string): number | undefined {
  if (monitor === 'loss') return record.loss;
  if (monitor === 'valLoss') return record.valLoss;
  if (monitor in record.metrics) return record.metrics[monitor];
  if (monitor.startsWith('val') && record.valMetrics) {
    const metric = monitor.charAt(3).toLowerCase() + monitor.slice(4);
    return record.valMetrics[metric];
  }
  return undefined;
}

/** 'max' for accuracy-like quantities, 'min' otherwise (Keras's 'auto'). */
function autoMode(monitor: string): 'min' | 'max' {
  return /accuracy|r2/i.test(monitor) ? 'max' : 'min';
}

/** Stops after `epochs` epochs. */
export function maxEpochs(epochs: number): StoppingRule {
  requireInteger('maxEpochs epochs', epochs, 1);
  return {
    name: 'maxEpochs',
    checkEpoch: (r) => (r.epoch >= epochs ? `reached the maximum of ${epochs} epoch${epochs === 1 ? '' : 's'}` : null),
  };
}

/** Stops after `steps` optimizer steps (checked after every batch). */
export function maxSteps(steps: number): StoppingRule {
  requireInteger('maxSteps steps', steps, 1);
  return { name: 'maxSteps', checkBatch: (b) => (b.step >= steps ? `reached the maximum of ${steps} steps` : null) };
}

/** Stops once training has run for `ms` milliseconds (checked after every batch). */
export function timeBudget(ms: number): StoppingRule {
  requireAtLeast('timeBudget ms', ms, 0);
  return { name: 'timeBudget', checkBatch: (_b, ctx) => (ctx.elapsedMs >= ms ? `time budget of ${(ms / 1000).toFixed(1)} s used up` : null) };
}

/** Stops when the monitored loss (default the training loss) reaches `target` or lower. */
export function targetLoss(target: number, options: { monitor?: string } = {}): StoppingRule {
  requireFinite('targetLoss target', target);
  const monitor = options.monitor ?? 'loss';
  return {
    name: 'targetLoss',
    checkEpoch: (r) => {
      const v = monitorValue(r, monitor);
      return v !== undefined && v <= target ? `${monitor} ${fmt(v)} reached the target ${fmt(target)}` : null;
    },
  };
}

/**
 * Stops when the monitored loss (default the training loss) has not improved by at least `tol`
 * for `patience` consecutive epochs (scikit-learn's tol + n_iter_no_change).
 */
export function tolerance(options: { tol?: number; patience?: number; monitor?: string } = {}): StoppingRule {
  const tol = requireAtLeast('tolerance tol', options.tol ?? 1e-4, 0);
  const patience = requireInteger('tolerance patience', options.patience ?? 5, 1);
  const monitor = options.monitor ?? 'loss';
  let best = Infinity;
  let stale = 0;
  return {
    name: 'tolerance',
    checkEpoch: (r) => {
      const v = monitorValue(r, monitor);
      if (v === undefined) return null;
      if (v < best - tol) stale = 0;
      else stale++;
      best = Math.min(best, v);
      return stale >= patience ? `${monitor} improved by less than ${tol} for ${patience} epochs (best ${fmt(best)})` : null;
    },
    getState: () => ({ best: Number.isFinite(best) ? best : null, stale }),
    setState: (s) => {
      const o = s as { best: number | null; stale: number };
      best = o.best ?? Infinity;
      stale = o.stale;
    },
  };
}

/** Options of {@link earlyStopping}, as Keras's `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** Quantity to watch (default 'valLoss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max' or 'auto' (max for accuracy-like names). */
  mode?: 'min' | 'max' | 'auto';
  /** Training goes on (patience counting from 0) only while the value beats this baseline. */
  baseline?: number;
  /** Put back the best epoch's weights when training ends, whatever ended it (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

/**
 * Keras's EarlyStopping: stop when `monitor` has not improved by more than `minDelta` for
 * `patience` epochs; optionally restore the best epoch's weights at the end of training.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): StoppingRule {
  const monitor = options.monitor ?? 'valLoss';
  const minDelta = Math.abs(requireAtLeast('earlyStopping minDelta', options.minDelta ?? 0, 0));
  const patience = requireInteger('earlyStopping patience', options.patience ?? 0, 0);
  const startFromEpoch = requireInteger('earlyStopping startFromEpoch', options.startFromEpoch ?? 0, 0);
  const modeOpt = requireOneOf('earlyStopping mode', options.mode ?? 'auto', ['min', 'max', 'auto'] as const);
  const mode = modeOpt === 'auto' ? autoMode(monitor) : modeOpt;
  const baseline = options.baseline;
  if (baseline !== undefined) requireFinite('earlyStopping baseline', baseline);
  // Keras: an improvement beats the reference by more than minDelta in the monitored direction.
  const better = (value: number, reference: number): boolean => (mode === 'min' ? value + minDelta < reference : value - minDelta > reference);
  let best = mode === 'min' ? Infinity : -Infinity;
  let bestEpoch = 0;
  let wait = 0;
  let bestWeights: WeightSnapshot | null = null;
  let warned = false;
  return {
    name: 'earlyStopping',
    checkEpoch: (r, ctx) => {
      const v = monitorValue(r, monitor);
      if (v === undefined) {
        if (!warned && r.epoch > startFromEpoch) {
          warned = true;
          throw new ValueError(`earlyStopping: monitored quantity '${monitor}' is not available; give validation data or monitor 'loss'`);
        }
        return null;
      }
      if (r.epoch <= startFromEpoch) return null;
      if (options.restoreBestWeights && bestWeights === null) bestWeights = snapshotWeights(ctx.model);
      wait++;
      if (better(v, best)) {
        best = v;
        bestEpoch = r.epoch;
        if (options.restoreBestWeights) bestWeights = snapshotWeights(ctx.model);
        if (baseline === undefined || better(v, baseline)) {
          wait = 0;
          return null;
        }
      }
      return wait >= patience && r.epoch > 1
        ? `${monitor} did not improve for ${wait} epoch${wait === 1 ? '' : 's'} (best ${fmt(best)} at epoch ${bestEpoch})`
        : null;
    },
    onTrainEnd: (ctx) => {
      if (!options.restoreBestWeights || bestWeights === null) return undefined;
      restoreWeights(ctx.model, bestWeights);
      return bestEpoch;
    },
    getState: () => ({ best: Number.isFinite(best) ? best : null, bestEpoch, wait }),
    setState: (s) => {
      const o = s as { best: number | null; bestEpoch: number; wait: number };
      best = o.best ?? (mode === 'min' ? Infinity : -Infinity);
      bestEpoch = o.bestEpoch;
      wait = o.wait;
    },
    getWeights: () => bestWeights,
    setWeights: (w) => {
      bestWeights = w;
    },
  };
}

/**
 * Stops when training diverges — a batch loss that is NaN or ±Infinity, or an epoch loss above
 * `factor` × the best epoch loss so far — and puts back the weights of the best epoch (or the
 * initial weights if no epoch finished), so the model is never left holding NaNs.
 */
export function divergence(options: { factor?: number } = {}): StoppingRule {
  const factor = requireAtLeast('divergence factor', options.factor ?? 100, 1);
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let bestWeights: WeightSnapshot | null = null;
  return {
    name: 'divergence',
    onTrainBegin: (ctx) => {
      // A resumed run has its best weights back already (setWeights).
      bestWeights ??= snapshotWeights(ctx.model);
    },
    checkBatch: (b) => (Number.isFinite(b.loss) ? null : `loss became ${b.loss} at step ${b.step} (epoch ${b.epoch}, batch ${b.batch + 1}): the learning rate is probably too large`),
    checkEpoch: (r, ctx) => {
      if (r.loss > factor * bestLoss) return `epoch loss ${fmt(r.loss)} rose above ${factor}× the best ${fmt(bestLoss)}: training is diverging`;
      if (r.loss < bestLoss) {
        bestLoss = r.loss;
        bestEpoch = r.epoch;
        bestWeights = snapshotWeights(ctx.model);
      }
      return null;
    },
    onTrainEnd: (ctx, stoppedBy) => {
      if (stoppedBy !== 'divergence' || bestWeights === null) return undefined;
      restoreWeights(ctx.model, bestWeights);
      return bestEpoch;
    },
    getState: () => ({ bestLoss: Number.isFinite(bestLoss) ? bestLoss : null, bestEpoch }),
    setState: (s) => {
      const o = s as { bestLoss: number | null; bestEpoch: number };
      bestLoss = o.bestLoss ?? Infinity;
      bestEpoch = o.bestEpoch;
    },
    getWeights: () => bestWeights,
    setWeights: (w) => {
      bestWeights = w;
    },
  };
}

/**
 * What {@link abortSignal} reads of an `AbortSignal` (any object alike will do), declared here so
 * the published types need no DOM lib.
 */
export interface AbortSignalLike {
  /** Whether the signal has been aborted. */
  readonly aborted: boolean;
  /** Why (a string reason is quoted in the stop message). */
  readonly reason?: unknown;
}

/** Stops (after the current batch) when `signal` is aborted — a Stop button, a Ctrl-C handler. */
export function abortSignal(signal: AbortSignalLike): StoppingRule {
  return {
    name: 'abort',
    checkBatch: () => (signal.aborted ? `aborted${signal.reason !== undefined && typeof signal.reason === 'string' ? `: ${signal.reason}` : ''}` : null),
  };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(4) : v.toExponential(3);
}
