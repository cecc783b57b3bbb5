import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast } from '../util/validate.js';
import { type BaseConfig, Optimizer, baseConfig, requireBoolean } from './optimizer.js';
import type { ParamsArg } from './params.js';

/** The numbers one RMSprop update needs (the learning rate already evaluated). */
export interface RMSpropRule {
  /** This step's learning rate: the lr option (a schedule already evaluated) times the group's lrScale. */
  lr: number;
  /** Smoothing constant α of the running averages: s ← αs + (1 − α)g². */
  alpha: number;
  /** ε, added to the denominator √s (or √(s − ḡ²)). */
  eps: number;
  /** L2 penalty λ: λθ is added to the gradient. */
  weightDecay: number;
  /** Momentum factor μ on the normalised step (needs state.momentumBuffer when > 0). */
  momentum: number;
  /** Divide by the estimated variance s − ḡ² instead of s (needs state.gradAvg). */
  centered: boolean;
  /** Maximize the objective: the rule uses −∇ in place of ∇. */
  maximize: boolean;
}

/**
 * RMSprop's state per parameter: step count, running mean of g² (squareAvg), the momentum buffer
 * (momentum > 0) and the running mean of g (centered).
 */
export type RMSpropState = {
  /** Updates applied to this parameter (PyTorch's `step`; the rule only counts it). */
  step: number;
  /** s: running average of the squared gradient (PyTorch's `square_avg`). */
  squareAvg: FloatArray;
  /** b: the momentum buffer (PyTorch's `momentum_buffer`); present only with momentum > 0. */
  momentumBuffer?: FloatArray;
  /** ḡ: running average of the gradient (PyTorch's `grad_avg`); present only when centered. */
  gradAvg?: FloatArray;
};

/**
 * One RMSprop step in place, `torch.optim.RMSprop`'s rule:
 *
 * - g ← −∇ if maximize else ∇;  g ← g + λθ (weightDecay λ ≠ 0)
 * - s ← αs + (1 − α)g²
 * - centered: ḡ ← lerp(ḡ, g, 1 − α); d = √(s − ḡ²) + ε;  otherwise d = √s + ε
 * - momentum μ > 0: b ← μb + g/d, θ ← θ − lr·b (b starts at 0);  otherwise θ ← θ − lr·g/d
 */
export function rmspropUpdate(param: FloatArray, grad: FloatArray, state: RMSpropState, rule: RMSpropRule): void {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = rule;
  state.step += 1;
  const sq = state.squareAvg;
  const buf = momentum > 0 ? state.momentumBuffer : undefined;
  const avg = centered ? state.gradAvg : undefined;
  if (momentum > 0 && buf === undefined) throw new ValueError('rmspropUpdate: momentum > 0 needs state.momentumBuffer');
  if (centered && avg === undefined) throw new ValueError('rmspropUpdate: centered needs state.gradAvg');
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    sq[i] = sq[i] * alpha + (1 - alpha) * g * g;
    let denom: number;
    if (avg !== undefined) {
      const w = 1 - alpha;
      avg[i] = w < 0.5 ? avg[i] + w * (g - avg[i]) : g - (g - avg[i]) * (1 - w);
      denom = Math.sqrt(sq[i] - avg[i] * avg[i]) + eps;
    } else {
      denom = Math.sqrt(sq[i]) + eps;
    }
    if (buf !== undefined) {
      buf[i] = buf[i] * momentum + g / denom;
      param[i] -= lr * buf[i];
    } else {
      param[i] -= lr * (g / denom);
    }
  }
}

/** RMSprop's options, resolved. */
export interface RMSpropConfig extends BaseConfig {
  /** Smoothing constant α ≥ 0 of the running average of g²: s ← αs + (1 − α)g² (default 0.99). */
  alpha: number;
  /** ε ≥ 0, added to the denominator √s for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ ≥ 0: λθ is added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ ≥ 0 on the normalised step g/d: b ← μb + g/d, θ ← θ − lr·b (default 0: off). */
  momentum: number;
  /** Centered RMSprop: normalise by the estimated variance s − ḡ² instead of s (default false). */
  centered: boolean;
  /** Maximize the objective instead: the rule uses −∇ in place of ∇ (PyTorch default false). */
  maximize: boolean;
}

/** Options for {@link RMSprop}; every one has PyTorch's default. */
export type RMSpropOptions = Partial<RMSpropConfig>;

/**
 * RMSprop (Hinton) as `torch.optim.RMSprop`: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0,
 * momentum 0, centered false, maximize false. The rule is {@link rmspropUpdate}.
 *
 * @example
 * const opt = new RMSprop(model.namedParameters(), { lr: 1e-3, centered: true });
 */
export class RMSprop extends Optimizer<RMSpropConfig, RMSpropState> {
  constructor(params: ParamsArg<RMSpropOptions>, options: RMSpropOptions = {}) {
    super('RMSprop', params, options);
  }

  protected configure(o: Partial<RMSpropConfig>): RMSpropConfig {
    return {
      ...baseConfig('RMSprop', o, 1e-2),
      alpha: requireAtLeast('RMSprop: alpha', o.alpha ?? 0.99, 0),
      eps: requireAtLeast('RMSprop: eps', o.eps ?? 1e-8, 0),
      weightDecay: requireAtLeast('RMSprop: weightDecay', o.weightDecay ?? 0, 0),
      momentum: requireAtLeast('RMSprop: momentum', o.momentum ?? 0, 0),
      centered: requireBoolean('RMSprop: centered', o.centered ?? false),
      maximize: requireBoolean('RMSprop: maximize', o.maximize ?? false),
    };
  }

  protected initState(param: Tensor, o: RMSpropConfig): RMSpropState {
    const dtype = param.dtype === 'float64' ? 'float64' : 'float32';
    const alloc = () => getBackend().alloc(dtype, param.size);
    return {
      step: 0,
      squareAvg: alloc(),
      ...(o.momentum > 0 ? { momentumBuffer: alloc() } : {}),
      ...(o.centered ? { gradAvg: alloc() } : {}),
    };
  }

  protected update(param: FloatArray, grad: FloatArray, state: RMSpropState, o: RMSpropConfig, lr: number): void {
    rmspropUpdate(param, grad, state, { ...o, lr });
  }

  protected stateKeys(): readonly string[] {
    return ['step', 'squareAvg', 'momentumBuffer', 'gradAvg'];
  }
}
