// Shared test harness (not a test file): a small float64 MLP whose gradients come from the
// library's autodiff, and a driver that steps an optimizer and an independent reference side by side.
import assert from 'node:assert/strict';
import { RNG, Tensor, linear, mean, randn, square, sub, tanh } from '../../src/index.js';
import type { AnyOptimizer } from '../../src/optim/index.js';

export type { AnyOptimizer };

/** A 3-4-2 tanh MLP with fixed seeded weights and data, all float64. */
export function makeMLP(seed = 7): { params: Array<[string, Tensor]>; loss: () => Tensor } {
  const rng = new RNG(seed);
  const opts = { rng, dtype: 'float64' as const, requiresGrad: true };
  const params: Array<[string, Tensor]> = [
    ['w1', randn([4, 3], { ...opts, std: 0.7 })],
    ['b1', randn([4], { ...opts, std: 0.3 })],
    ['w2', randn([2, 4], { ...opts, std: 0.7 })],
    ['b2', randn([2], { ...opts, std: 0.3 })],
  ];
  const x = randn([8, 3], { rng, dtype: 'float64' });
  const y = randn([8, 2], { rng, dtype: 'float64' });
  const [w1, b1, w2, b2] = params.map(([, p]) => p);
  const loss = () => mean(square(sub(linear(tanh(linear(x, w1, b1)), w2, b2), y)));
  return { params, loss };
}

/** A reference update for one parameter: mutates `p` from its gradient `g` at step t (0-based). */
export type RefStep = (p: number[], g: number[], t: number) => void;

/** Relative agreement with a tiny absolute floor: |a − b| ≤ 1e-6·|b| + 1e-12. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    assert.ok(Number.isFinite(a) && Math.abs(a - b) <= rel * Math.abs(b) + 1e-12, `${what}[${i}]: got ${a}, expected ${b}`);
  }
}

/**
 * Steps `opt` and the per-parameter reference updates `refFor(name)` together for `steps` steps on
 * the MLP, feeding both the same autodiff gradients, and checks every parameter after every step.
 * Returns how far the reference parameters moved in total (so a test can insist they moved).
 */
export function followReference(
  makeOpt: (params: Array<[string, Tensor]>) => AnyOptimizer,
  refFor: (name: string) => RefStep,
  steps = 12,
): number {
  const { params, loss } = makeMLP();
  const opt = makeOpt(params);
  const ref = params.map(([name, p]) => ({ name, values: Array.from(p.data), step: refFor(name) }));
  const start = ref.map((r) => [...r.values]);
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    loss().backward();
    const grads = params.map(([, p]) => Array.from((p.grad as Tensor).data));
    opt.step();
    ref.forEach((r, i) => {
      r.step(r.values, grads[i], t);
      assertClose(params[i][1].data, r.values, `step ${t + 1}, ${r.name}`);
    });
  }
  let moved = 0;
  ref.forEach((r, i) => r.values.forEach((v, j) => (moved += Math.abs(v - start[i][j]))));
  return moved;
}

/** Minimizes f(θ) from `init` with `opt`; returns the final parameter values. */
export function minimize(f: (x: Tensor) => Tensor, init: number[], makeOpt: (x: Tensor) => AnyOptimizer, steps: number): number[] {
  const x = new Tensor(Float64Array.from(init), [init.length], true);
  const opt = makeOpt(x);
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    f(x).backward();
    opt.step();
  }
  return Array.from(x.data);
}
