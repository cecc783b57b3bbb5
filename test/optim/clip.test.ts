// Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Tensor, tensor } from '../../src/index.js';
import { clipGradNorm, clipGradValue, gradNorm } from '../../src/optim/index.js';

function withGrads(...grads: Array<number[] | null>): Tensor[] {
  return grads.map((g) => {
    const p = tensor(g ?? [0], { dtype: 'float64', requiresGrad: true });
    p.grad = g === null ? null : tensor(g, { dtype: 'float64' });
    return p;
  });
}
const gradsOf = (ps: Tensor[]) => ps.map((p) => (p.grad === null ? null : Array.from(p.grad.data)));

describe('clipGradNorm', () => {
  test('global 2-norm over all gradients; scaled by maxNorm/(norm + 1e-6) when above', () => {
    const ps = withGrads([3, 4], null, [12]);
    const total = clipGradNorm(ps, 6.5);
    assert.equal(total, 13);
    const c = 6.5 / (13 + 1e-6);
    assert.deepEqual(gradsOf(ps), [[3 * c, 4 * c], null, [12 * c]]);
    assert.ok(Math.abs(gradNorm(ps) - 6.5) < 1e-6 && gradNorm(ps) < 6.5);
  });

  test('gradients under the limit are left exactly as they were', () => {
    const ps = withGrads([0.1, -0.2], [0.3]);
    assert.equal(clipGradNorm(ps, 1), Math.sqrt(0.1 * 0.1 + 0.2 * 0.2 + 0.3 * 0.3));
    assert.deepEqual(gradsOf(ps), [[0.1, -0.2], [0.3]]);
  });

  test('Infinity norm is the largest |g|; 1- and 3-norms', () => {
    const ps = withGrads([1, -7], [3]);
    assert.equal(gradNorm(ps, Infinity), 7);
    assert.equal(gradNorm(ps, 1), 11);
    assert.ok(Math.abs(gradNorm(ps, 3) - Math.cbrt(1 + 343 + 27)) < 1e-12);
    assert.equal(clipGradNorm(ps, 3.5, Infinity), 7);
    const c = 3.5 / (7 + 1e-6);
    assert.deepEqual(gradsOf(ps), [[c, -7 * c], [3 * c]]);
  });

  test('ten ones spread over two parameters have norm √10', () => {
    const ps = withGrads([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]);
    assert.equal(clipGradNorm(ps, 1), Math.sqrt(10));
    assert.ok(Math.abs(gradNorm(ps) - 1) < 1e-6);
  });

  test('no gradients: norm 0; a non-finite norm is returned and poisons the gradients as in PyTorch', () => {
    assert.equal(clipGradNorm(withGrads(null), 1), 0);
    const ps = withGrads([Infinity, 1]);
    assert.equal(clipGradNorm(ps, 1), Infinity);
    assert.ok(Number.isNaN(ps[0].grad?.data[0]));
    assert.equal(ps[0].grad?.data[1], 0);
  });

  test('arguments are validated', () => {
    assert.throws(() => clipGradNorm(withGrads([1]), -1), /clipGradNorm: maxNorm must be ≥ 0, got -1/);
    assert.throws(() => clipGradNorm(withGrads([1]), 1, 0), /clipGradNorm: normType must be > 0 or Infinity, got 0/);
    assert.throws(() => gradNorm(withGrads([1]), Number.NaN), /gradNorm: normType must be > 0 or Infinity, got NaN/);
  });
});

describe('clipGradValue', () => {
  test('clamps every element to [−c, c] and keeps NaN', () => {
    const ps = withGrads([-3, 0.5, 2], null, [Number.NaN, -0.1]);
    clipGradValue(ps, 1);
    assert.deepEqual(gradsOf(ps), [[-1, 0.5, 1], null, [Number.NaN, -0.1]]);
    assert.throws(() => clipGradValue(ps, -1), /clipGradValue: clipValue must be ≥ 0, got -1/);
  });
});
