// Class weights in crossEntropyLoss and bceWithLogitsLoss, against an independent float64
// transcription of PyTorch's rule (mean weighted by the targets' weights; for probability targets
// the mean over samples), their gradients by finite differences, and classificationReport against
// numbers worked out by hand (scikit-learn's classification_report for the same labels).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradcheck } from '../../src/autograd/gradcheck.js';
import { bceWithLogitsLoss, classificationReport, crossEntropyLoss, reportFromConfusion } from '../../src/nn/index.js';
import { castTo, oneHot, randn, tensor } from '../../src/ops/index.js';
import { RNG } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const rand64 = (shape: number[], seed: number, requiresGrad = true): Tensor => randn(shape, { rng: new RNG(seed), dtype: 'float64', requiresGrad });

/** PyTorch's CrossEntropyLoss(weight=w, label_smoothing=eps), mean reduction, written out in loops. */
function referenceCe(x: number[][], labels: number[], w: number[], eps: number): number {
  const c = w.length;
  let nll = 0;
  let smooth = 0;
  let total = 0;
  x.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    const lsm = row.map((v) => v - lse);
    nll += w[labels[i]] * -lsm[labels[i]];
    smooth += lsm.reduce((s, v, k) => s + w[k] * -v, 0);
    total += w[labels[i]];
  });
  return (1 - eps) * (nll / total) + (eps / c) * (smooth / total);
}

describe('crossEntropyLoss weight (PyTorch weight=)', () => {
  const labels = [2, 0, 1, 2, 2];
  const w = [0.5, 2, 1.25];

  it('labels: the mean weighted by each target’s weight, with and without label smoothing', () => {
    const x = rand64([5, 3], 1, false);
    const rows = x.toArray() as number[][];
    for (const eps of [0, 0.1]) {
      close(crossEntropyLoss(x, labels, { weight: w, labelSmoothing: eps }).item(), referenceCe(rows, labels, w, eps));
    }
    close(crossEntropyLoss(x, labels, { weight: [1, 1, 1] }).item(), crossEntropyLoss(x, labels).item());
    // Scaling every weight changes nothing (the mean is over the weights).
    close(crossEntropyLoss(x, labels, { weight: w.map((v) => 10 * v) }).item(), referenceCe(rows, labels, w, 0));
  });

  it('probability targets: each class term scaled by its weight, mean over samples', () => {
    const x = rand64([5, 3], 2, false);
    const q = castTo(oneHot(labels, 3), 'float64');
    const rows = x.toArray() as number[][];
    let expected = 0;
    rows.forEach((row, i) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      expected += w[labels[i]] * -(row[labels[i]] - lse);
    });
    close(crossEntropyLoss(x, q, { weight: w }).item(), expected / 5);
  });

  it('gradients match finite differences', () => {
    assert.equal(gradcheck((v) => crossEntropyLoss(v, labels, { weight: w }), [rand64([5, 3], 3)]), true);
    assert.equal(gradcheck((v) => crossEntropyLoss(v, labels, { weight: w, labelSmoothing: 0.2 }), [rand64([5, 3], 4)]), true);
  });

  it('rejects a wrong count and negative or non-finite weights, naming the value', () => {
    const x = rand64([5, 3], 5, false);
    assert.throws(() => crossEntropyLoss(x, labels, { weight: [1, 2] }), /weight must have one value per class \(3\), got 2/);
    assert.throws(() => crossEntropyLoss(x, labels, { weight: [1, -2, 1] }), /weight of class 1 must be a finite number ≥ 0, got -2/);
    assert.throws(() => crossEntropyLoss(x, labels, { weight: [1, NaN, 1] }), /got NaN/);
  });
});

describe('bceWithLogitsLoss classWeights', () => {
  it('the mean weighted by w₀ for targets 0 and w₁ for targets 1; gradients by finite differences', () => {
    const x = rand64([4, 1], 6, false);
    const y = tensor([[1], [0], [0], [1]], { dtype: 'float64' });
    const logits = x.toArray() as number[][];
    const [w0, w1] = [0.25, 3];
    let num = 0;
    let den = 0;
    logits.forEach(([v], i) => {
      const t = [1, 0, 0, 1][i];
      const l = Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
      const wi = t === 1 ? w1 : w0;
      num += wi * l;
      den += wi;
    });
    close(bceWithLogitsLoss(x, y, { classWeights: [w0, w1] }).item(), num / den);
    close(bceWithLogitsLoss(x, y, { classWeights: [1, 1] }).item(), bceWithLogitsLoss(x, y).item());
    assert.equal(gradcheck((v) => bceWithLogitsLoss(v, y, { classWeights: [w0, w1] }), [rand64([4, 1], 7)]), true);
  });
});

describe('classificationReport', () => {
  it('per-class precision, recall, F1, support; macro and weighted averages; accuracy', () => {
    // truth 0 0 0 1 1 2, predicted 0 0 1 1 2 2 (as one-hot logits).
    const predicted = [0, 0, 1, 1, 2, 2];
    const outputs = castTo(oneHot(predicted, 3), 'float32');
    const r = classificationReport(outputs, [0, 0, 0, 1, 1, 2], 3);
    assert.deepEqual(r.confusion, [[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    assert.equal(r.accuracy, 4 / 6);
    const f1 = [0.8, 0.5, 2 / 3];
    r.perClass.forEach((s, c) => {
      close(s.precision, [1, 0.5, 0.5][c]);
      close(s.recall, [2 / 3, 0.5, 1][c]);
      close(s.f1, f1[c]);
      assert.equal(s.support, [3, 2, 1][c]);
    });
    close(r.macro.f1, (0.8 + 0.5 + 2 / 3) / 3);
    close(r.weighted.f1, (3 * 0.8 + 2 * 0.5 + 2 / 3) / 6);
  });

  it('a class never predicted scores 0 and counts in the macro average; an absent class does not', () => {
    const r = reportFromConfusion([[5, 0, 0], [3, 0, 0], [0, 0, 0]]);
    assert.deepEqual(r.perClass.map((s) => [s.precision, s.recall, s.support]), [[5 / 8, 1, 5], [0, 0, 3], [0, 0, 0]]);
    close(r.macro.f1, (2 * (5 / 8) / (5 / 8 + 1)) / 2);
    assert.throws(() => reportFromConfusion([[0, 0], [0, 0]]), /no samples/);
  });
});
