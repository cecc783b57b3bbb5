// Every optimizer minimizes a badly scaled quadratic bowl and the Rosenbrock function.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Tensor, mul, narrow, square, sub, sum, tensor } from '../../src/index.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../../src/optim/index.js';
import { type AnyOptimizer, minimize } from './harness.js';

/** f(x, y) = ½(x² + 10y²): minimum 0 at the origin, condition number 10. */
const weights = tensor([0.5, 5], { dtype: 'float64' });
const bowl = (p: Tensor) => sum(mul(weights, square(p)));

/** f(x, y) = (1 − x)² + 100(y − x²)²: minimum 0 at (1, 1) at the end of a curved valley. */
const rosenbrock = (p: Tensor) => {
  const x = narrow(p, 0, 0, 1);
  const y = narrow(p, 0, 1, 1);
  return sum(square(sub(1, x)).add(mul(100, square(sub(y, square(x))))));
};

interface Case { name: string; make: (x: Tensor) => AnyOptimizer; steps: number; tol: number }

function check(f: (p: Tensor) => Tensor, start: number[], target: number[], c: Case): void {
  const before = f(tensor(start, { dtype: 'float64' })).item();
  const end = minimize(f, start, c.make, c.steps);
  const after = f(tensor(end, { dtype: 'float64' })).item();
  end.forEach((v, i) => assert.ok(Math.abs(v - target[i]) < c.tol, `${c.name}: coordinate ${i} ended at ${v}, expected ${target[i]} ± ${c.tol} (f ${before} → ${after})`));
  assert.ok(after < before * 1e-3, `${c.name}: f went from ${before} to ${after}`);
}

describe('convergence on the quadratic bowl ½(x² + 10y²) from (3, 1)', () => {
  const cases: Case[] = [
    { name: 'SGD', make: (x) => new SGD([x], { lr: 0.05 }), steps: 300, tol: 1e-5 },
    { name: 'SGD momentum', make: (x) => new SGD([x], { lr: 0.05, momentum: 0.9 }), steps: 300, tol: 1e-5 },
    { name: 'SGD nesterov', make: (x) => new SGD([x], { lr: 0.05, momentum: 0.9, nesterov: true }), steps: 300, tol: 1e-5 },
    { name: 'Adam', make: (x) => new Adam([x], { lr: 0.1 }), steps: 500, tol: 1e-5 },
    { name: 'AdamW', make: (x) => new AdamW([x], { lr: 0.1 }), steps: 500, tol: 1e-5 },
    { name: 'RMSprop', make: (x) => new RMSprop([x], { lr: 0.01, momentum: 0.9 }), steps: 500, tol: 1e-5 },
    { name: 'Adagrad', make: (x) => new Adagrad([x], { lr: 1 }), steps: 300, tol: 1e-5 },
  ];
  for (const c of cases) test(c.name, () => check(bowl, [3, 1], [0, 0], c));
});

describe('convergence on Rosenbrock from (−1.5, 2)', () => {
  const cases: Case[] = [
    { name: 'SGD momentum', make: (x) => new SGD([x], { lr: 0.001, momentum: 0.9 }), steps: 2000, tol: 1e-3 },
    { name: 'SGD nesterov', make: (x) => new SGD([x], { lr: 0.001, momentum: 0.9, nesterov: true }), steps: 2000, tol: 1e-3 },
    { name: 'Adam', make: (x) => new Adam([x], { lr: 0.05 }), steps: 3000, tol: 1e-6 },
    { name: 'AdamW (no decay)', make: (x) => new AdamW([x], { lr: 0.05, weightDecay: 0 }), steps: 3000, tol: 1e-6 },
    { name: 'RMSprop momentum', make: (x) => new RMSprop([x], { lr: 0.001, momentum: 0.9 }), steps: 3000, tol: 1e-3 },
    { name: 'Adagrad', make: (x) => new Adagrad([x], { lr: 1.7 }), steps: 3000, tol: 5e-3 },
  ];
  for (const c of cases) test(c.name, () => check(rosenbrock, [-1.5, 2], [1, 1], c));
});
