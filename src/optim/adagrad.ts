import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireAtLeast } from '../util/validate.js';
import { type BaseConfig, Optimizer, baseConfig, requireBoolean } from './optimizer.js';
import type { ParamsArg } from './params.js';

/** The numbers one Adagrad update needs (the learning rate already evaluated). */
export interface AdagradRule {
  /** This step's learning rate: the lr option (a schedule already evaluated) times the group's lrScale. */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
  /** L2 penalty λ: λθ is added to the gradient. */
  weightDecay: number;
  /** ε, added to the denominator √S. */
  eps: number;
  /** Maximize the objective: the rule uses −∇ in place of ∇. */
  maximize: boolean;
}

/** Adagrad's state per parameter: step count and the running sum of squared gradients. */
export type AdagradState = {
  /** Updates applied to this parameter, t in the lr decay (PyTorch's `step`). */
  step: number;
  /** S: running sum of squared gradients, started at initialAccumulatorValue (PyTorch's `sum`). */
  sum: FloatArray;
};

/**
 * One Adagrad step in place, `torch.optim.Adagrad`'s rule:
 *
 * - t ← t + 1;  g ← −∇ if maximize else ∇;  g ← g + λθ (weightDecay λ ≠ 0)
 * - clr = lr / (1 + (t − 1)·lrDecay)
 * - S ← S + g²  (S starts at initialAccumulatorValue)
 * - θ ← θ − clr · g / (√S + ε)
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, state: AdagradState, rule: AdagradRule): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = rule;
  const step = ++state.step;
  const clr = lr / (1 + (step - 1) * lrDecay);
  const sum = state.sum;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    sum[i] += g * g;
    param[i] -= clr * (g / (Math.sqrt(sum[i]) + eps));
  }
}

/** Adagrad's options, resolved. */
export interface AdagradConfig extends BaseConfig {
  /** Learning-rate decay ≥ 0: step t uses lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty λ ≥ 0: λθ is added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value ≥ 0 of every element of the squared-gradient sum S (default 0). */
  initialAccumulatorValue: number;
  /** ε ≥ 0, added to the denominator √S for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead: the rule uses −∇ in place of ∇ (PyTorch default false). */
  maximize: boolean;
}

/** Options for {@link Adagrad}; every one has PyTorch's default. */
export type AdagradOptions = Partial<AdagradConfig>;

/**
 * Adagrad (Duchi et al.) as `torch.optim.Adagrad`: lr 1e-2, lrDecay 0, weightDecay 0,
 * initialAccumulatorValue 0, eps 1e-10, maximize false. The rule is {@link adagradUpdate}.
 *
 * @example
 * const opt = new Adagrad(model.namedParameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradConfig, AdagradState> {
  constructor(params: ParamsArg<AdagradOptions>, options: AdagradOptions = {}) {
    super('Adagrad', params, options);
  }

  protected configure(o: Partial<AdagradConfig>): AdagradConfig {
    return {
      ...baseConfig('Adagrad', o, 1e-2),
      lrDecay: requireAtLeast('Adagrad: lrDecay', o.lrDecay ?? 0, 0),
      weightDecay: requireAtLeast('Adagrad: weightDecay', o.weightDecay ?? 0, 0),
      initialAccumulatorValue: requireAtLeast('Adagrad: initialAccumulatorValue', o.initialAccumulatorValue ?? 0, 0),
      eps: requireAtLeast('Adagrad: eps', o.eps ?? 1e-10, 0),
      maximize: requireBoolean('Adagrad: maximize', o.maximize ?? false),
    };
  }

  protected initState(param: Tensor, o: AdagradConfig): AdagradState {
    const sum = getBackend().alloc(param.dtype === 'float64' ? 'float64' : 'float32', param.size);
    if (o.initialAccumulatorValue !== 0) sum.fill(o.initialAccumulatorValue);
    return { step: 0, sum };
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdagradState, o: AdagradConfig, lr: number): void {
    adagradUpdate(param, grad, state, { ...o, lr });
  }

  protected stateKeys(): readonly string[] {
    return ['step', 'sum'];
  }
}
