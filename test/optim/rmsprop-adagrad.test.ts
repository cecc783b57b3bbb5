// RMSprop and Adagrad against independent float64 transcriptions of PyTorch's algorithms.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { Adagrad, type AdagradOptions, RMSprop, type RMSpropOptions, type Schedule, stepLR } from '../../src/optim/index.js';
import { type RefStep, followReference } from './harness.js';

interface RMSRef { lr?: number | Schedule; alpha?: number; eps?: number; weightDecay?: number; momentum?: number; centered?: boolean; maximize?: boolean }

/**
 * torch.optim.RMSprop:
 *   g = -grad if maximize else grad;  g = g + λθ
 *   v = α·v + (1-α)·g²;  ṽ = v
 *   centered: gavg = α·gavg + (1-α)·g;  ṽ = ṽ - gavg²
 *   μ > 0: b = μ·b + g/(√ṽ + ε);  θ = θ - lr·b      else θ = θ - lr·g/(√ṽ + ε)
 */
function refRMSprop(o: RMSRef): RefStep {
  const alpha = o.alpha ?? 0.99;
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  const mu = o.momentum ?? 0;
  let v: number[] | null = null;
  let gavg: number[] = [];
  let b: number[] = [];
  return (p, grad, t) => {
    const lr = o.lr === undefined ? 1e-2 : typeof o.lr === 'function' ? o.lr(t) : o.lr;
    if (v === null) {
      v = p.map(() => 0);
      gavg = p.map(() => 0);
      b = p.map(() => 0);
    }
    for (let i = 0; i < p.length; i++) {
      const g = (o.maximize ? -grad[i] : grad[i]) + wd * p[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let vt = v[i];
      if (o.centered) {
        gavg[i] = alpha * gavg[i] + (1 - alpha) * g;
        vt = vt - gavg[i] * gavg[i];
      }
      if (mu > 0) {
        b[i] = mu * b[i] + g / (Math.sqrt(vt) + eps);
        p[i] = p[i] - lr * b[i];
      } else {
        p[i] = p[i] - (lr * g) / (Math.sqrt(vt) + eps);
      }
    }
  };
}

interface AdagradRef { lr?: number | Schedule; lrDecay?: number; weightDecay?: number; initialAccumulatorValue?: number; eps?: number; maximize?: boolean }

/**
 * torch.optim.Adagrad:
 *   g = -grad if maximize else grad;  γ̃ = lr / (1 + (t-1)·η)   (t counted from 1)
 *   g = g + λθ;  sum = sum + g²  (sum starts at initialAccumulatorValue)
 *   θ = θ - γ̃·g/(√sum + ε)
 */
function refAdagrad(o: AdagradRef): RefStep {
  const eta = o.lrDecay ?? 0;
  const wd = o.weightDecay ?? 0;
  const eps = o.eps ?? 1e-10;
  let sum: number[] | null = null;
  let t = 0;
  return (p, grad, step) => {
    const lr = o.lr === undefined ? 1e-2 : typeof o.lr === 'function' ? o.lr(step) : o.lr;
    if (sum === null) sum = p.map(() => o.initialAccumulatorValue ?? 0);
    t += 1;
    const clr = lr / (1 + (t - 1) * eta);
    for (let i = 0; i < p.length; i++) {
      const g = (o.maximize ? -grad[i] : grad[i]) + wd * p[i];
      sum[i] = sum[i] + g * g;
      p[i] = p[i] - (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  };
}

describe('RMSprop follows PyTorch step for step (3-4-2 MLP, float64, 12 steps)', () => {
  const cases: Array<[string, RMSpropOptions]> = [
    ['defaults', {}],
    ['alpha and eps', { lr: 0.005, alpha: 0.9, eps: 1e-4 }],
    ['weight decay', { lr: 0.005, weightDecay: 0.1 }],
    ['momentum', { lr: 0.002, momentum: 0.9 }],
    ['centered', { lr: 0.005, centered: true, alpha: 0.9 }],
    ['centered + momentum + maximize', { lr: 0.002, centered: true, momentum: 0.5, maximize: true, alpha: 0.8 }],
    ['schedule lr', { lr: stepLR(0.01, { stepSize: 4, gamma: 0.5 }), momentum: 0.3 }],
  ];
  for (const [label, options] of cases) {
    test(label, () => {
      const moved = followReference((ps) => new RMSprop(ps, options), () => refRMSprop(options as RMSRef));
      assert.ok(moved > 1e-3, `parameters barely moved (${moved})`);
    });
  }

  test('param groups: centered in one, momentum in the other', () => {
    const gi = (n: string) => (n.startsWith('b') ? 0 : 1);
    const opts: RMSRef[] = [{ lr: 0.01, centered: true }, { lr: 0.003, momentum: 0.8 }];
    followReference(
      (ps) => new RMSprop([
        { params: ps.filter(([n]) => gi(n) === 0), centered: true },
        { params: ps.filter(([n]) => gi(n) === 1), lr: 0.003, momentum: 0.8 },
      ]),
      (n) => refRMSprop(opts[gi(n)]),
    );
  });

  test('centered matters', () => {
    assert.throws(() => followReference((ps) => new RMSprop(ps, { centered: true, alpha: 0.9 }), () => refRMSprop({ alpha: 0.9 })), /step \d+/);
  });

  test('validation names the value', () => {
    const ps = [tensor([1], { dtype: 'float64', requiresGrad: true })];
    assert.throws(() => new RMSprop(ps, { alpha: -0.1 }), /RMSprop: alpha must be ≥ 0, got -0\.1/);
    assert.throws(() => new RMSprop(ps, { momentum: -1 }), /RMSprop: momentum must be ≥ 0, got -1/);
    assert.throws(() => new RMSprop(ps, { eps: -1 }), /RMSprop: eps must be ≥ 0, got -1/);
    assert.throws(() => new RMSprop(ps, { centered: 0 as unknown as boolean }), /RMSprop: centered must be true or false, got 0/);
  });
});

describe('Adagrad follows PyTorch step for step (3-4-2 MLP, float64, 12 steps)', () => {
  const cases: Array<[string, AdagradOptions]> = [
    ['defaults', {}],
    ['lr decay', { lr: 0.1, lrDecay: 0.3 }],
    ['weight decay', { lr: 0.1, weightDecay: 0.2 }],
    ['initial accumulator', { lr: 0.1, initialAccumulatorValue: 0.5 }],
    ['eps + maximize', { lr: 0.1, eps: 1e-2, maximize: true }],
    ['everything + schedule', { lr: stepLR(0.2, { stepSize: 5 }), lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.1 }],
  ];
  for (const [label, options] of cases) {
    test(label, () => {
      const moved = followReference((ps) => new Adagrad(ps, options), () => refAdagrad(options as AdagradRef));
      assert.ok(moved > 1e-3, `parameters barely moved (${moved})`);
    });
  }

  test('param groups: lrDecay in one only', () => {
    const gi = (n: string) => (n === 'w2' ? 0 : 1);
    const opts: AdagradRef[] = [{ lr: 0.1, lrDecay: 0.5 }, { lr: 0.05, initialAccumulatorValue: 1 }];
    followReference(
      (ps) => new Adagrad([
        { params: ps.filter(([n]) => gi(n) === 0), lrDecay: 0.5 },
        { params: ps.filter(([n]) => gi(n) === 1), lr: 0.05, initialAccumulatorValue: 1 },
      ], { lr: 0.1 }),
      (n) => refAdagrad(opts[gi(n)]),
    );
  });

  test('lrDecay matters', () => {
    assert.throws(() => followReference((ps) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.3 }), () => refAdagrad({ lr: 0.1 })), /step \d+/);
  });

  test('validation names the value', () => {
    const ps = [tensor([1], { dtype: 'float64', requiresGrad: true })];
    assert.throws(() => new Adagrad(ps, { lrDecay: -1 }), /Adagrad: lrDecay must be ≥ 0, got -1/);
    assert.throws(() => new Adagrad(ps, { initialAccumulatorValue: -0.1 }), /Adagrad: initialAccumulatorValue must be ≥ 0, got -0\.1/);
    assert.throws(() => new Adagrad(ps, { weightDecay: -2 }), /Adagrad: weightDecay must be ≥ 0, got -2/);
    assert.equal(new Adagrad(ps).paramGroups[0].options.eps, 1e-10);
  });
});
