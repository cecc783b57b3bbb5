import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gradcheck } from '../../src/autograd/gradcheck.js';
import {
  bceWithLogitsLoss, crossEntropyLoss, halfMseLoss, huberLoss, l2Penalty, lossByName, lossNames, maeLoss, mlp, mseLoss,
} from '../../src/nn/index.js';
import { castTo, oneHot, randn, softmax, tensor } from '../../src/ops/index.js';
import { RNG } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const f64 = (rows: number[][] | number[], requiresGrad = false): Tensor => tensor(rows, { dtype: 'float64', requiresGrad });
const rand64 = (shape: number[], seed: number, requiresGrad = true): Tensor => randn(shape, { rng: new RNG(seed), dtype: 'float64', requiresGrad });

describe('loss values against hand-computed numbers', () => {
  it('mse is the mean over all elements; halfMse is 1/(2n)·Σ‖ŷᵢ − yᵢ‖²', () => {
    const pred = f64([[1, 2], [3, 4]]);
    const target = f64([[1, 1], [1, 1]]);
    close(mseLoss(pred, target).item(), (0 + 1 + 4 + 9) / 4);
    close(halfMseLoss(pred, target).item(), (0 + 1 + 4 + 9) / (2 * 2));
    const column = f64([[1], [2], [3]]);
    const zero = f64([[0], [0], [0]]);
    close(mseLoss(column, zero).item(), 14 / 3);
    close(halfMseLoss(column, zero).item(), mseLoss(column, zero).item() / 2);
  });

  it('mae and huber (PyTorch semantics)', () => {
    close(maeLoss(f64([[1, 2], [3, 4]]), f64([[1, 1], [1, 1]])).item(), 6 / 4);
    const pred = f64([0.5, -2, 3]);
    const zero = f64([0, 0, 0]);
    close(huberLoss(pred, zero).item(), (0.5 * 0.25 + (2 - 0.5) + (3 - 0.5)) / 3);
    close(huberLoss(pred, zero, { delta: 2 }).item(), (0.5 * 0.25 + 2 * (2 - 1) + 2 * (3 - 1)) / 3);
    assert.throws(() => huberLoss(pred, zero, { delta: 0 }), /delta must be > 0/);
  });

  it('bceWithLogits equals −[y·log σ(x) + (1−y)·log(1−σ(x))]', () => {
    const x = [0, 2, -1, 0.3];
    const y = [1, 0, 1, 0.25];
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const ref = x.reduce((s, v, i) => s - (y[i] * Math.log(sig(v)) + (1 - y[i]) * Math.log(1 - sig(v))), 0) / x.length;
    close(bceWithLogitsLoss(f64(x), f64(y)).item(), ref);
  });

  it('crossEntropy from logits with labels, one-hot and soft targets, and label smoothing', () => {
    const logits = [[1, 2, 3], [1, 1, 1], [-2, 0.5, 4]];
    const labels = [2, 0, 1];
    const logSm = (row: number[]): number[] => {
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      return row.map((v) => v - lse);
    };
    const ref = -labels.reduce((s, y, i) => s + logSm(logits[i])[y], 0) / 3;
    const x = f64(logits);
    close(crossEntropyLoss(x, labels).item(), ref);
    close(crossEntropyLoss(x, new Int32Array(labels)).item(), ref);
    close(crossEntropyLoss(x, tensor(labels, { dtype: 'int32' })).item(), ref);
    close(crossEntropyLoss(x, tensor(labels)).item(), ref);
    close(crossEntropyLoss(x, oneHot(labels, 3, 'float64')).item(), ref);
    close(crossEntropyLoss(x, castTo(oneHot(labels, 3), 'int32')).item(), ref);
    const eps = 0.1;
    const smooth = -labels.reduce((s, y, i) => s + logSm(logits[i]).reduce((t, l, c) => t + ((c === y ? 1 - eps : 0) + eps / 3) * l, 0), 0) / 3;
    close(crossEntropyLoss(x, labels, { labelSmoothing: eps }).item(), smooth);
    close(crossEntropyLoss(x, oneHot(labels, 3, 'float64'), { labelSmoothing: eps }).item(), smooth);
    const soft = [[0.2, 0.3, 0.5], [1, 0, 0], [0, 0.5, 0.5]];
    const softRef = -soft.reduce((s, q, i) => s + logSm(logits[i]).reduce((t, l, c) => t + q[c] * l, 0), 0) / 3;
    close(crossEntropyLoss(x, f64(soft)).item(), softRef);
  });

  it('l2Penalty is λ·Σw² over weights, biases excluded unless asked', () => {
    const model = mlp([3, 4, 2], { rng: new RNG(1), dtype: 'float64' });
    const sq = (name: string): number => model.namedParameters().find(([n]) => n === name)![1].toFlatArray().reduce((s, v) => s + v * v, 0);
    close(l2Penalty(model.namedParameters(), 0.5).item(), 0.5 * (sq('layers.0.weight') + sq('layers.2.weight')));
    const all = sq('layers.0.weight') + sq('layers.0.bias') + sq('layers.2.weight') + sq('layers.2.bias');
    close(l2Penalty(model.namedParameters(), 0.5, { includeBiases: true }).item(), 0.5 * all);
    assert.equal(l2Penalty([], 1).item(), 0);
    assert.throws(() => l2Penalty(model.namedParameters(), -1), /lambda must be ≥ 0/);
  });
});

describe('loss gradients match central finite differences (float64)', () => {
  const target = rand64([4, 3], 2, false);
  for (const [name, fn] of [
    ['mse', mseLoss], ['halfMse', halfMseLoss], ['mae', maeLoss],
    ['huber', (p: Tensor, t: Tensor) => huberLoss(p, t, { delta: 0.7 })],
  ] as const) {
    it(name, () => {
      assert.equal(gradcheck((p) => fn(p, target), [rand64([4, 3], 1)]), true);
      assert.equal(gradcheck((t) => fn(rand64([4, 3], 1, false), t), [rand64([4, 3], 3)]), true);
    });
  }

  it('bceWithLogits, including a logit at exactly 0', () => {
    const y = f64([[1, 0, 0.3], [0, 1, 1]]);
    const x = f64([[0, 2.5, -1], [-3, 0.1, 40]], true);
    assert.equal(gradcheck((v) => bceWithLogitsLoss(v, y), [x]), true);
    assert.equal(gradcheck((v) => bceWithLogitsLoss(x.detach(), v), [f64([[1, 0, 0.3], [0, 1, 1]], true)]), true);
  });

  it('crossEntropy with labels, probabilities and label smoothing', () => {
    const labels = [2, 0, 1, 2];
    assert.equal(gradcheck((v) => crossEntropyLoss(v, labels), [rand64([4, 3], 4)]), true);
    assert.equal(gradcheck((v) => crossEntropyLoss(v, labels, { labelSmoothing: 0.2 }), [rand64([4, 3], 5)]), true);
    const q = softmax(rand64([4, 3], 6, false));
    assert.equal(gradcheck((v) => crossEntropyLoss(v, q), [rand64([4, 3], 7)]), true);
    assert.equal(gradcheck((t) => crossEntropyLoss(rand64([4, 3], 7, false), t, { labelSmoothing: 0.1 }), [softmax(rand64([4, 3], 6, false)).requireGrad()]), true);
  });

  it('crossEntropy gradient is (softmax − onehot)/N, the same for labels and one-hot', () => {
    const labels = [1, 0, 2];
    const a = rand64([3, 3], 8);
    const b = new Tensor(a.data.slice(), a.shape, true);
    crossEntropyLoss(a, labels).backward();
    crossEntropyLoss(b, oneHot(labels, 3, 'float64')).backward();
    const p = softmax(a.detach()).toFlatArray();
    const expected = p.map((v, k) => (v - (labels[Math.floor(k / 3)] === k % 3 ? 1 : 0)) / 3);
    a.grad!.toFlatArray().forEach((g, k) => close(g, expected[k], 1e-12));
    b.grad!.toFlatArray().forEach((g, k) => close(g, expected[k], 1e-12));
  });

  it('l2Penalty', () => {
    const w = rand64([3, 2], 9);
    const bias = rand64([2], 10);
    assert.equal(gradcheck((a, b) => l2Penalty([['w', a], ['fc.bias', b]], 0.3, { includeBiases: true }), [w, bias]), true);
    l2Penalty([['w', w], ['fc.bias', bias]], 0.3).backward();
    assert.equal(bias.grad, null, 'bias excluded by default');
    w.grad!.toFlatArray().forEach((g, k) => close(g, 0.6 * w.data[k]));
  });
});

describe('numerical stability', () => {
  it('huge logits give finite losses and gradients', () => {
    const x = tensor([[1e4, -1e4, 0], [-3e38, 3e38, 0]], { requiresGrad: true });
    const loss = crossEntropyLoss(x, [1, 1]);
    assert.ok(Number.isFinite(loss.item()));
    close(loss.item(), 2e4 / 2, 1e-6);
    loss.backward();
    assert.ok(x.grad!.toFlatArray().every(Number.isFinite));
    const y = tensor([[-3e38, 3e38]], { requiresGrad: true });
    const probLoss = crossEntropyLoss(y, tensor([[0, 1]]));
    assert.ok(probLoss.item() === 0, String(probLoss.item()));
    probLoss.backward();
    assert.ok(y.grad!.toFlatArray().every(Number.isFinite));
    const z = tensor([1e4, -1e4, 50, -3e38], { requiresGrad: true });
    const bce = bceWithLogitsLoss(z, tensor([0, 1, 1, 0]));
    close(bce.item(), (1e4 + 1e4 + Math.log1p(Math.exp(-50))) / 4, 1e-6);
    bce.backward();
    assert.ok(z.grad!.toFlatArray().every(Number.isFinite));
  });
});

describe('loss argument checks', () => {
  it('shape mismatches name the loss and both shapes', () => {
    assert.throws(() => mseLoss(tensor([1, 2, 3]), tensor([[1], [2], [3]])), (e: Error) => e instanceof ShapeError && e.message.includes('mseLoss') && e.message.includes('[3]') && e.message.includes('[3, 1]'));
    assert.throws(() => bceWithLogitsLoss(tensor([[1], [2]]), tensor([1, 0])), /bceWithLogitsLoss.*\[2, 1\].*\[2\]/);
    assert.throws(() => crossEntropyLoss(tensor([[1, 2]]), [0, 1]), (e: Error) => e instanceof ShapeError && /crossEntropyLoss/.test(e.message));
    assert.throws(() => crossEntropyLoss(tensor([1, 2]), [0]), ShapeError);
  });

  it('out-of-range labels name the label and its position', () => {
    assert.throws(() => crossEntropyLoss(tensor([[1, 2], [3, 4]]), [0, 2]), (e: Error) => e instanceof ValueError && e.message.includes('label 2 at position 1'));
    assert.throws(() => crossEntropyLoss(tensor([[1, 2], [3, 4]]), [0.5, 1]), /label 0.5 at position 0/);
  });

  it('lossByName knows the registry and lists it on error', () => {
    assert.deepEqual([...lossNames], ['mse', 'halfMse', 'mae', 'huber', 'bce', 'crossEntropy']);
    assert.equal(lossByName('mse'), mseLoss);
    assert.equal(lossByName('halfMse'), halfMseLoss);
    close(lossByName('crossEntropy')(f64([[0, 0]]), f64([1])).item(), Math.LN2);
    assert.throws(() => lossByName('hinge'), (e: Error) => e instanceof ValueError && e.message.includes('hinge') && e.message.includes("'crossEntropy'"));
  });
});
