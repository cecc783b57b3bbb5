// `--class-weight`: per-class weights in the loss, resolved against the training split's classes,
// and the loss function a run trains (and is evaluated) with.
import { type Dataset, type LossFunction, bceWithLogitsLoss, crossEntropyLoss, resolveLoss } from '../src/index.js';
import { CliError } from './errors.js';

/**
 * The weights of `spec` for the classes of `train`: 'balanced' gives class c the weight
 * n / (k · n_c) over the training split (scikit-learn's rule), so every class weighs as much in
 * total; `2,1,1` lists them in class order; `rain=2,sun=1` names some (the others weigh 1).
 * Null for 'none' or a regression task.
 */
export function resolveClassWeights(spec: string | undefined, train: Dataset): number[] | null {
  if (spec === undefined || spec === 'none' || train.task !== 'classification') {
    if (spec !== undefined && spec !== 'none' && train.task !== 'classification') throw new CliError('--class-weight applies to classification only');
    return null;
  }
  const classes = train.classNames;
  if (spec === 'balanced') {
    const counts = train.classCounts();
    const n = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (c > 0 ? n / (classes.length * c) : 0));
  }
  const parts = spec.split(',').map((p) => p.trim());
  if (!parts[0].includes('=')) {
    if (parts.length !== classes.length) {
      throw new CliError(`--class-weight lists ${parts.length} weight${parts.length === 1 ? '' : 's'} but the target has ${classes.length} classes (${classes.join(', ')}, in that order)`);
    }
    return nonZero(parts.map(Number));
  }
  const weights = classes.map(() => 1);
  for (const p of parts) {
    const at = p.lastIndexOf('=');
    const name = p.slice(0, at).trim();
    const c = classes.indexOf(name);
    if (c < 0) throw new CliError(`--class-weight names the class '${name}', which the target does not have (classes: ${classes.join(', ')})`);
    weights[c] = Number(p.slice(at + 1));
  }
  return nonZero(weights);
}

function nonZero(weights: number[]): number[] {
  if (weights.every((w) => w === 0)) throw new CliError('--class-weight gives every class the weight 0; at least one must be > 0');
  return weights;
}

/** The run's loss: the library loss by name, or its class-weighted form. */
export function lossFunction(loss: string, weights: readonly number[] | null): LossFunction {
  if (weights === null) return resolveLoss(loss);
  if (loss === 'bce') {
    const pair = [weights[0], weights[1]] as const;
    return (p, t) => bceWithLogitsLoss(p, t, { classWeights: pair });
  }
  return (p, t) => crossEntropyLoss(p, t, { weight: weights });
}
