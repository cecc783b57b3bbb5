// The lecture's derivations, checked numerically: the chain rule on a one-neuron regression, the
// sigmoid's derivative, the gradient as the direction of steepest descent, step sizes, the
// unbiasedness of mini-batch gradients, and gradient descent reaching the least-squares solution.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, Tensor, tensor, linspace, add, sub, mul, square, sum, mean, sigmoid, matmul, indexSelect, noGrad, valueAndGrad,
} from '../../src/index.js';

const f64 = (v: number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const norm = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a));

/** Solves A·x = b (n×n, row-major) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * A noisy linear-regression problem: X (n×3, correlated features of different scales), y = X·w + b + noise.
 * Returns the design as tensors and as plain rows.
 */
function regressionProblem(n: number, seed: number): { X: Tensor; y: Tensor; rows: number[][]; targets: number[] } {
  const rng = new RNG(seed);
  const rows: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const row = [a, 0.6 * a + 0.8 * rng.normal(), 2 * rng.normal() + 1];
    rows.push(row);
    targets.push(1.5 * row[0] - 2 * row[1] + 0.25 * row[2] + 0.7 + 0.3 * rng.normal());
  }
  return { X: f64(rows), y: f64(targets), rows, targets };
}

/** The lecture's MSE, 1/(2n)·Σ(ŷ − y)², for ŷ = X·w + b. */
const mse = (X: Tensor, y: Tensor) => (w: Tensor, b: Tensor): Tensor => {
  const r = sub(add(matmul(X, w), b), y);
  return mul(sum(square(r)), 1 / (2 * y.size));
};

describe('the chain rule on one neuron', () => {
  test('L = (ŷ − y)², ŷ = w₁x₁ + w₂x₂ + b: ∂L/∂b = 2(ŷ − y), ∂L/∂wᵢ = 2(ŷ − y)xᵢ', () => {
    const rng = new RNG(1);
    for (let trial = 0; trial < 50; trial++) {
      const [x1, x2, y, w1v, w2v, bv] = Array.from({ length: 6 }, () => 3 * rng.normal());
      const w1 = f64([w1v], true);
      const w2 = f64([w2v], true);
      const b = f64([bv], true);
      const yHat = add(add(mul(w1, x1), mul(w2, x2)), b);
      const L = square(sub(yHat, y));
      L.backward();
      const e = w1v * x1 + w2v * x2 + bv - y;
      const tol = 1e-12 * Math.max(1, Math.abs(e) * 10);
      assert.ok(Math.abs(yHat.item() - (e + y)) <= tol);
      assert.ok(Math.abs(L.item() - e * e) <= 1e-12 * Math.max(1, e * e));
      assert.ok(Math.abs(b.grad!.item() - 2 * e) <= tol, `∂L/∂b ${b.grad!.item()} vs ${2 * e}`);
      assert.ok(Math.abs(w1.grad!.item() - 2 * e * x1) <= tol * Math.max(1, Math.abs(x1)));
      assert.ok(Math.abs(w2.grad!.item() - 2 * e * x2) <= tol * Math.max(1, Math.abs(x2)));
    }
  });

  test("σ′(z) = σ(z)(1 − σ(z)) at many z", () => {
    const z = linspace(-30, 30, 1201, { dtype: 'float64', requiresGrad: true });
    const s = sigmoid(z);
    sum(s).backward();
    for (let i = 0; i < z.size; i++) {
      const zi = z.data[i];
      const ref = 1 / (1 + Math.exp(-zi)); // independent of the library
      const deriv = ref * (1 - ref);
      assert.ok(Math.abs(s.data[i] - ref) <= 1e-15, `σ(${zi})`);
      assert.ok(Math.abs(z.grad!.data[i] - deriv) <= 1e-15 + 1e-12 * deriv, `σ′(${zi}) = ${z.grad!.data[i]} vs ${deriv}`);
    }
    // the derivative peaks at z = 0 with value 1/4
    assert.equal(z.grad!.data[600], 0.25);
  });
});

describe('the gradient is the direction of steepest descent', () => {
  const { X, y } = regressionProblem(40, 2);
  const L = mse(X, y);
  // A point away from the minimum; θ = (w₁, w₂, w₃, b).
  const theta = [0.3, -0.5, 1.2, -0.4];
  const lossAt = (t: ArrayLike<number>): number => noGrad(() => L(f64([t[0], t[1], t[2]]), f64([t[3]])).item());
  const { value, grads } = valueAndGrad(L)(f64(theta.slice(0, 3)), f64([theta[3]]));
  const g = [...grads[0].data, ...grads[1].data];
  const gNorm = norm(g);

  test('∇L·r, checked by finite differences of L along r, is most negative at r = −∇L/‖∇L‖, where it is −‖∇L‖', () => {
    assert.ok(Math.abs(value.item() - lossAt(theta)) < 1e-12);
    const h = 1e-5;
    const along = (r: number[]): number => (lossAt(theta.map((t, i) => t + h * r[i])) - lossAt(theta.map((t, i) => t - h * r[i]))) / (2 * h);
    const best = g.map((v) => -v / gNorm);
    const dBest = along(best);
    assert.ok(Math.abs(dot(g, best) + gNorm) < 1e-12);
    assert.ok(Math.abs(dBest + gNorm) < 1e-6 * gNorm, `finite differences along −∇L/‖∇L‖: ${dBest} vs ${-gNorm}`);

    const rng = new RNG(3);
    let minD = Infinity;
    let minCos = -Infinity;
    let closestToBest = -Infinity;
    for (let k = 0; k < 2000; k++) {
      const raw = Array.from({ length: 4 }, () => rng.normal());
      const r = raw.map((v) => v / norm(raw));
      const dAuto = dot(g, r);
      const dNum = along(r);
      assert.ok(Math.abs(dAuto - dNum) < 1e-6 * gNorm, `direction ${k}: ∇L·r = ${dAuto}, finite differences ${dNum}`);
      assert.ok(dNum >= dBest - 1e-6 * gNorm, `direction ${k} beats −∇L: ${dNum} < ${dBest}`);
      const cos = dot(r, best);
      if (dNum < minD) { minD = dNum; minCos = cos; }
      closestToBest = Math.max(closestToBest, cos);
    }
    // The steepest sampled direction is the sample closest to −∇L/‖∇L‖, and none reaches −‖∇L‖.
    assert.equal(minCos, closestToBest);
    assert.ok(minD > -gNorm);
    assert.ok(minD < -0.95 * gNorm, 'with 2000 samples in 4-D some direction comes close');
  });

  test('a small step along −∇L lowers L, a too-large one raises it', () => {
    const step = (eta: number): number => lossAt(theta.map((t, i) => t - eta * g[i]));
    const L0 = lossAt(theta);
    for (const eta of [1e-4, 1e-3, 1e-2, 0.1]) assert.ok(step(eta) < L0, `η = ${eta}`);
    // first order: L(θ − η∇L) ≈ L(θ) − η‖∇L‖²
    const eta = 1e-6;
    assert.ok(Math.abs((step(eta) - L0) / eta + gNorm * gNorm) < 1e-4 * gNorm * gNorm);
    for (const eta of [5, 20]) assert.ok(step(eta) > L0, `η = ${eta} should overshoot`);
    // the best step along −∇L lies between: a steeper-than-linear decrease cannot continue forever
    assert.ok(step(0.1) < step(5));
  });
});

describe('stochastic gradients', () => {
  test('the mini-batch gradient is an unbiased estimate: over all batches of a permutation it averages to the full gradient', () => {
    const n = 60;
    const batchSize = 10;
    const { X, y } = regressionProblem(n, 4);
    const w = f64([0.1, 0.2, -0.3]);
    const b = f64([0.5]);
    const L = (Xb: Tensor, yb: Tensor) => (wt: Tensor, bt: Tensor): Tensor => mean(square(sub(add(matmul(Xb, wt), bt), yb)));
    const full = valueAndGrad(L(X, y))(w, b).grads.flatMap((t) => [...t.data]);

    const perm = new RNG(5).permutation(n);
    const sumOfBatchGrads = [0, 0, 0, 0];
    let spread = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from(perm.subarray(start, start + batchSize));
      const Xb = indexSelect(X, idx);
      const yb = indexSelect(y, idx);
      const gb = valueAndGrad(L(Xb, yb))(w, b).grads.flatMap((t) => [...t.data]);
      // a batch gradient is the mean of its per-sample gradients
      const perSample = [0, 0, 0, 0];
      for (const i of idx) {
        const gi = valueAndGrad(L(indexSelect(X, [i]), indexSelect(y, [i])))(w, b).grads.flatMap((t) => [...t.data]);
        gi.forEach((v, k) => (perSample[k] += v / batchSize));
      }
      gb.forEach((v, k) => assert.ok(Math.abs(v - perSample[k]) < 1e-12, `batch at ${start}, component ${k}`));
      gb.forEach((v, k) => (sumOfBatchGrads[k] += v));
      spread = Math.max(spread, norm(gb.map((v, k) => v - full[k])));
    }
    const average = sumOfBatchGrads.map((v) => v / (n / batchSize));
    average.forEach((v, k) => assert.ok(Math.abs(v - full[k]) < 1e-12, `component ${k}: ${v} vs ${full[k]}`));
    assert.ok(spread > 0.05 * norm(full), 'single batches do differ from the full gradient');
  });
});

describe('gradient descent on linear regression', () => {
  test('full-batch GD with the lecture MSE 1/(2n) reaches the normal-equations solution to 1e-4', () => {
    const { X, y, rows, targets } = regressionProblem(200, 6);
    // Least squares with an intercept: solve AᵀA θ = Aᵀy for A = [X | 1].
    const A = rows.map((r) => [...r, 1]);
    const AtA = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => A.reduce((s, r) => s + r[i] * r[j], 0)));
    const Aty = [0, 1, 2, 3].map((i) => A.reduce((s, r, k) => s + r[i] * targets[k], 0));
    const exact = solve(AtA, Aty);
    // the solver itself: the residual of the normal equations vanishes
    AtA.forEach((row, i) => assert.ok(Math.abs(dot(row, exact) - Aty[i]) < 1e-9));

    const L = mse(X, y);
    const w = tensor(new Float64Array(3), { requiresGrad: true });
    const b = tensor(new Float64Array(1), { requiresGrad: true });
    const lr = 0.1;
    const first = L(w, b).item();
    let last = first;
    for (let step = 0; step < 2000; step++) {
      const loss = L(w, b);
      assert.ok(loss.item() <= last + 1e-12, `loss rose at step ${step}`);
      last = loss.item();
      loss.backward();
      noGrad(() => {
        for (const p of [w, b]) {
          for (let i = 0; i < p.size; i++) p.data[i] -= lr * p.grad!.data[i];
          p.grad = null;
        }
      });
    }
    const found = [...w.data, ...b.data];
    found.forEach((v, i) => assert.ok(Math.abs(v - exact[i]) < 1e-4, `θ${i}: GD ${v}, normal equations ${exact[i]}`));
    assert.ok(last < first / 10);
    // the noise keeps the least-squares fit away from the generating weights, so this is no accident
    assert.ok(Math.abs(exact[0] - 1.5) + Math.abs(exact[1] + 2) + Math.abs(exact[2] - 0.25) + Math.abs(exact[3] - 0.7) > 1e-3);
    // and the gradient at the exact solution is zero
    const at = valueAndGrad(L)(f64(exact.slice(0, 3)), f64([exact[3]])).grads.flatMap((t) => [...t.data]);
    assert.ok(norm(at) < 1e-10, `‖∇L(θ*)‖ = ${norm(at)}`);
  });
});
