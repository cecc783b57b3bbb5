import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast } from '../util/validate.js';

/** Gradient clipping, in place on `param.grad`, as `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. */

function gradsOf(params: Iterable<Tensor>): FloatArray[] {
  const out: FloatArray[] = [];
  for (const p of params) if (p.grad !== null) out.push(p.grad.data as FloatArray);
  return out;
}

function checkNormType(normType: number, where: string): void {
  if (normType !== Infinity && !(typeof normType === 'number' && Number.isFinite(normType) && normType > 0)) {
    throw new ValueError(`${where}: normType must be > 0 or Infinity, got ${String(normType)}`);
  }
}

function normOf(grads: readonly FloatArray[], normType: number): number {
  if (normType === Infinity) {
    let m = 0;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]);
        if (a > m || Number.isNaN(a)) m = a;
      }
    }
    return m;
  }
  let total = 0;
  for (const g of grads) {
    if (normType === 2) for (let i = 0; i < g.length; i++) total += g[i] * g[i];
    else if (normType === 1) for (let i = 0; i < g.length; i++) total += Math.abs(g[i]);
    else for (let i = 0; i < g.length; i++) total += Math.abs(g[i]) ** normType;
  }
  return normType === 2 ? Math.sqrt(total) : normType === 1 ? total : total ** (1 / normType);
}

/**
 * The p-norm of all gradients taken together, as if concatenated into one vector:
 * ‖g‖_p = (Σ |gᵢ|^p)^(1/p), or max |gᵢ| for p = Infinity. Parameters without a gradient are skipped;
 * with none, the norm is 0.
 */
export function gradNorm(params: Iterable<Tensor>, normType = 2): number {
  checkNormType(normType, 'gradNorm');
  return normOf(gradsOf(params), normType);
}

/**
 * Rescales all gradients together so that their global p-norm is at most `maxNorm`, exactly as
 * `torch.nn.utils.clip_grad_norm_`: with N the total norm, every gradient is multiplied by
 * min(1, maxNorm / (N + 1e-6)) (a non-finite N makes the gradients non-finite too, as in PyTorch).
 * Returns N, the norm before clipping.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(params, 1.0);
 * optimizer.step();
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  requireAtLeast('clipGradNorm: maxNorm', maxNorm, 0);
  checkNormType(normType, 'clipGradNorm');
  const grads = gradsOf(params);
  const total = normOf(grads, normType);
  const coef = maxNorm / (total + 1e-6);
  if (!(coef >= 1)) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
  }
  return total;
}

/** Clamps every gradient element to [−clipValue, clipValue] (`torch.nn.utils.clip_grad_value_`). */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  requireAtLeast('clipGradValue: clipValue', clipValue, 0);
  for (const g of gradsOf(params)) {
    for (let i = 0; i < g.length; i++) {
      if (g[i] > clipValue) g[i] = clipValue;
      else if (g[i] < -clipValue) g[i] = -clipValue;
    }
  }
}
