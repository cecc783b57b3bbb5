import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { Race } from '../../web/descent.js';
import { gradientAt, makeSurface, type SurfaceName } from '../../web/surfaces.js';
import { SURFACES } from '../../web/state.js';

const names = SURFACES as readonly SurfaceName[];

test('each surface: the autodiff loss equals the plain-number value used for drawing', () => {
  for (const name of names) {
    const s = makeSurface(name, { points: 25, seed: 3 });
    const [x0, x1, y0, y1] = s.bounds;
    for (const [u, v] of [[0.1, 0.2], [0.5, 0.5], [0.9, 0.3], [0.33, 0.77]]) {
      const w = x0 + u * (x1 - x0);
      const b = y0 + v * (y1 - y0);
      const viaTensors = s.loss(tensor([w], { dtype: 'float64' }), tensor([b], { dtype: 'float64' })).item();
      assert.ok(Math.abs(viaTensors - s.value(w, b)) <= 1e-9 * Math.max(1, Math.abs(viaTensors)), `${name} at (${w}, ${b})`);
    }
  }
});

test('each surface: autodiff gradients match central finite differences', () => {
  for (const name of names) {
    const s = makeSurface(name, { points: 25, seed: 3 });
    const [x0, x1, y0, y1] = s.bounds;
    for (const [u, v] of [[0.2, 0.7], [0.6, 0.4], [0.85, 0.15]]) {
      const w = x0 + u * (x1 - x0);
      const b = y0 + v * (y1 - y0);
      const { grad } = gradientAt(s, w, b);
      const h = 1e-6;
      const fdW = (s.value(w + h, b) - s.value(w - h, b)) / (2 * h);
      const fdB = (s.value(w, b + h) - s.value(w, b - h)) / (2 * h);
      const tol = (g: number) => 1e-5 * Math.max(1, Math.abs(g));
      assert.ok(Math.abs(grad[0] - fdW) < tol(fdW), `${name} ∂L/∂w ${grad[0]} vs ${fdW}`);
      assert.ok(Math.abs(grad[1] - fdB) < tol(fdB), `${name} ∂L/∂b ${grad[1]} vs ${fdB}`);
    }
  }
});

test('each surface: the stated minimum has zero gradient and is the lowest point of a grid', () => {
  for (const name of names) {
    const s = makeSurface(name);
    const { grad, loss } = gradientAt(s, s.minimum.w, s.minimum.b);
    assert.ok(Math.hypot(...grad) < 1e-9, `${name}: gradient at the minimum ${grad}`);
    assert.ok(Math.abs(loss - s.minimum.loss) < 1e-12);
    const [x0, x1, y0, y1] = s.bounds;
    for (let i = 0; i <= 40; i++) for (let j = 0; j <= 40; j++) {
      assert.ok(s.value(x0 + (i / 40) * (x1 - x0), y0 + (j / 40) * (y1 - y0)) >= s.minimum.loss - 1e-12);
    }
  }
});

test('the linear-regression surface is the lecture loss 1/(2n)Σ(w·x + b − y)², and a mini-batch uses only its rows', () => {
  const s = makeSurface('linreg', { points: 10, seed: 1 });
  const { x, y } = s.data!;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (1.5 * x[i] - 0.5 - y[i]) ** 2;
  assert.ok(Math.abs(s.value(1.5, -0.5) - sum / 20) < 1e-12);
  const rows = Int32Array.from([2, 7]);
  const batch = s.loss(tensor([1.5], { dtype: 'float64' }), tensor([-0.5], { dtype: 'float64' }), rows).item();
  assert.ok(Math.abs(batch - ((1.5 * x[2] - 0.5 - y[2]) ** 2 + (1.5 * x[7] - 0.5 - y[7]) ** 2) / 4) < 1e-12);
});

const race = (name: SurfaceName, patch: Partial<ConstructorParameters<typeof Race>[1]> = {}) => {
  const s = makeSurface(name);
  return new Race(s, { lr: s.suggested.lr, adamLr: s.suggested.adamLr, momentum: 0.9, batch: 4, start: s.suggested.start, kinds: ['gd'], maxSteps: 1000, seed: 0, ...patch });
};

test('GD on the bowl reaches the minimum and reports convergence', () => {
  const r = race('bowl', { lr: 0.1 });
  while (r.step());
  const gd = r.runner('gd')!;
  assert.equal(gd.status, 'converged');
  assert.ok(Math.hypot(...gd.point) < 1e-5, `ended at ${gd.point}`);
  assert.match(gd.message, /converged after \d+ steps/);
  // Each GD step on ½‖v‖² is v ← (1 − α)v.
  assert.ok(Math.abs(gd.path[2] - 0.9 * gd.path[0]) < 1e-12);
});

test('a too-large learning rate is flagged: the loss rises, then the runner diverges', () => {
  const r = race('bowl', { lr: 2.2 });
  let sawRising = false;
  while (r.step()) sawRising ||= r.runner('gd')!.status === 'rising';
  const gd = r.runner('gd')!;
  assert.ok(sawRising, 'rising loss flagged before divergence');
  assert.equal(gd.status, 'diverged');
  assert.match(gd.message, /diverged at step \d+/);
  for (let i = 1; i < gd.losses.length; i++) assert.ok(gd.losses[i] > gd.losses[i - 1], 'the loss rises every step');
});

test('the ravine: GD crawls at small α, converges at the suggested α, diverges just above 2/100', () => {
  const run = (lr: number) => {
    const r = race('ravine', { lr, maxSteps: 300 });
    while (r.step());
    return r.runner('gd')!;
  };
  assert.equal(run(0.002).status, 'finished');
  assert.ok(run(0.002).loss > 0.5, 'crawling: still far after 300 steps');
  assert.ok(run(0.018).loss < 1e-3);
  assert.equal(run(0.021).status, 'diverged');
});

test('momentum and Adam beat plain GD along the ravine; Adam uses the real optimizer state', () => {
  const r = race('ravine', { kinds: ['gd', 'momentum', 'adam'], maxSteps: 80 });
  while (r.step());
  const gd = r.runner('gd')!.loss;
  assert.ok(r.runner('momentum')!.loss < gd);
  assert.ok(r.runner('adam')!.loss < gd);
});

test('mini-batch SGD: smaller batches make a noisier path; SGD needs a surface with data', () => {
  const roughness = (batch: number) => {
    const r = race('linreg', { kinds: ['sgd'], batch, maxSteps: 200, lr: 0.1 });
    while (r.step());
    const sgd = r.runner('sgd')!;
    // Mean distance between the batch gradient and the full gradient at the same point.
    let total = 0;
    const s = r.surface;
    for (let i = 100; i < 200; i++) total += Math.abs(s.value(sgd.path[2 * i], sgd.path[2 * i + 1]) - s.minimum.loss);
    return { excess: total / 100, epoch: sgd.epoch };
  };
  const small = roughness(1);
  const large = roughness(20);
  assert.ok(small.excess > 3 * large.excess, `m = 1 hovers higher (${small.excess}) than m = 20 (${large.excess})`);
  assert.equal(small.epoch, 5, '200 steps of 1 over 40 points = 5 epochs');
  assert.equal(large.epoch, 100);
  assert.equal(race('bowl', { kinds: ['gd', 'sgd'] }).runners.length, 1, 'no SGD runner without data');
});
