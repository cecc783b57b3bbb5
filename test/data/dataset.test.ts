// Dataset construction from arrays, tensors and records; batches, subsets and task info.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../src/data/index.js';
import { tensor } from '../../src/ops/index.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';

describe('Dataset', () => {
  test('typed arrays: int32 labels make a classification set', () => {
    const ds = new Dataset(new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), new Int32Array([0, 1, 1, 0]));
    assert.equal(ds.task, 'classification');
    assert.equal(ds.length, 4);
    assert.deepEqual(ds.x.shape, [4, 2]);
    assert.equal(ds.y.dtype, 'int32');
    assert.equal(ds.numClasses, 2);
    assert.deepEqual(ds.classNames, ['0', '1']);
    assert.deepEqual(ds.featureNames, ['x1', 'x2']);
    assert.equal(ds.outputSize, 2);
    assert.deepEqual(ds.classCounts(), [2, 2]);
  });

  test('nested arrays: float targets make a regression set with y of shape [n, 1]', () => {
    const ds = new Dataset([[1, 2], [3, 4], [5, 6]], [1.5, 2.5, 3.5]);
    assert.equal(ds.task, 'regression');
    assert.deepEqual(ds.y.shape, [3, 1]);
    assert.equal(ds.y.dtype, 'float32');
    assert.equal(ds.numClasses, 0);
    assert.deepEqual(ds.targetNames, ['y']);
    assert.equal(ds.outputSize, 1);
  });

  test('batch gathers the given rows of x and y; subset keeps names', () => {
    const ds = new Dataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor(new Int32Array([2, 0, 1])), { classNames: ['a', 'b', 'c'], featureNames: ['p', 'q'] });
    const b = ds.batch([2, 0]);
    assert.deepEqual(b.x.toArray(), [[5, 6], [1, 2]]);
    assert.deepEqual(b.y.toArray(), [1, 2]);
    assert.deepEqual(Array.from(b.indices), [2, 0]);
    assert.equal(b.size, 2);
    const s = ds.subset([1]);
    assert.equal(s.length, 1);
    assert.deepEqual(s.classNames, ['a', 'b', 'c']);
    assert.deepEqual(s.featureNames, ['p', 'q']);
    assert.throws(() => ds.batch([3]), /index 3 at position 0 is out of range \[0, 3\)/);
  });

  test('validation: length mismatch, bad labels, non-finite features, wrong name counts', () => {
    assert.throws(() => new Dataset([[1], [2]], new Int32Array([0, 1, 1])), ShapeError);
    assert.throws(() => new Dataset([[1], [2]], [0.5, 1], { task: 'classification' }), /label at position 0 must be an integer ≥ 0, got 0.5/);
    assert.throws(() => new Dataset([[1], [2]], new Int32Array([0, 3]), { numClasses: 2 }), /label 3 is out of range for numClasses = 2/);
    assert.throws(() => new Dataset([[1], [NaN]], [1, 2]), /non-finite value NaN/);
    assert.throws(() => new Dataset([[1, 2]], [1], { featureNames: ['a'] }), (e: unknown) => e instanceof ValueError && /featureNames has 1 names, expected 2/.test(e.message));
  });

  test('featureShape reshapes flat features', () => {
    const ds = new Dataset(new Float32Array(2 * 6), new Int32Array([0, 1]), { featureShape: [1, 2, 3] });
    assert.deepEqual(ds.x.shape, [2, 1, 2, 3]);
    assert.equal(ds.numFeatures, 6);
    assert.throws(() => new Dataset(new Float32Array(7), new Int32Array([0, 1])), /7 feature values do not make 2 samples/);
  });

  test('fromRecords: string targets become sorted classes; numeric ones regression', () => {
    const records = [
      { a: 1, b: 2, kind: 'cat' },
      { a: 3, b: 4, kind: 'ant' },
      { a: 5, b: 6, kind: 'cat' },
    ];
    const ds = Dataset.fromRecords(records, { features: ['a', 'b'], target: 'kind' });
    assert.equal(ds.task, 'classification');
    assert.deepEqual(ds.classNames, ['ant', 'cat']);
    assert.deepEqual(ds.y.toArray(), [1, 0, 1]);
    assert.deepEqual(ds.x.toArray(), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(ds.featureNames, ['a', 'b']);

    const reg = Dataset.fromRecords([{ a: 1, p: 10 }, { a: 2, p: 20 }], { features: ['a'], target: 'p' });
    assert.equal(reg.task, 'regression');
    assert.deepEqual(reg.y.toArray(), [[10], [20]]);
    assert.deepEqual(reg.targetNames, ['p']);

    const forced = Dataset.fromRecords([{ a: 1, p: 3 }, { a: 2, p: 1 }], { features: ['a'], target: 'p', task: 'classification' });
    assert.deepEqual(forced.classNames, ['1', '3']);
    assert.deepEqual(forced.y.toArray(), [1, 0]);

    assert.throws(() => Dataset.fromRecords([{ a: 'x', p: 1 }], { features: ['a'], target: 'p' }), /record 0 field 'a' must be a finite number, got "x"/);
  });
});
