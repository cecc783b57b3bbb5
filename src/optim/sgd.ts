import type { SgdStepItem, SgdStepRule } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireFinite } from '../util/validate.js';
import { type BaseConfig, Optimizer, type UpdateItem, baseConfig, requireBoolean } from './optimizer.js';
import type { ParamsArg } from './params.js';

/** The numbers one SGD update needs (the learning rate already evaluated). */
export type SGDRule = SgdStepRule;

/** SGD's state per parameter: the momentum buffer b, created by the first step when momentum ≠ 0. */
export type SGDState = {
  /** The momentum buffer b (PyTorch's `momentum_buffer`), of the parameter's length; absent while momentum is 0. */
  momentumBuffer?: FloatArray;
};

/**
 * One SGD step in place, PyTorch's `torch.optim.SGD` rule element by element:
 *
 * - g ← −∇ if maximize else ∇
 * - g ← g + λθ (weightDecay λ ≠ 0)
 * - if momentum μ ≠ 0: b ← g on the first step (no dampening), else b ← μb + (1 − τ)g (dampening τ);
 *   then g ← g + μb (nesterov) or g ← b
 * - θ ← θ − lr·g
 *
 * A float32 parameter updates in float32 arithmetic, as PyTorch's kernels do (lr, μ, 1 − τ and λ
 * rounded to float32, every operation rounded); a float64 one in float64.
 */
export function sgdUpdate(param: FloatArray, grad: FloatArray, state: SGDState, rule: SGDRule): void {
  sgdUpdateAll([{ param, grad, state }], rule);
}

/**
 * The {@link sgdUpdate} of several parameters under one rule (an optimizer's param group), all at
 * once: one call to the backend's fused kernel where it can run them all (on the WebAssembly
 * backend, one kernel call, shared among threads when large), else the reference loops, one by one.
 */
export function sgdUpdateAll(items: readonly UpdateItem<SGDState>[], rule: SGDRule): void {
  const backend = getBackend();
  const steps: SgdStepItem[] = items.map(({ param, grad, state }) => {
    const first = rule.momentum !== 0 && state.momentumBuffer === undefined;
    if (first) state.momentumBuffer = backend.alloc(param instanceof Float64Array ? 'float64' : 'float32', param.length);
    return { param, grad, momentumBuffer: state.momentumBuffer ?? null, firstMomentumStep: first };
  });
  // The backend's fused kernel computes these same loops, value for value, when it can run these arrays.
  if (backend.sgdStep?.(steps, rule)) return;
  for (const { param, grad, momentumBuffer, firstMomentumStep } of steps) {
    const buf = momentumBuffer ?? undefined;
    if (param instanceof Float32Array) sgdLoop32(param, grad, buf, firstMomentumStep, rule);
    else sgdLoop64(param, grad, buf, firstMomentumStep, rule);
  }
}

function sgdLoop64(param: FloatArray, grad: FloatArray, buf: FloatArray | undefined, first: boolean, rule: SGDRule): void {
  const { lr, momentum, dampening, nesterov, weightDecay, maximize } = rule;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    if (buf !== undefined && momentum !== 0) {
      buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
      g = nesterov ? g + momentum * buf[i] : buf[i];
    }
    param[i] -= lr * g;
  }
}

/** The float32 rule: each operation rounded to float32 (exact emulation: float64 has the bits to spare). */
function sgdLoop32(param: Float32Array, grad: FloatArray, buf: FloatArray | undefined, first: boolean, rule: SGDRule): void {
  const f = Math.fround;
  const lr = f(rule.lr);
  const mu = f(rule.momentum);
  const damp = f(1 - rule.dampening);
  const wd = f(rule.weightDecay);
  const { nesterov, maximize } = rule;
  const momentum = buf !== undefined && rule.momentum !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = f(maximize ? -grad[i] : grad[i]);
    if (wd !== 0) g = f(g + f(wd * param[i]));
    if (momentum) {
      const b = first ? g : f(f(mu * buf[i]) + f(damp * g));
      buf[i] = b;
      g = nesterov ? f(g + f(mu * b)) : b;
    }
    param[i] = f(param[i] - f(lr * g));
  }
}

/** SGD's options, resolved: the {@link SGDRule} numbers plus the shared ones. */
export interface SGDConfig extends BaseConfig {
  /** Momentum factor μ ≥ 0: the step follows the buffer b ← μb + (1 − τ)g (default 0: plain SGD). */
  momentum: number;
  /** Dampening τ: the gradient enters the buffer scaled by 1 − τ (default 0; not on the first step). */
  dampening: number;
  /** Nesterov momentum: step along g + μb instead of b (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty λ ≥ 0: λθ is added to the gradient before momentum (default 0). */
  weightDecay: number;
  /** Maximize the objective instead: the rule uses −∇ in place of ∇ (PyTorch default false). */
  maximize: boolean;
}

/** Options for {@link SGD}: `lr` is required, the rest default as in PyTorch. */
export type SGDOptions = Partial<SGDConfig> & Pick<SGDConfig, 'lr'>;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum, weight decay (L2, added to
 * the gradient) and maximization — `torch.optim.SGD` with the same defaults (momentum 0,
 * dampening 0, nesterov false, weightDecay 0, maximize false); the rule is {@link sgdUpdate}.
 *
 * @example
 * const opt = new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDConfig, SGDState> {
  constructor(params: ParamsArg<Partial<SGDConfig>>, options: SGDOptions) {
    super('SGD', params, options);
  }

  protected configure(o: Partial<SGDConfig>): SGDConfig {
    const c: SGDConfig = {
      ...baseConfig('SGD', o),
      momentum: requireAtLeast('SGD: momentum', o.momentum ?? 0, 0),
      dampening: requireFinite('SGD: dampening', o.dampening ?? 0),
      nesterov: requireBoolean('SGD: nesterov', o.nesterov ?? false),
      weightDecay: requireAtLeast('SGD: weightDecay', o.weightDecay ?? 0, 0),
      maximize: requireBoolean('SGD: maximize', o.maximize ?? false),
    };
    if (c.nesterov && (c.momentum <= 0 || c.dampening !== 0)) {
      throw new ValueError(`SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${c.momentum} and dampening ${c.dampening}`);
    }
    return c;
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(param: FloatArray, grad: FloatArray, state: SGDState, o: SGDConfig, lr: number): void {
    sgdUpdate(param, grad, state, { ...o, lr });
  }

  protected override updateGroup(items: readonly UpdateItem<SGDState>[], o: SGDConfig, lr: number): void {
    sgdUpdateAll(items, { ...o, lr });
  }

  protected stateKeys(): readonly string[] {
    return ['momentumBuffer'];
  }
}
