import type { AdamStepItem } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireInRange } from '../util/validate.js';
import { type BaseConfig, Optimizer, type UpdateItem, baseConfig, requireBoolean } from './optimizer.js';
import type { ParamsArg } from './params.js';

/** The numbers one Adam/AdamW update needs (the learning rate already evaluated). */
export interface AdamRule {
  /** This step's learning rate: the lr option (a schedule already evaluated) times the group's lrScale. */
  lr: number;
  /** The pair (β₁, β₂): decay rates of the running averages of the gradient (m) and its square (v). */
  betas: readonly [number, number];
  /** ε, added to the bias-corrected √v in the denominator for numerical stability. */
  eps: number;
  /** λ: Adam adds λθ to the gradient; AdamW (decoupledWeightDecay) decays θ by (1 − lr·λ). */
  weightDecay: number;
  /** AMSGrad: divide by the running max of v instead of v (needs state.maxExpAvgSq). */
  amsgrad: boolean;
  /** Maximize the objective: the rule uses −∇ in place of ∇. */
  maximize: boolean;
  /** AdamW: decay θ by (1 − lr·λ) instead of adding λθ to the gradient. */
  decoupledWeightDecay: boolean;
}

/** Adam's state per parameter: step count t, first and second moments m and v, and max v (amsgrad). */
export type AdamState = {
  /** Updates applied to this parameter, t in the bias corrections 1 − βᵗ (PyTorch's `step`). */
  step: number;
  /** First moment m: running average of the gradient (PyTorch's `exp_avg`). */
  expAvg: FloatArray;
  /** Second moment v: running average of the squared gradient (PyTorch's `exp_avg_sq`). */
  expAvgSq: FloatArray;
  /** Running elementwise max of v (PyTorch's `max_exp_avg_sq`); present only with amsgrad. */
  maxExpAvgSq?: FloatArray;
};

/** PyTorch's `lerp` (a + w(b − a), computed from the nearer end for w ≥ 0.5). */
function lerp(a: number, b: number, w: number): number {
  return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

/**
 * One Adam (or AdamW) step in place — PyTorch's single-tensor, non-capturable rule:
 *
 * - t ← t + 1; g ← −∇ if maximize else ∇
 * - AdamW: θ ← θ(1 − lr·λ); Adam: g ← g + λθ (weightDecay λ ≠ 0)
 * - m ← lerp(m, g, 1 − β₁) = β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
 * - amsgrad: v̂ ← max(v̂, v), used in place of v below
 * - step size s = lr / (1 − β₁ᵗ);  denom = √v / √(1 − β₂ᵗ) + ε
 * - θ ← θ − s · m / denom
 */
export function adamUpdate(param: FloatArray, grad: FloatArray, state: AdamState, rule: AdamRule): void {
  adamUpdateAll([{ param, grad, state }], rule);
}

/**
 * The {@link adamUpdate} of several parameters under one rule (an optimizer's param group), all at
 * once: one call to the backend's fused kernel where it can run them all (on the WebAssembly
 * backend, one kernel call, shared among threads when large), else the reference loop, one by one.
 * Each parameter keeps its own step count t, as in PyTorch.
 */
export function adamUpdateAll(items: readonly UpdateItem<AdamState>[], rule: AdamRule): void {
  const { lr, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay } = rule;
  const [beta1, beta2] = rule.betas;
  if (amsgrad && items.some(({ state }) => state.maxExpAvgSq === undefined)) throw new ValueError('adamUpdate: amsgrad needs state.maxExpAvgSq');
  const steps: AdamStepItem[] = items.map(({ param, grad, state }) => {
    const step = ++state.step;
    return {
      param, grad, m: state.expAvg, v: state.expAvgSq, vMax: amsgrad ? (state.maxExpAvgSq as FloatArray) : null,
      stepSize: lr / (1 - beta1 ** step), bc2Sqrt: Math.sqrt(1 - beta2 ** step),
    };
  });
  const decay = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
  // The backend's fused kernel computes this same loop, value for value, when it can run these arrays.
  const fused = getBackend().adamStep?.(steps, { beta1, beta2, eps, weightDecay, maximize, decoupledDecay: decoupledWeightDecay ? decay : null });
  if (fused) return;
  for (const { param, grad, m, v, vMax, stepSize, bc2Sqrt } of steps) {
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (decoupledWeightDecay) param[i] *= decay;
      else if (weightDecay !== 0) g += weightDecay * param[i];
      m[i] = lerp(m[i], g, 1 - beta1);
      v[i] = v[i] * beta2 + (1 - beta2) * g * g;
      let second = v[i];
      if (vMax !== null) {
        if (second > vMax[i] || Number.isNaN(second)) vMax[i] = second;
        second = vMax[i];
      }
      const denom = Math.sqrt(second) / bc2Sqrt + eps;
      param[i] -= stepSize * (m[i] / denom);
    }
  }
}

/** Adam's and AdamW's options, resolved. */
export interface AdamConfig extends BaseConfig {
  /** (β₁, β₂), each in [0, 1): coefficients for the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε ≥ 0, added to the bias-corrected √v in the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** λ ≥ 0: L2 added to the gradient for Adam (default 0); decoupled θ ← θ(1 − lr·λ) for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use AMSGrad (Reddi et al.): the denominator takes the running max of v, which never decreases (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead: the rule uses −∇ in place of ∇ (PyTorch default false). */
  maximize: boolean;
}

/** Options for {@link Adam} and {@link AdamW}; every one has PyTorch's default. */
export type AdamOptions = Partial<AdamConfig>;

function configureAdam(name: string, o: Partial<AdamConfig>, defaultWeightDecay: number): AdamConfig {
  const betas = o.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new ValueError(`${name}: betas must be a pair [β₁, β₂], got ${JSON.stringify(betas)}`);
  return {
    ...baseConfig(name, o, 1e-3),
    betas: [requireInRange(`${name}: betas[0]`, betas[0], 0, 1), requireInRange(`${name}: betas[1]`, betas[1], 0, 1)],
    eps: requireAtLeast(`${name}: eps`, o.eps ?? 1e-8, 0),
    weightDecay: requireAtLeast(`${name}: weightDecay`, o.weightDecay ?? defaultWeightDecay, 0),
    amsgrad: requireBoolean(`${name}: amsgrad`, o.amsgrad ?? false),
    maximize: requireBoolean(`${name}: maximize`, o.maximize ?? false),
  };
}

function initAdamState(param: Tensor, o: AdamConfig): AdamState {
  const dtype = param.dtype === 'float64' ? 'float64' : 'float32';
  const alloc = () => getBackend().alloc(dtype, param.size);
  return { step: 0, expAvg: alloc(), expAvgSq: alloc(), ...(o.amsgrad ? { maxExpAvgSq: alloc() } : {}) };
}

const ADAM_STATE_KEYS = ['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'] as const;

/**
 * Adam (Kingma & Ba) as `torch.optim.Adam`: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0
 * (L2: added to the gradient), amsgrad false, maximize false. The rule is {@link adamUpdate}.
 *
 * @example
 * const opt = new Adam(model.namedParameters(), { lr: 3e-4 });
 */
export class Adam extends Optimizer<AdamConfig, AdamState> {
  constructor(params: ParamsArg<AdamOptions>, options: AdamOptions = {}) {
    super('Adam', params, options);
  }

  protected configure(o: Partial<AdamConfig>): AdamConfig {
    return configureAdam('Adam', o, 0);
  }

  protected initState(param: Tensor, o: AdamConfig): AdamState {
    return initAdamState(param, o);
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdamState, o: AdamConfig, lr: number): void {
    adamUpdate(param, grad, state, { ...o, lr, decoupledWeightDecay: false });
  }

  protected override updateGroup(items: readonly UpdateItem<AdamState>[], o: AdamConfig, lr: number): void {
    adamUpdateAll(items, { ...o, lr, decoupledWeightDecay: false });
  }

  protected stateKeys(): readonly string[] {
    return ADAM_STATE_KEYS;
  }
}

/**
 * AdamW (Loshchilov & Hutter) as `torch.optim.AdamW`: Adam with decoupled weight decay, θ ← θ(1 −
 * lr·λ) before the Adam step, default weightDecay 1e-2; other defaults as {@link Adam}.
 *
 * @example
 * const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamConfig, AdamState> {
  constructor(params: ParamsArg<AdamOptions>, options: AdamOptions = {}) {
    super('AdamW', params, options);
  }

  protected configure(o: Partial<AdamConfig>): AdamConfig {
    return configureAdam('AdamW', o, 1e-2);
  }

  protected initState(param: Tensor, o: AdamConfig): AdamState {
    return initAdamState(param, o);
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdamState, o: AdamConfig, lr: number): void {
    adamUpdate(param, grad, state, { ...o, lr, decoupledWeightDecay: true });
  }

  protected override updateGroup(items: readonly UpdateItem<AdamState>[], o: AdamConfig, lr: number): void {
    adamUpdateAll(items, { ...o, lr, decoupledWeightDecay: true });
  }

  protected stateKeys(): readonly string[] {
    return ADAM_STATE_KEYS;
  }
}
