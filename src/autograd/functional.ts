import { Tensor } from '../tensor/tensor.js';
import { backward } from './engine.js';
import { enableGrad } from './grad-mode.js';
import { ShapeError, formatShape } from '../util/errors.js';

/** The value of a scalar function and its gradients with respect to each argument. */
export interface ValueAndGrad {
  /** The function's scalar output, detached from the graph. */
  value: Tensor;
  /** One gradient per argument, in argument order, each with that argument's shape (zeros where the output does not depend on it). */
  grads: Tensor[];
}

/**
 * Turns a scalar function of tensors into one that also returns its gradient with respect to each
 * argument — for models written as plain functions of their parameters (JAX's value_and_grad).
 * Arguments are not modified; their `.grad` is left alone.
 *
 * @example
 * const f = valueAndGrad((w, b) => w.mul(x).add(b).sub(y).square().mean());
 * const { value, grads: [dw, db] } = f(w, b);
 */
export function valueAndGrad(fn: (...args: Tensor[]) => Tensor): (...args: Tensor[]) => ValueAndGrad {
  return (...args: Tensor[]) => {
    const leaves = args.map((a) => new Tensor(a.data, a.shape, true));
    const value = enableGrad(() => fn(...leaves));
    if (value.size !== 1) throw new ShapeError(`valueAndGrad: the function must return a scalar, got shape ${formatShape(value.shape)}`);
    if (value.requiresGrad) backward(value);
    const grads = leaves.map((l) => l.grad ?? new Tensor(new (l.data.constructor as Float32ArrayConstructor)(l.size), l.shape));
    return { value: value.detach(), grads };
  };
}

/** Like {@link valueAndGrad} but returns only the gradients. */
export function grad(fn: (...args: Tensor[]) => Tensor): (...args: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(fn);
  return (...args: Tensor[]) => vg(...args).grads;
}
