import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireGreaterThan, requireInClosedRange, requireInteger, requireOneOf } from '../util/validate.js';

/**
 * Learning-rate schedules as pure functions of the step: `(step) => lr`, with step 0 for the first
 * optimizer step. Pass one as an optimizer's `lr`; the optimizer evaluates it at its own step
 * count, so a schedule carries no state and nothing needs saving for it in a checkpoint.
 *
 * Each factory reproduces the closed form of the PyTorch scheduler of the same name (as the value
 * of `group['lr']` during the t-th `optimizer.step()` when `scheduler.step()` is called after each
 * optimizer step).
 */
export type Schedule = (step: number) => number;

/**
 * A schedule of epochs run per optimizer step: η(t) = schedule(⌊t / batchesPerEpoch⌋), so the rate
 * changes between epochs only. Give it as the optimizer's `lr`, as any schedule.
 *
 * @example
 * new SGD(params, { lr: perEpoch(cosineAnnealingLR(0.1, { tMax: 20 }), loader.numBatches) });
 */
export function perEpoch(schedule: Schedule, batchesPerEpoch: number): Schedule {
  const n = requireInteger('perEpoch batchesPerEpoch', batchesPerEpoch, 1);
  return (step) => schedule(Math.floor(step / n));
}

/** η(t) = lr. */
export function constantLR(lr: number): Schedule {
  requireAtLeast('constantLR: lr', lr, 0);
  return () => lr;
}

/**
 * η(t) = lr · γ^⌊t / stepSize⌋ (PyTorch `StepLR`).
 *
 * @example
 * stepLR(0.1, { stepSize: 30 })  // 0.1 for t < 30, 0.01 for 30 ≤ t < 60, …
 */
export function stepLR(lr: number, options: { stepSize: number; gamma?: number }): Schedule {
  requireAtLeast('stepLR: lr', lr, 0);
  const stepSize = requireInteger('stepLR: stepSize', options.stepSize, 1);
  const gamma = requireAtLeast('stepLR: gamma', options.gamma ?? 0.1, 0);
  return (t) => lr * gamma ** Math.floor(t / stepSize);
}

/**
 * η(t) = lr · γ^(number of milestones ≤ t) (PyTorch `MultiStepLR`; a repeated milestone counts
 * twice, as in PyTorch).
 */
export function multiStepLR(lr: number, options: { milestones: readonly number[]; gamma?: number }): Schedule {
  requireAtLeast('multiStepLR: lr', lr, 0);
  const gamma = requireAtLeast('multiStepLR: gamma', options.gamma ?? 0.1, 0);
  const milestones = [...options.milestones].map((m, i) => requireInteger(`multiStepLR: milestones[${i}]`, m, 0)).sort((a, b) => a - b);
  return (t) => lr * gamma ** countAtMost(milestones, t);
}

/** η(t) = lr · γ^t (PyTorch `ExponentialLR`). */
export function exponentialLR(lr: number, options: { gamma: number }): Schedule {
  requireAtLeast('exponentialLR: lr', lr, 0);
  const gamma = requireAtLeast('exponentialLR: gamma', options.gamma, 0);
  return (t) => lr * gamma ** t;
}

/** η(t) = lr / (1 + decay·t)^power — scikit-learn's 'invscaling' with a decay rate. */
export function inverseScalingLR(lr: number, options: { decay: number; power?: number }): Schedule {
  requireAtLeast('inverseScalingLR: lr', lr, 0);
  const decay = requireAtLeast('inverseScalingLR: decay', options.decay, 0);
  const power = requireAtLeast('inverseScalingLR: power', options.power ?? 1, 0);
  return (t) => lr / (1 + decay * t) ** power;
}

/**
 * η(t) = endLr + (lr − endLr) · (1 − min(t, T)/T)^power with T = totalSteps (PyTorch
 * `PolynomialLR` when endLr = 0, optax's `polynomial_schedule` otherwise); endLr from step T on.
 */
export function polynomialLR(lr: number, options: { totalSteps: number; power?: number; endLr?: number }): Schedule {
  requireAtLeast('polynomialLR: lr', lr, 0);
  const total = requireInteger('polynomialLR: totalSteps', options.totalSteps, 1);
  const power = requireAtLeast('polynomialLR: power', options.power ?? 1, 0);
  const endLr = requireAtLeast('polynomialLR: endLr', options.endLr ?? 0, 0);
  return (t) => endLr + (lr - endLr) * (1 - Math.min(t, total) / total) ** power;
}

/**
 * η(t) = ηmin + (lr − ηmin) · (1 + cos(π t / tMax)) / 2 (PyTorch `CosineAnnealingLR`'s closed form).
 * As in PyTorch, the curve is periodic: after tMax it climbs back towards lr over the next tMax
 * steps. Combine with {@link sequentialSchedules} to hold ηmin instead.
 */
export function cosineAnnealingLR(lr: number, options: { tMax: number; etaMin?: number }): Schedule {
  requireAtLeast('cosineAnnealingLR: lr', lr, 0);
  const tMax = requireInteger('cosineAnnealingLR: tMax', options.tMax, 1);
  const etaMin = requireAtLeast('cosineAnnealingLR: etaMin', options.etaMin ?? 0, 0);
  return (t) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
}

/**
 * SGDR (PyTorch `CosineAnnealingWarmRestarts`): cosine annealing from lr to ηmin over Tᵢ steps, then
 * a restart, with T₀ = t0 and Tᵢ₊₁ = tMult · Tᵢ. η(t) = ηmin + (lr − ηmin)(1 + cos(π T_cur / Tᵢ))/2,
 * where T_cur counts steps since the last restart. Restart points are found with integer
 * arithmetic (PyTorch's closed form takes a floating log, which can land one cycle off exactly at
 * a restart; its step-by-step form, used in training, agrees with this one).
 */
export function cosineAnnealingWarmRestarts(lr: number, options: { t0: number; tMult?: number; etaMin?: number }): Schedule {
  requireAtLeast('cosineAnnealingWarmRestarts: lr', lr, 0);
  const t0 = requireInteger('cosineAnnealingWarmRestarts: t0', options.t0, 1);
  const tMult = requireInteger('cosineAnnealingWarmRestarts: tMult', options.tMult ?? 1, 1);
  const etaMin = requireAtLeast('cosineAnnealingWarmRestarts: etaMin', options.etaMin ?? 0, 0);
  return (t) => {
    let tCur = t;
    let tI = t0;
    if (tMult === 1) tCur = t % t0;
    else {
      while (tCur >= tI) {
        tCur -= tI;
        tI *= tMult;
      }
    }
    return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  };
}

/**
 * Linear warmup, then `then` shifted to start where the warmup ends: for t < warmupSteps,
 * η(t) = then(0) · (s + (1 − s) · t / warmupSteps) with s = startFactor (PyTorch `LinearLR` to
 * factor 1); for t ≥ warmupSteps, η(t) = then(t − warmupSteps).
 *
 * @example
 * linearWarmup(100, cosineAnnealingLR(3e-4, { tMax: 900 }))
 */
export function linearWarmup(warmupSteps: number, then: Schedule, options: { startFactor?: number } = {}): Schedule {
  const warmup = requireInteger('linearWarmup: warmupSteps', warmupSteps, 0);
  const start = requireInClosedRange('linearWarmup: startFactor', options.startFactor ?? 0, 0, 1);
  if (typeof then !== 'function') throw new ValueError(`linearWarmup: then must be a schedule (a function of the step), got ${typeof then}`);
  return (t) => (t < warmup ? then(0) * (start + ((1 - start) * t) / warmup) : then(t - warmup));
}

/**
 * Runs `schedules[0]` until `milestones[0]`, then `schedules[1]` restarted at its step 0, and so on
 * (PyTorch `SequentialLR`): schedule i sees t − milestones[i − 1].
 */
export function sequentialSchedules(schedules: readonly Schedule[], milestones: readonly number[]): Schedule {
  if (schedules.length === 0) throw new ValueError('sequentialSchedules: needs at least one schedule, got 0');
  if (milestones.length !== schedules.length - 1) {
    throw new ValueError(`sequentialSchedules: ${schedules.length} schedules need ${schedules.length - 1} milestones, got ${milestones.length}`);
  }
  milestones.forEach((m, i) => {
    requireInteger(`sequentialSchedules: milestones[${i}]`, m, 1);
    if (i > 0 && m <= milestones[i - 1]) throw new ValueError(`sequentialSchedules: milestones must increase, got ${milestones[i - 1]} then ${m}`);
  });
  const bounds = [...milestones];
  return (t) => {
    const i = countAtMost(bounds, t);
    return schedules[i](i === 0 ? t : t - bounds[i - 1]);
  };
}

/** Options for {@link oneCycleLR}; names follow PyTorch's `OneCycleLR` in camelCase. */
export interface OneCycleOptions {
  /** Peak learning rate, reached when the warm-up phase ends (PyTorch's `max_lr`; required). */
  maxLr: number;
  /** Steps in the cycle, T (PyTorch's `total_steps`; required, integer ≥ 1); evaluating a step beyond it throws. */
  totalSteps: number;
  /** Fraction of the steps spent increasing the learning rate (default 0.3). */
  pctStart?: number;
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Go back down to initialLr before annihilating to minLr, as in the paper (default false). */
  threePhase?: boolean;
}

/**
 * The 1cycle policy with PyTorch `OneCycleLR`'s values (learning rate only; momentum is not
 * cycled). Phase k runs from its start step to end step e_k with pct = (t − start)/(e_k − start) and
 * anneals cos: end + (start − end)(cos(π·pct) + 1)/2, or linear: start + (end − start)·pct. Two
 * phases: initialLr → maxLr ending at pctStart·T − 1, then maxLr → minLr ending at T − 1. Like
 * PyTorch, a step beyond totalSteps throws.
 */
export function oneCycleLR(options: OneCycleOptions): Schedule {
  const maxLr = requireAtLeast('oneCycleLR: maxLr', options.maxLr, 0);
  const total = requireInteger('oneCycleLR: totalSteps', options.totalSteps, 1);
  const pct = requireInClosedRange('oneCycleLR: pctStart', options.pctStart ?? 0.3, 0, 1);
  const divFactor = requireGreaterThan('oneCycleLR: divFactor', options.divFactor ?? 25, 0);
  const finalDiv = requireGreaterThan('oneCycleLR: finalDivFactor', options.finalDivFactor ?? 1e4, 0);
  const strategy = requireOneOf('oneCycleLR: annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
  const initial = maxLr / divFactor;
  const minLr = initial / finalDiv;
  const phases: Array<[end: number, from: number, to: number]> = options.threePhase
    ? [
        [pct * total - 1, initial, maxLr],
        [2 * pct * total - 2, maxLr, initial],
        [total - 1, initial, minLr],
      ]
    : [
        [pct * total - 1, initial, maxLr],
        [total - 1, maxLr, minLr],
      ];
  const anneal = strategy === 'cos'
    ? (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
    : (a: number, b: number, p: number) => (b - a) * p + a;
  return (t) => {
    if (t > total) throw new ValueError(`oneCycleLR: tried to step ${t} times; totalSteps is ${total}`);
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const [end, from, to] = phases[i];
      if (t <= end || i === phases.length - 1) return anneal(from, to, (t - start) / (end - start));
      start = end;
    }
    return minLr; // unreachable: the last phase always returns
  };
}

/** How many of the sorted `values` are ≤ x (Python's bisect_right). */
function countAtMost(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
