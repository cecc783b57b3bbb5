import { accuracy, meanAbsoluteError, meanSquaredError, r2Score, zeroOneLoss } from '../nn/metrics.js';
import { lossByName, type LossFunction } from '../nn/losses.js';
import { castTo } from '../ops/core.js';
import { reshape } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';

/** A metric: model outputs and targets to one number (higher or lower is better by its name). */
export type MetricFunction = (outputs: Tensor, targets: Tensor) => number;

/** Metric names `fit` and `evaluate` understand. */
export type MetricName = 'accuracy' | 'zeroOne' | 'mse' | 'mae' | 'r2';

const metricRegistry: Record<MetricName, MetricFunction> = {
  accuracy: (o, t) => accuracy(o, t),
  zeroOne: (o, t) => zeroOneLoss(o, t),
  mse: (o, t) => meanSquaredError(o, t),
  mae: (o, t) => meanAbsoluteError(o, t),
  r2: (o, t) => r2Score(o, t),
};

/** Every metric name {@link resolveMetrics} accepts. */
export const metricNames = Object.keys(metricRegistry) as MetricName[];

/** Named metric functions from names or `[name, fn]` pairs. */
export function resolveMetrics(metrics: ReadonlyArray<MetricName | readonly [string, MetricFunction]> = []): Array<[string, MetricFunction]> {
  return metrics.map((m) => {
    if (typeof m !== 'string') return [m[0], m[1]];
    const fn = metricRegistry[m as MetricName];
    if (!fn) throw new ValueError(`unknown metric '${m}'; known metrics: ${metricNames.join(', ')}`);
    return [m, fn];
  });
}

/** A loss function from a name ('crossEntropy', 'mse', 'halfMse', …) or the function itself. */
export function resolveLoss(loss: string | LossFunction): LossFunction {
  return typeof loss === 'string' ? lossByName(loss) : loss;
}

/**
 * Targets in the form a loss on `outputs` expects: class labels (int32, [n]) meeting a single
 * output column — binary classification with BCE — become float [n, 1] targets.
 */
export function alignTargets(outputs: Tensor, targets: Tensor): Tensor {
  if (targets.dtype === 'int32' && outputs.rank === 2 && outputs.shape[1] === 1 && targets.rank === 1) {
    return reshape(castTo(targets, outputs.dtype), [targets.shape[0], 1]);
  }
  return targets;
}
