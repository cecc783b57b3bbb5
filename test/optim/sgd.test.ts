// SGD against an independent float64 transcription of PyTorch's rule, one option at a time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RNG, tensor } from '../../src/index.js';
import { SGD, type SGDOptions, type Schedule, cosineAnnealingLR, linearWarmup } from '../../src/optim/index.js';
import { type RefStep, followReference } from './harness.js';

interface RefOptions {
  lr: number | Schedule;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * torch.optim.SGD, as its implementation (_single_tensor_sgd) reads:
 *   g = -grad if maximize else grad          (negated first, so weight decay still shrinks θ)
 *   if wd != 0: g = g + wd * θ
 *   if μ != 0: buf = g (first step) else buf = μ*buf + (1-τ)*g;  g = g + μ*buf if nesterov else buf
 *   θ = θ - lr * g
 */
function refSGD(o: RefOptions): RefStep {
  const mu = o.momentum ?? 0;
  const tau = o.dampening ?? 0;
  const wd = o.weightDecay ?? 0;
  let buf: number[] | null = null;
  return (p, grad, t) => {
    const lr = typeof o.lr === 'function' ? o.lr(t) : o.lr;
    const g = grad.map((v, i) => (o.maximize ? -v : v) + wd * p[i]);
    let d = g;
    if (mu !== 0) {
      if (buf === null) buf = [...g];
      else for (let i = 0; i < g.length; i++) buf[i] = mu * buf[i] + (1 - tau) * g[i];
      const b = buf;
      d = o.nesterov ? g.map((v, i) => v + mu * b[i]) : [...b];
    }
    for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * d[i];
  };
}

const cases: Array<[string, SGDOptions]> = [
  ['plain', { lr: 0.1 }],
  ['momentum', { lr: 0.05, momentum: 0.9 }],
  ['momentum with dampening', { lr: 0.05, momentum: 0.9, dampening: 0.3 }],
  ['nesterov', { lr: 0.05, momentum: 0.8, nesterov: true }],
  ['weight decay', { lr: 0.1, weightDecay: 0.05 }],
  ['maximize', { lr: 0.02, maximize: true }],
  ['maximize + weight decay + momentum', { lr: 0.02, momentum: 0.5, weightDecay: 0.1, maximize: true }],
  ['everything', { lr: 0.03, momentum: 0.7, dampening: 0, nesterov: true, weightDecay: 0.02 }],
];

describe('SGD follows PyTorch step for step (3-4-2 MLP, float64, 12 steps)', () => {
  for (const [label, options] of cases) {
    test(label, () => {
      const moved = followReference((params) => new SGD(params, options), () => refSGD(options as RefOptions));
      assert.ok(moved > 1e-3, `parameters barely moved (${moved})`);
    });
  }

  test('a schedule as lr (warmup then cosine), evaluated at step 0, 1, …', () => {
    const lr = linearWarmup(3, cosineAnnealingLR(0.2, { tMax: 8 }));
    const moved = followReference((params) => new SGD(params, { lr, momentum: 0.9 }), () => refSGD({ lr, momentum: 0.9 }));
    assert.ok(moved > 1e-3);
  });

  test('param groups with their own options override the defaults', () => {
    const groupOf = (name: string) => (name.startsWith('w') ? 0 : 1);
    const groupOptions: RefOptions[] = [
      { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
      { lr: 0.2, momentum: 0.3, dampening: 0.5 },
    ];
    const moved = followReference(
      (params) => new SGD([
        { params: params.filter(([n]) => groupOf(n) === 0), momentum: 0.9, nesterov: true, weightDecay: 0.01 },
        { params: params.filter(([n]) => groupOf(n) === 1), lr: 0.2, momentum: 0.3, dampening: 0.5 },
      ], { lr: 0.05 }),
      (name) => refSGD(groupOptions[groupOf(name)]),
    );
    assert.ok(moved > 1e-3);
  });

  test('the reference is sensitive: momentum 0.9 vs 0.89 is caught', () => {
    assert.throws(
      () => followReference((params) => new SGD(params, { lr: 0.05, momentum: 0.9 }), () => refSGD({ lr: 0.05, momentum: 0.89 })),
      /step \d+/,
    );
  });
});

describe('SGD on float32 parameters computes in float32, as PyTorch does', () => {
  test('every element follows the float32-rounded rule (momentum, dampening, weight decay), not the float64 one', () => {
    const f = Math.fround;
    const rng = new RNG(9);
    const n = 2000;
    const p0 = Float32Array.from({ length: n }, () => rng.normal());
    const grads = [0, 1, 2].map(() => Float32Array.from({ length: n }, () => rng.normal()));
    const [lr, mu, tau, wd] = [0.07, 0.9, 0.1, 0.01];
    const param = tensor(p0.slice(), { requiresGrad: true });
    const opt = new SGD([param], { lr, momentum: mu, dampening: tau, weightDecay: wd });
    // The rule written out twice: rounded at every operation, and in float64 rounded at the stores.
    const p32 = Array.from(p0), p64 = Array.from(p0);
    const b32 = new Array<number>(n).fill(0), b64 = new Array<number>(n).fill(0);
    grads.forEach((g, t) => {
      param.grad = tensor(g);
      opt.step();
      for (let i = 0; i < n; i++) {
        const g32 = f(g[i] + f(f(wd) * p32[i]));
        b32[i] = t === 0 ? g32 : f(f(f(mu) * b32[i]) + f(f(1 - tau) * g32));
        p32[i] = f(p32[i] - f(f(lr) * b32[i]));
        const g64 = g[i] + wd * p64[i];
        b64[i] = f(t === 0 ? g64 : mu * b64[i] + (1 - tau) * g64);
        p64[i] = f(p64[i] - lr * b64[i]);
      }
    });
    assert.deepEqual(Array.from(param.data), p32);
    assert.ok(p32.some((v, i) => v !== p64[i]), 'the two roundings differ somewhere, so the check above tells them apart');
  });
});

describe('SGD options are validated', () => {
  const params = () => [tensor([1, 2], { dtype: 'float64', requiresGrad: true })];
  test('lr is required and ≥ 0', () => {
    assert.throws(() => new SGD(params(), {} as SGDOptions), /SGD: lr is required/);
    assert.throws(() => new SGD(params(), { lr: -0.1 }), /SGD: lr must be ≥ 0, got -0\.1/);
  });
  test('momentum and weightDecay ≥ 0', () => {
    assert.throws(() => new SGD(params(), { lr: 0.1, momentum: -1 }), /SGD: momentum must be ≥ 0, got -1/);
    assert.throws(() => new SGD(params(), { lr: 0.1, weightDecay: -0.5 }), /SGD: weightDecay must be ≥ 0, got -0\.5/);
  });
  test('nesterov requires momentum > 0 and zero dampening', () => {
    assert.throws(() => new SGD(params(), { lr: 0.1, nesterov: true }), /SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0/);
    assert.throws(() => new SGD(params(), { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }), /dampening 0\.1/);
  });
  test('booleans and unknown option names', () => {
    assert.throws(() => new SGD(params(), { lr: 0.1, maximize: 1 as unknown as boolean }), /SGD: maximize must be true or false, got 1/);
    assert.throws(() => new SGD(params(), { lr: 0.1, weight_decay: 0.1 } as SGDOptions), /SGD: unknown option 'weight_decay'/);
  });
  test('group options are validated too, naming the value', () => {
    assert.throws(() => new SGD([{ params: params(), momentum: -2 }], { lr: 0.1 }), /SGD: momentum must be ≥ 0, got -2/);
  });
});

