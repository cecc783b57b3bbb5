import { noGrad } from '../autograd/grad-mode.js';
import type { Dataset } from '../data/dataset.js';
import type { LossFunction, LossName } from '../nn/losses.js';
import { concat, narrow } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireInteger } from '../util/validate.js';
import { type MetricFunction, type MetricName, alignTargets, resolveLoss, resolveMetrics } from './metrics.js';
import type { TrainableModel } from './types.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to compute: a function `(outputs, targets) => scalar` or a name as in `fit` (default none: the loss is NaN). */
  loss?: LossFunction | LossName;
  /** Metrics to compute, by name (e.g. `'accuracy'`) or as `[name, function]` pairs (default none). */
  metrics?: ReadonlyArray<MetricName | readonly [string, MetricFunction]>;
  /** Rows per forward pass (default 1024); results do not depend on it. */
  batchSize?: number;
}

/** Loss and metrics of `model` on a whole dataset, in evaluation mode, without building a graph. */
export function evaluate(model: TrainableModel, dataset: Dataset, options: EvaluateOptions = {}): {
  /** The loss over the whole dataset; NaN when no `loss` was given. */
  loss: number;
  /** Each requested metric's value over the whole dataset, by name. */
  metrics: Record<string, number>;
} {
  const outputs = predict(model, dataset.x, { batchSize: options.batchSize });
  const metrics = resolveMetrics(options.metrics);
  return noGrad(() => {
    const loss = options.loss === undefined ? NaN : resolveLoss(options.loss)(outputs, alignTargets(outputs, dataset.y)).item();
    return { loss, metrics: Object.fromEntries(metrics.map(([name, fn]) => [name, fn(outputs, dataset.y)])) };
  });
}

/** The model's outputs for `x`, computed in chunks in evaluation mode (dropout off), with no graph. */
export function predict(model: TrainableModel, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  const batchSize = requireInteger('predict batchSize', options.batchSize ?? 1024, 1);
  model.train(false);
  return noGrad(() => {
    const n = x.shape[0];
    if (n <= batchSize) return model.forward(x);
    const parts: Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) parts.push(model.forward(narrow(x, 0, start, Math.min(batchSize, n - start))));
    return concat(parts, 0);
  });
}
