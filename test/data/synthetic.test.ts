// Synthetic data: shapes and classes, determinism per seed, the generating rules, the registry.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Dataset, circles, datasetByName, gaussianBlobs, linearRegression, listDatasets, regression1d, spirals, twoMoons, xor,
} from '../../src/data/index.js';
import { RNG } from '../../src/tensor/rng.js';

const generators: [string, (o: { n?: number; noise?: number; seed?: number; rng?: RNG }) => Dataset, number][] = [
  ['xor', xor, 2],
  ['twoMoons', twoMoons, 2],
  ['circles', circles, 2],
  ['spirals', spirals, 3],
  ['gaussianBlobs', gaussianBlobs, 3],
];

describe('synthetic classification sets', () => {
  for (const [name, make, k] of generators) {
    test(`${name}: shape, balanced classes, same seed ⇒ same data, other seed ⇒ other data`, () => {
      const ds = make({ n: 61, seed: 3 });
      assert.deepEqual(ds.x.shape, [61, 2]);
      assert.equal(ds.y.dtype, 'int32');
      assert.equal(ds.numClasses, k);
      const counts = ds.classCounts();
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`);
      assert.deepEqual(make({ n: 61, seed: 3 }).x.toArray(), ds.x.toArray());
      assert.deepEqual(make({ n: 61, rng: new RNG(3) }).x.toArray(), ds.x.toArray());
      assert.notDeepEqual(make({ n: 61, seed: 4 }).x.toArray(), ds.x.toArray());
    });
  }

  test('noise-free sets follow their rules', () => {
    const x = xor({ n: 100, noise: 0, seed: 1 });
    for (let i = 0; i < 100; i++) assert.equal(x.y.data[i], x.x.data[2 * i] * x.x.data[2 * i + 1] < 0 ? 1 : 0);
    const c = circles({ n: 40, noise: 0, factor: 0.3 });
    for (let i = 0; i < 40; i++) {
      const r = Math.hypot(c.x.data[2 * i], c.x.data[2 * i + 1]);
      assert.ok(Math.abs(r - (c.y.data[i] === 0 ? 1 : 0.3)) < 1e-6);
    }
    const m = twoMoons({ n: 50, noise: 0 });
    for (let i = 0; i < 50; i++) {
      const [a, b] = [m.x.data[2 * i], m.x.data[2 * i + 1]];
      const r = m.y.data[i] === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      assert.ok(Math.abs(r - 1) < 1e-6);
    }
    const s = spirals({ n: 50, classes: 5, seed: 0 });
    assert.equal(s.numClasses, 5);
    const blobs = gaussianBlobs({ n: 30, classes: 4, features: 3, seed: 0 });
    assert.deepEqual(blobs.x.shape, [30, 3]);
  });
});

describe('synthetic regression sets', () => {
  test('linearRegression: y = Xw + b + small noise, returning the true w and b', () => {
    const { dataset, w, b } = linearRegression({ n: 500, seed: 0 });
    assert.deepEqual(w, [2, -3.4]);
    assert.equal(b, 4.2);
    assert.deepEqual(dataset.x.shape, [500, 2]);
    assert.deepEqual(dataset.y.shape, [500, 1]);
    assert.equal(dataset.task, 'regression');
    let sq = 0;
    for (let i = 0; i < 500; i++) sq += (dataset.y.data[i] - (2 * dataset.x.data[2 * i] - 3.4 * dataset.x.data[2 * i + 1] + 4.2)) ** 2;
    const std = Math.sqrt(sq / 500);
    assert.ok(std > 0.008 && std < 0.012, `residual std ${std} should be about the noise 0.01`);
    const three = linearRegression({ n: 10, w: [1, 2, 3], b: 0, noise: 0, seed: 1 });
    assert.deepEqual(three.dataset.x.shape, [10, 3]);
    assert.deepEqual(linearRegression({ n: 10, seed: 5 }).dataset.y.toArray(), linearRegression({ n: 10, seed: 5 }).dataset.y.toArray());
    assert.throws(() => linearRegression({ noise: -1 }), /noise must be ≥ 0, got -1/);
  });

  test('regression1d: sorted x in [−π, π], y ≈ sin x', () => {
    const ds = regression1d({ n: 200, noise: 0.05, seed: 2 });
    assert.deepEqual(ds.x.shape, [200, 1]);
    assert.deepEqual(ds.y.shape, [200, 1]);
    for (let i = 0; i < 200; i++) {
      assert.ok(ds.x.data[i] >= -Math.PI && ds.x.data[i] <= Math.PI);
      if (i > 0) assert.ok(ds.x.data[i] >= ds.x.data[i - 1]);
      assert.ok(Math.abs(ds.y.data[i] - Math.sin(ds.x.data[i])) < 0.3);
    }
  });
});

describe('registry', () => {
  test('lists every dataset with a description, loads each by name', async () => {
    const list = listDatasets();
    assert.deepEqual(list.map((d) => d.name), ['iris', 'mnist', 'linear', 'sine', 'xor', 'moons', 'circles', 'spirals', 'blobs']);
    for (const d of list) assert.ok(d.description.length > 10);
    for (const d of list.filter((e) => e.name !== 'mnist')) {
      const ds = await datasetByName(d.name, { seed: 1 });
      assert.equal(ds.task, d.task);
      assert.ok(ds.length > 0);
    }
    const moons = await datasetByName('moons', { n: 30, noise: 0.2, seed: 1 });
    assert.deepEqual(moons.x.toArray(), twoMoons({ n: 30, noise: 0.2, seed: 1 }).x.toArray());
    const digits = await datasetByName('mnist', { n: 20 });
    assert.equal(digits.length, 20);
    await assert.rejects(() => datasetByName('cifar'), /unknown dataset "cifar"; available: iris, mnist, linear/);
  });
});
