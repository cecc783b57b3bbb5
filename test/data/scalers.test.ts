// Scalers: statistics from the training split only, constant columns, JSON round trip, inverse.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MinMaxScaler, StandardScaler, scalerFromJSON } from '../../src/data/index.js';
import { tensor } from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';

function close(t: Tensor, expected: number[][], tol = 1e-6): void {
  assert.deepEqual(t.shape, [expected.length, expected[0].length]);
  expected.flat().forEach((e, i) => assert.ok(Math.abs(t.data[i] - e) <= tol, `element ${i}: ${t.data[i]} vs ${e}`));
}

const train = tensor([[1, 10, 5], [3, 20, 5], [5, 60, 5]], { dtype: 'float64' });
const other = tensor([[7, 0, 9]], { dtype: 'float64' });

describe('StandardScaler', () => {
  test('standardises with the training mean and population std; constant column only centred', () => {
    const s = new StandardScaler().fit(train);
    // column 0: mean 3, std sqrt(8/3); column 1: mean 30, std sqrt(1400/3); column 2: constant 5.
    assert.deepEqual(s.mean, [3, 30, 5]);
    const s0 = Math.sqrt(8 / 3);
    const s1 = Math.sqrt(1400 / 3);
    assert.deepEqual(s.std.map((v) => +v.toFixed(12)), [+s0.toFixed(12), +s1.toFixed(12), 1]);
    close(s.transform(train), [[-2 / s0, -20 / s1, 0], [0, -10 / s1, 0], [2 / s0, 30 / s1, 0]]);
    // Other data uses the training statistics, not its own.
    close(s.transform(other), [[4 / s0, -30 / s1, 4]]);
  });

  test('fitTransform, inverseTransform, JSON round trip', () => {
    const s = new StandardScaler();
    const z = s.fitTransform(train);
    close(s.inverseTransform(z), train.toArray() as number[][]);
    const restored = scalerFromJSON(JSON.parse(JSON.stringify(s)));
    assert.ok(restored instanceof StandardScaler);
    close(restored.transform(other), s.transform(other).toArray() as number[][]);
    assert.equal(StandardScaler.fromJSON(s.toJSON()).numFeatures, 3);
  });

  test('errors: not fitted, wrong width, bad JSON', () => {
    assert.throws(() => new StandardScaler().transform(train), /call fit\(\) on the training features first/);
    const s = new StandardScaler().fit(train);
    assert.throws(() => s.transform(tensor([[1, 2]])), /fitted on 3 features, got 2/);
    assert.throws(() => scalerFromJSON({ type: 'robust' } as never), /unknown scaler type "robust"/);
    assert.throws(() => StandardScaler.fromJSON({ type: 'standard', mean: [1], scale: [0] }), /scales > 0/);
  });
});

describe('MinMaxScaler', () => {
  test('maps the training range to [0, 1]; constant column → 0; other data may leave [0, 1]', () => {
    const s = new MinMaxScaler().fit(train);
    close(s.transform(train), [[0, 0, 0], [0.5, 0.2, 0], [1, 1, 0]]);
    close(s.transform(other), [[1.5, -0.2, 4]]);
  });

  test('featureRange and JSON round trip', () => {
    const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit(train);
    close(s.transform(train), [[-1, -1, -1], [0, -0.6, -1], [1, 1, -1]]);
    const restored = scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    assert.ok(restored instanceof MinMaxScaler);
    close(restored.transform(other), s.transform(other).toArray() as number[][]);
    close(restored.inverseTransform(restored.transform(train)), train.toArray() as number[][]);
    assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /finite lo < hi, got \[1, 1\]/);
  });
});
