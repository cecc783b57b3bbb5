// Adam and AdamW against an independent float64 transcription of PyTorch's algorithm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { Adam, AdamW, type AdamOptions, type Schedule, exponentialLR } from '../../src/optim/index.js';
import { type RefStep, followReference } from './harness.js';

interface RefOptions {
  lr?: number | Schedule;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  decoupled?: boolean;
}

/**
 * torch.optim.Adam / AdamW (textbook form of the same arithmetic):
 *   g = -grad if maximize else grad
 *   AdamW: θ = θ - lr·λ·θ           Adam: g = g + λθ
 *   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
 *   m̂ = m / (1-β1^t)
 *   amsgrad: vmax = max(vmax, v), v̂ = vmax / (1-β2^t); else v̂ = v / (1-β2^t)
 *   θ = θ - lr·m̂ / (√v̂ + ε)
 */
function refAdam(o: RefOptions): RefStep {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? (o.decoupled ? 1e-2 : 0);
  let m: number[] = [];
  let v: number[] = [];
  let vmax: number[] = [];
  let t = 0;
  return (p, grad, step) => {
    const lr = o.lr === undefined ? 1e-3 : typeof o.lr === 'function' ? o.lr(step) : o.lr;
    if (t === 0) {
      m = p.map(() => 0);
      v = p.map(() => 0);
      vmax = p.map(() => 0);
    }
    t += 1;
    for (let i = 0; i < p.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i];
      if (o.decoupled) p[i] = p[i] - lr * wd * p[i];
      else g = g + wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = m[i] / (1 - b1 ** t);
      vmax[i] = Math.max(vmax[i], v[i]);
      const vHat = (o.amsgrad ? vmax[i] : v[i]) / (1 - b2 ** t);
      p[i] = p[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

const cases: Array<[string, AdamOptions]> = [
  ['defaults', {}],
  ['lr and betas', { lr: 0.05, betas: [0.8, 0.95] }],
  ['large eps', { lr: 0.05, eps: 1e-3 }],
  ['weight decay (L2 in the gradient)', { lr: 0.05, weightDecay: 0.1 }],
  ['amsgrad', { lr: 0.05, amsgrad: true, betas: [0.5, 0.6] }],
  ['maximize', { lr: 0.05, maximize: true }],
  ['everything', { lr: 0.04, betas: [0.7, 0.9], eps: 1e-6, weightDecay: 0.05, amsgrad: true, maximize: true }],
];

describe('Adam follows PyTorch step for step (3-4-2 MLP, float64, 12 steps)', () => {
  for (const [label, options] of cases) {
    test(label, () => {
      const moved = followReference((ps) => new Adam(ps, options), () => refAdam(options as RefOptions));
      assert.ok(moved > 1e-3 * (options.lr === undefined ? 0.1 : 1), `parameters barely moved (${moved})`);
    });
  }

  test('a schedule as lr', () => {
    const lr = exponentialLR(0.05, { gamma: 0.8 });
    assert.ok(followReference((ps) => new Adam(ps, { lr }), () => refAdam({ lr })) > 1e-3);
  });

  test('param groups: amsgrad in one, weight decay in the other', () => {
    const groupOf = (name: string) => (name === 'w1' || name === 'b2' ? 0 : 1);
    const opts: RefOptions[] = [{ lr: 0.03, amsgrad: true, betas: [0.5, 0.6] }, { lr: 0.01, weightDecay: 0.2 }];
    followReference(
      (ps) => new Adam([
        { params: ps.filter(([n]) => groupOf(n) === 0), amsgrad: true, betas: [0.5, 0.6] },
        { params: ps.filter(([n]) => groupOf(n) === 1), lr: 0.01, weightDecay: 0.2 },
      ], { lr: 0.03 }),
      (name) => refAdam(opts[groupOf(name)]),
    );
  });

  test('amsgrad matters: without it the reference diverges from an amsgrad run', () => {
    assert.throws(() => followReference((ps) => new Adam(ps, { lr: 0.05, amsgrad: true, betas: [0.5, 0.6] }), () => refAdam({ lr: 0.05, betas: [0.5, 0.6] })), /step \d+/);
  });
});

describe('AdamW follows PyTorch step for step', () => {
  const wCases: Array<[string, AdamOptions]> = [
    ['defaults (weightDecay 1e-2, decoupled)', {}],
    ['strong decoupled decay', { lr: 0.05, weightDecay: 0.5 }],
    ['amsgrad + maximize', { lr: 0.05, weightDecay: 0.1, amsgrad: true, maximize: true, betas: [0.5, 0.6] }],
  ];
  for (const [label, options] of wCases) {
    test(label, () => {
      followReference((ps) => new AdamW(ps, options), () => refAdam({ ...(options as RefOptions), decoupled: true }));
    });
  }

  test('AdamW is not Adam with L2: the coupled reference disagrees', () => {
    assert.throws(() => followReference((ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.5 }), () => refAdam({ lr: 0.05, weightDecay: 0.5 })), /step \d+/);
  });
});

describe('Adam options are validated', () => {
  const params = () => [tensor([1, 2], { dtype: 'float64', requiresGrad: true })];
  test('betas in [0, 1)', () => {
    assert.throws(() => new Adam(params(), { betas: [1, 0.999] }), /Adam: betas\[0\] must be in \[0, 1\), got 1/);
    assert.throws(() => new AdamW(params(), { betas: [0.9, -0.1] }), /AdamW: betas\[1\] must be in \[0, 1\), got -0\.1/);
    assert.throws(() => new Adam(params(), { betas: [0.9] as unknown as [number, number] }), /Adam: betas must be a pair/);
  });
  test('eps, weightDecay, lr', () => {
    assert.throws(() => new Adam(params(), { eps: -1e-8 }), /Adam: eps must be ≥ 0, got -1e-8/);
    assert.throws(() => new AdamW(params(), { weightDecay: -1 }), /AdamW: weightDecay must be ≥ 0, got -1/);
    assert.throws(() => new Adam(params(), { lr: Number.NaN }), /Adam: lr must be a finite number, got NaN/);
    assert.throws(() => new Adam(params(), { amsgrad: 'yes' as unknown as boolean }), /Adam: amsgrad must be true or false, got yes/);
  });
  test('defaults are PyTorch\'s', () => {
    const adam = new Adam(params());
    assert.deepEqual({ ...adam.paramGroups[0].options }, { lr: 1e-3, clipNorm: null, clipValue: null, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    assert.equal(new AdamW(params()).paramGroups[0].options.weightDecay, 1e-2);
  });
});
