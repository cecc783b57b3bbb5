// train/val/test splits: disjoint and covering, stratified proportions, tail mode, seeds, errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, iris, trainValTestSplit, type Split } from '../../src/data/index.js';
import { ValueError } from '../../src/util/errors.js';

function assertPartition(split: Split, n: number): void {
  const all = [...split.indices.train, ...split.indices.val, ...split.indices.test];
  assert.equal(all.length, n, 'splits must cover every sample');
  assert.equal(new Set(all).size, n, 'splits must be disjoint');
  assert.equal(split.train.length, split.indices.train.length);
  assert.equal(split.val.length, split.indices.val.length);
  assert.equal(split.test.length, split.indices.test.length);
}

/** Unbalanced labels: class 0 ×60, class 1 ×30, class 2 ×10, sorted by class. */
function unbalanced(): Dataset {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
  return new Dataset(Float32Array.from({ length: 100 }, (_, i) => i), labels, { classNames: ['a', 'b', 'c'] });
}

describe('trainValTestSplit', () => {
  test('stratified (default for classification): disjoint, covering, proportions within 1 per class', () => {
    const ds = unbalanced();
    const split = trainValTestSplit(ds, { val: 0.2, test: 0.1, seed: 0 });
    assertPartition(split, 100);
    const counts = ds.classCounts();
    for (const [part, frac] of [['val', 0.2], ['test', 0.1], ['train', 0.7]] as const) {
      split[part].classCounts().forEach((c, k) => assert.ok(Math.abs(c - frac * counts[k]) <= 1, `${part} class ${k}: ${c} vs ${frac * counts[k]}`));
    }
    // rows carried over: x holds the original index, y its label.
    split.val.x.data.forEach((v, i) => assert.equal(split.val.y.data[i], ds.y.data[v]));
  });

  test('iris stratified 70/15/15 keeps the 1:1:1 class balance', () => {
    const split = trainValTestSplit(iris(), { val: 0.15, test: 0.15, seed: 42 });
    assertPartition(split, 150);
    assert.deepEqual(split.val.classCounts(), [8, 8, 8]);
    assert.deepEqual(split.test.classCounts(), [8, 8, 8]);
    assert.deepEqual(split.train.classCounts(), [34, 34, 34]);
  });

  test('shuffles: deterministic per seed, different across seeds, not the original order', () => {
    const ds = unbalanced();
    const a = trainValTestSplit(ds, { val: 0.3, seed: 1 });
    const b = trainValTestSplit(ds, { val: 0.3, seed: 1 });
    const c = trainValTestSplit(ds, { val: 0.3, seed: 2 });
    assert.deepEqual(a.indices, b.indices);
    assert.notDeepEqual(Array.from(a.indices.val), Array.from(c.indices.val));
    const plain = trainValTestSplit(ds, { val: 0.3, seed: 1, stratify: false });
    assertPartition(plain, 100);
    assert.equal(plain.val.length, 30);
    assert.notDeepEqual(Array.from(plain.indices.val), Array.from({ length: 30 }, (_, i) => 70 + i));
  });

  test("tail mode keeps the order: train first, then val, then the last samples as test", () => {
    const ds = new Dataset(Float32Array.from({ length: 10 }, (_, i) => i), Float32Array.from({ length: 10 }, (_, i) => i * 2));
    const split = trainValTestSplit(ds, { val: 0.2, test: 0.3, mode: 'tail' });
    assert.deepEqual(Array.from(split.indices.train), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(split.indices.val), [5, 6]);
    assert.deepEqual(Array.from(split.indices.test), [7, 8, 9]);
    assert.deepEqual(split.test.y.toArray(), [[14], [16], [18]]);
    assert.throws(() => trainValTestSplit(unbalanced(), { mode: 'tail', stratify: true }), /stratify cannot be combined with mode 'tail'/);
  });

  test('a class too small for every requested split is an error naming it and its count', () => {
    const labels = new Int32Array([0, 0, 0, 0, 0, 0, 1, 1]);
    const ds = new Dataset(new Float32Array(8), labels, { classNames: ['common', 'rare'] });
    assert.throws(() => trainValTestSplit(ds, { val: 0.2, test: 0.2, seed: 0 }), (e: unknown) =>
      e instanceof ValueError && /class 'rare' \(label 1\) has 2 samples, too few to appear in each of the 3 requested splits/.test(e.message));
    assert.doesNotThrow(() => trainValTestSplit(ds, { val: 0.2, seed: 0 }));
  });

  test('validates fractions', () => {
    const ds = unbalanced();
    assert.throws(() => trainValTestSplit(ds, { val: 1.2 }), /val must be in \[0, 1\), got 1.2/);
    assert.throws(() => trainValTestSplit(ds, { val: 0.6, test: 0.5 }), /val \+ test must be < 1/);
    assert.throws(() => trainValTestSplit(ds, { mode: 'random' as 'tail' }), /mode must be one of 'shuffle', 'tail'/);
  });
});
