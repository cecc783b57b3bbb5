// The Optimizer base class: parameter forms, zeroGrad, step bookkeeping, learning rates, clipping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, enableGrad, isGradEnabled, mul, square, sum, tensor } from '../../src/index.js';
import { Adam, SGD, type Schedule, clipGradNorm, clipGradValue } from '../../src/optim/index.js';
import { makeMLP } from './harness.js';

const param = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });

describe('parameters', () => {
  test('tensors are named by position, pairs and records by their names', () => {
    const [a, b, c] = [param([1]), param([2]), param([3])];
    assert.deepEqual(new SGD([a, b], { lr: 1 }).paramGroups[0].names, ['0', '1']);
    assert.deepEqual(new SGD([['x', a], ['y', b]], { lr: 1 }).paramGroups[0].names, ['x', 'y']);
    assert.deepEqual(new SGD({ x: a, y: b }, { lr: 1 }).paramGroups[0].names, ['x', 'y']);
    assert.deepEqual(new SGD(new Map([['m', a]]), { lr: 1 }).paramGroups[0].names, ['m']);
    const grouped = new SGD([{ params: [a, b] }, { params: [c], lr: 2 }], { lr: 1 });
    assert.deepEqual(grouped.paramGroups.map((g) => g.names), [['0', '1'], ['2']]);
    assert.deepEqual(grouped.paramGroups.map((g) => g.options.lr), [1, 2]);
    assert.equal(grouped.paramGroups[1].params[0], c);
  });

  test('a generator works as an iterable', () => {
    function* gen() {
      yield param([1]);
      yield param([2]);
    }
    assert.equal(new SGD(gen(), { lr: 1 }).paramGroups[0].params.length, 2);
  });

  test('bad parameter lists are rejected with clear errors', () => {
    const a = param([1]);
    assert.throws(() => new SGD([], { lr: 1 }), /SGD: got an empty list of parameters/);
    assert.throws(() => new SGD([a, a], { lr: 1 }), /SGD: parameter '1' is the same tensor as an earlier parameter/);
    assert.throws(() => new SGD([['w', a], ['w', param([2])]], { lr: 1 }), /SGD: parameter name 'w' appears more than once/);
    assert.throws(() => new SGD([mul(a, 2)], { lr: 1 }), /SGD: parameter '0' is not a leaf tensor/);
    assert.throws(() => new SGD([tensor([1], { dtype: 'int32' })], { lr: 1 }), /SGD: parameter '0' must be float32 or float64, got int32/);
    assert.throws(() => new SGD([3 as unknown as Tensor], { lr: 1 }), /SGD: parameter '0' must be a Tensor, got number/);
    assert.throws(() => new SGD(a as unknown as Tensor[], { lr: 1 }), /wrap it in an array/);
  });
});

describe('zeroGrad and step', () => {
  test('zeroGrad sets every gradient to null', () => {
    const { params, loss } = makeMLP();
    const opt = new SGD(params, { lr: 0.1 });
    loss().backward();
    assert.ok(params.every(([, p]) => p.grad !== null));
    opt.zeroGrad();
    assert.ok(params.every(([, p]) => p.grad === null));
  });

  test('step updates in place, records no graph, and counts steps', () => {
    const p = param([1, -2]);
    const data = p.data;
    const opt = new SGD([p], { lr: 0.5 });
    sum(square(p)).backward();
    enableGrad(() => opt.step());
    assert.equal(p.data, data);
    assert.deepEqual(Array.from(p.data), [1 - 0.5 * 2, -2 + 0.5 * 4]);
    assert.ok(p.isLeaf && p.requiresGrad);
    assert.ok(isGradEnabled());
    assert.equal(opt.stepCount, 1);
  });

  test('parameters without a gradient are skipped and get no state', () => {
    const [a, b] = [param([1, 2]), param([3])];
    const opt = new Adam([a, b], { lr: 0.1 });
    sum(square(a)).backward();
    opt.step();
    assert.notDeepEqual(Array.from(a.data), [1, 2]);
    assert.deepEqual(Array.from(b.data), [3]);
    assert.equal(opt.stateOf(b), undefined);
    assert.equal(opt.stateOf(a)?.step, 1);
    assert.deepEqual(Object.keys(opt.stateDict().state), ['0']);
  });

  test('a gradient of the wrong shape is reported', () => {
    const p = param([1, 2]);
    p.grad = tensor([1, 2, 3], { dtype: 'float64' });
    assert.throws(() => new SGD([p], { lr: 1 }).step(), /SGD: gradient of shape \[3\] for a parameter of shape \[2\]/);
  });

  test('float32 parameters are updated in float32', () => {
    const p = tensor([1, -2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1 });
    sum(square(p)).backward();
    opt.step();
    assert.ok(p.data instanceof Float32Array);
    assert.ok(Math.abs(p.data[0] - 0.9) < 1e-6 && Math.abs(p.data[1] + 1.9) < 1e-6, String(p.data));
  });
});

describe('learning rate', () => {
  test('a schedule is evaluated at the step count; lrScale multiplies it', () => {
    const p = param([0]);
    const lr: Schedule = (t) => 1 / (t + 1);
    const opt = new SGD([p], { lr });
    assert.equal(opt.getLearningRate(), 1);
    p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    assert.deepEqual(Array.from(p.data), [-1]);
    assert.equal(opt.getLearningRate(), 0.5);
    assert.equal(opt.getLearningRate(0, opt.stepCount - 1), 1);
    opt.setLrScale(0, 0.25);
    assert.equal(opt.getLearningRate(), 0.125);
    opt.step();
    assert.deepEqual(Array.from(p.data), [-1.125]);
    assert.throws(() => opt.setLrScale(0, -1), /SGD: lrScale must be ≥ 0, got -1/);
    assert.throws(() => opt.getLearningRate(3), /group index must be an integer in \[0, 1\), got 3/);
  });

  test('a schedule returning a bad value is reported with the step', () => {
    const p = param([0]);
    const opt = new SGD([p], { lr: (t) => (t < 1 ? 0.1 : Number.NaN) });
    p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    assert.throws(() => opt.step(), /SGD: the learning-rate schedule of group 0 returned NaN at step 1/);
  });
});

describe('clipNorm and clipValue inside step()', () => {
  test('clipNorm equals clipGradNorm before a plain step', () => {
    const a = makeMLP();
    const b = makeMLP();
    const optA = new SGD(a.params, { lr: 0.1, momentum: 0.9, clipNorm: 0.05 });
    const optB = new SGD(b.params, { lr: 0.1, momentum: 0.9 });
    for (let t = 0; t < 4; t++) {
      optA.zeroGrad();
      optB.zeroGrad();
      a.loss().backward();
      b.loss().backward();
      const norm = clipGradNorm(b.params.map(([, p]) => p), 0.05);
      assert.ok(norm > 0.05, `the test needs clipping to happen (norm ${norm})`);
      optA.step();
      optB.step();
      a.params.forEach(([, p], i) => assert.deepEqual(Array.from(p.data), Array.from(b.params[i][1].data)));
    }
  });

  test('clipValue equals clipGradValue before a plain step', () => {
    const a = makeMLP();
    const b = makeMLP();
    a.loss().backward();
    b.loss().backward();
    const optA = new SGD(a.params, { lr: 0.1, clipValue: 0.01 });
    clipGradValue(b.params.map(([, p]) => p), 0.01);
    optA.step();
    new SGD(b.params, { lr: 0.1 }).step();
    a.params.forEach(([, p], i) => assert.deepEqual(Array.from(p.data), Array.from(b.params[i][1].data)));
    assert.throws(() => new SGD(a.params, { lr: 0.1, clipNorm: 0 }), /SGD: clipNorm must be > 0, got 0/);
  });

  test('clipping is per group', () => {
    const [p, q] = [param([3, 4]), param([30, 40])];
    const opt = new SGD([{ params: [p] }, { params: [q] }], { lr: 1, clipNorm: 1 });
    p.grad = tensor([3, 4], { dtype: 'float64' });
    q.grad = tensor([30, 40], { dtype: 'float64' });
    opt.step();
    const c5 = 1 / (5 + 1e-6);
    const c50 = 1 / (50 + 1e-6);
    assert.deepEqual(Array.from(p.data), [3 - 3 * c5, 4 - 4 * c5]);
    assert.deepEqual(Array.from(q.data), [30 - 30 * c50, 40 - 40 * c50]);
  });
});
