import { Tensor } from '../tensor/tensor.js';
import { DTypeError } from '../util/errors.js';
import { backward } from './engine.js';
import { enableGrad, noGrad } from './grad-mode.js';

/** Step size and tolerances for {@link gradcheck}; an element passes when |autodiff − numeric| ≤ atol + rtol·|numeric|. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/** Raised by {@link gradcheck} when autodiff and finite differences disagree. */
export class GradcheckError extends Error {
  /** Always `'GradcheckError'`. */
  override name = 'GradcheckError';
}

/**
 * Checks the gradients autodiff computes for `fn` against central finite differences,
 * (f(x+ε) − f(x−ε)) / 2ε, element by element of the full Jacobian — like `torch.autograd.gradcheck`.
 * Inputs that require grad are checked and must be float64 (float32 is too coarse for the
 * comparison). Returns true, or throws a {@link GradcheckError} naming the input, the element, and
 * both values.
 *
 * @example
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((t) => t.sigmoid().sum(1), [x]);  // true
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const checked = inputs.filter((t) => t.requiresGrad);
  if (checked.length === 0) throw new GradcheckError('gradcheck: no input requires grad; create inputs with { requiresGrad: true }');
  for (const t of checked) {
    if (t.dtype !== 'float64') throw new DTypeError(`gradcheck: inputs that require grad must be float64, got ${t.dtype}`);
  }

  const output = enableGrad(() => fn(...inputs));
  const outSize = output.size;
  if (!output.requiresGrad) throw new GradcheckError('gradcheck: the output does not depend on any input that requires grad');

  // Analytic Jacobian, one output element (one backward pass) at a time.
  const analytic = checked.map((t) => new Float64Array(outSize * t.size));
  for (let i = 0; i < outSize; i++) {
    for (const t of checked) t.grad = null;
    const seed = new Float64Array(outSize);
    seed[i] = 1;
    backward(output, new Tensor(seed, output.shape), { retainGraph: true });
    checked.forEach((t, k) => {
      if (t.grad) for (let j = 0; j < t.size; j++) analytic[k][i * t.size + j] = t.grad.data[j];
    });
  }
  for (const t of checked) t.grad = null;

  // Numeric Jacobian by central differences, perturbing one input element at a time.
  checked.forEach((t, k) => {
    const data = t.data as Float64Array;
    for (let j = 0; j < t.size; j++) {
      const saved = data[j];
      // Copies: an output may share its input's data (reshape is a view), and that data is
      // perturbed again before the difference is taken.
      data[j] = saved + eps;
      const plus = noGrad(() => fn(...inputs)).data.slice();
      data[j] = saved - eps;
      const minus = noGrad(() => fn(...inputs)).data.slice();
      data[j] = saved;
      for (let i = 0; i < outSize; i++) {
        const numeric = (plus[i] - minus[i]) / (2 * eps);
        const a = analytic[k][i * t.size + j];
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
          throw new GradcheckError(
            `gradcheck: Jacobian mismatch for input ${inputs.indexOf(t)} (shape [${t.shape.join(', ')}]), element ${j}, output element ${i}: autodiff ${a}, finite differences ${numeric}`,
          );
        }
      }
    }
  });
  return true;
}
