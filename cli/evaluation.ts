// Held-out metrics, computed the same way by `train` (summary.json) and `eval`.
import {
  type Dataset, type Module, accuracy, evaluate, meanAbsoluteError, meanSquaredError, predict, r2Score, resolveLoss,
} from '../src/index.js';
import type { Preprocessor } from './preprocess.js';

/**
 * Metrics of `model` on raw (unscaled) data: classification accuracy and loss; regression MSE,
 * RMSE, MAE and R² in the targets' own units, and the loss on the standardised targets the model
 * was trained on.
 */
export function heldOutMetrics(model: Module, raw: Dataset, prep: Preprocessor, loss: string): Record<string, number> {
  const scaled = prep.dataset(raw);
  // The name comes from a saved run (a config or a playground checkpoint): resolveLoss checks it.
  const { loss: lossValue } = evaluate(model, scaled, { loss: resolveLoss(loss) });
  if (raw.task === 'classification') {
    const outputs = predict(model, scaled.x);
    return { accuracy: accuracy(outputs, raw.y), loss: lossValue };
  }
  const predictions = prep.outputsToTargets(predict(model, scaled.x));
  const mse = meanSquaredError(predictions, raw.y);
  return { mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(predictions, raw.y), r2: r2Score(predictions, raw.y), loss: lossValue };
}
