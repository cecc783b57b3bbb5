import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, confusionMatrix, meanAbsoluteError, meanSquaredError, predictClasses, r2Score, zeroOneLoss } from '../../src/nn/index.js';
import { oneHot, tensor } from '../../src/ops/index.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';

// Rows' argmax: 1, 0, 2, 2, 1 (the last row ties 1 and 2: the first wins).
const outputs = tensor([[0.1, 0.8, 0.1], [2, -1, 0], [0, 0, 5], [1, 2, 3], [0, 4, 4]]);
const labels = [1, 0, 2, 0, 2];

describe('classification metrics', () => {
  it('accuracy and zero-one loss via argmax, with labels or one-hot rows', () => {
    assert.deepEqual(Array.from(predictClasses(outputs)), [1, 0, 2, 2, 1]);
    assert.equal(accuracy(outputs, labels), 3 / 5);
    assert.equal(accuracy(outputs, tensor(labels, { dtype: 'int32' })), 3 / 5);
    assert.equal(accuracy(outputs, oneHot(labels, 3)), 3 / 5);
    assert.equal(zeroOneLoss(outputs, labels), 2 / 5);
    assert.equal(zeroOneLoss(outputs, [1, 0, 2, 2, 1]), 0);
  });

  it('single-column outputs are binary: logits at 0, probabilities at 0.5, or a given threshold', () => {
    const logits = tensor([[-1], [0.2], [3], [-0.1]]);
    assert.equal(accuracy(logits, [0, 1, 1, 1]), 3 / 4);
    assert.equal(accuracy(tensor([-1, 0.2, 3, -0.1]), tensor([0, 1, 1, 1])), 3 / 4);
    const probs = tensor([[0.1], [0.4], [0.9], [0.6]]);
    assert.equal(accuracy(probs, [0, 0, 1, 1], { probabilities: true }), 1);
    assert.equal(accuracy(probs, [0, 0, 1, 1]), 1 / 2);
    assert.equal(zeroOneLoss(probs, [0, 0, 1, 1], { threshold: 0.95 }), 2 / 4);
  });

  it('confusion matrix: rows are true classes, columns predictions', () => {
    assert.deepEqual(confusionMatrix(outputs, labels, 3), [
      [1, 0, 1],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    assert.throws(() => confusionMatrix(outputs, [1, 0, 2, 0, 3], 3), /label 3 at position 4/);
  });

  it('checks shapes and labels', () => {
    assert.throws(() => accuracy(outputs, [1, 0]), ShapeError);
    assert.throws(() => accuracy(outputs, [1, 0, 2, 0, -1]), ValueError);
    assert.throws(() => accuracy(tensor([[[1]]]), [0]), ShapeError);
  });
});

describe('regression metrics', () => {
  const pred = tensor([[1, 2], [3, 5]]);
  const target = tensor([[1, 1], [1, 1]]);
  it('mean squared and absolute error', () => {
    assert.equal(meanSquaredError(pred, target), (0 + 1 + 4 + 16) / 4);
    assert.equal(meanAbsoluteError(pred, [1, 1, 1, 1]), (0 + 1 + 2 + 4) / 4);
    assert.throws(() => meanSquaredError(pred, tensor([1, 1, 1, 1])), ShapeError);
  });

  it('r2 score: 1 − SS_res/SS_tot, averaged over output columns', () => {
    const y = [3, -0.5, 2, 7];
    const yhat = [2.5, 0.0, 2, 8];
    assert.ok(Math.abs(r2Score(tensor(yhat), y) - 0.9486081370449679) < 1e-6); // scikit-learn's documented example
    assert.equal(r2Score(tensor(y), y), 1);
    const two = r2Score(tensor([[2.5, 1], [0, 2], [2, 3], [8, 4]]), tensor([[3, 1], [-0.5, 2], [2, 3], [7, 4]]));
    assert.ok(Math.abs(two - (0.9486081370449679 + 1) / 2) < 1e-6);
    assert.equal(r2Score(tensor([1, 2]), [3, 3]), 0);
  });
});
