// Samplers and the DataLoader: every sample exactly once per epoch, fresh orders, reproducibility
// from a seed and from a saved state (also mid-epoch), dropLast, and batchSize validation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler } from '../../src/data/index.js';
import { RNG } from '../../src/tensor/rng.js';
import { ValueError } from '../../src/util/errors.js';

const toLists = (batches: Iterable<Int32Array>): number[][] => [...batches].map((b) => Array.from(b));

function dataset(n: number): Dataset {
  // Feature = index, so a batch's x tells which rows it holds.
  return new Dataset(Float32Array.from({ length: n }, (_, i) => i), Int32Array.from({ length: n }, (_, i) => i % 3));
}

describe('BatchSampler', () => {
  test('covers every sample exactly once per epoch; orders differ between epochs', () => {
    const s = new BatchSampler(new RandomSampler(23, { seed: 7 }), { batchSize: 5 });
    assert.equal(s.numBatches, 5);
    const epochs = [toLists(s), toLists(s), toLists(s)];
    for (const batches of epochs) {
      assert.deepEqual(batches.map((b) => b.length), [5, 5, 5, 5, 3]);
      assert.deepEqual(batches.flat().sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
    }
    assert.notDeepEqual(epochs[0].flat(), epochs[1].flat());
    assert.notDeepEqual(epochs[1].flat(), epochs[2].flat());
  });

  test('dropLast drops the short last batch only', () => {
    const s = new BatchSampler(new RandomSampler(23, { seed: 1 }), { batchSize: 5, dropLast: true });
    assert.equal(s.numBatches, 4);
    const batches = toLists(s);
    assert.deepEqual(batches.map((b) => b.length), [5, 5, 5, 5]);
    assert.equal(new Set(batches.flat()).size, 20);
    const exact = new BatchSampler(new RandomSampler(20, { seed: 1 }), { batchSize: 5, dropLast: true });
    assert.equal(exact.numBatches, 4);
  });

  test('shuffle off: sequential batches', () => {
    const s = new BatchSampler(new SequentialSampler(7), { batchSize: 3 });
    assert.deepEqual(toLists(s), [[0, 1, 2], [3, 4, 5], [6]]);
    assert.deepEqual(toLists(s), [[0, 1, 2], [3, 4, 5], [6]]);
  });

  test('same seed ⇒ same batches; different seed ⇒ different', () => {
    const run = (seed: number): number[][][] => {
      const s = new BatchSampler(new RandomSampler(30, { seed }), { batchSize: 4 });
      return [toLists(s), toLists(s)];
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });

  test('restored state between epochs ⇒ identical continuation', () => {
    const a = new BatchSampler(new RandomSampler(17, { rng: new RNG(5) }), { batchSize: 4 });
    toLists(a);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = [toLists(a), toLists(a)];
    const b = new BatchSampler(new RandomSampler(17, { seed: 999 }), { batchSize: 4 });
    b.setState(saved);
    assert.deepEqual([toLists(b), toLists(b)], expected);
  });

  test('restored mid-epoch state ⇒ the rest of that epoch, then the same next epochs', () => {
    const a = new BatchSampler(new RandomSampler(17, { seed: 5 }), { batchSize: 4 });
    toLists(a); // epoch 1
    let saved: unknown = null;
    const rest: number[][] = [];
    let k = 0;
    for (const batch of a) {
      if (k >= 2) rest.push(Array.from(batch));
      if (k === 1) saved = JSON.parse(JSON.stringify(a.getState())); // checkpoint after training on two batches
      k++;
    }
    const next = toLists(a);
    const b = new BatchSampler(new RandomSampler(17, { seed: 0 }), { batchSize: 4 });
    b.setState(saved as ReturnType<BatchSampler['getState']>);
    assert.deepEqual(toLists(b), rest);
    assert.equal(rest.length, 3);
    assert.deepEqual(toLists(b), next);
  });

  test('state saved after an epoch’s last batch resumes with the next epoch', () => {
    const a = new BatchSampler(new RandomSampler(8, { seed: 2 }), { batchSize: 4 });
    let saved: ReturnType<BatchSampler['getState']> | null = null;
    for (const _ of a) saved = a.getState();
    const next = toLists(a);
    const b = new BatchSampler(new RandomSampler(8, { seed: 0 }), { batchSize: 4 });
    b.setState(saved!);
    assert.deepEqual(toLists(b), next);
  });

  test('break ends the epoch: the next loop is a full fresh epoch', () => {
    const s = new BatchSampler(new RandomSampler(12, { seed: 3 }), { batchSize: 4 });
    for (const _ of s) break;
    const full = toLists(s);
    assert.equal(full.length, 3);
    assert.equal(new Set(full.flat()).size, 12);
  });
});

describe('DataLoader', () => {
  test('yields { x, y, indices, size } whose rows match the indices; re-iterable with new orders', () => {
    const ds = dataset(10);
    const loader = new DataLoader(ds, { batchSize: 4, seed: 11 });
    assert.equal(loader.numBatches, 3);
    const epoch1 = [...loader];
    const epoch2 = [...loader];
    for (const b of epoch1) {
      assert.equal(b.size, b.indices.length);
      assert.deepEqual(b.x.shape, [b.size, 1]);
      assert.deepEqual(Array.from(b.x.data), Array.from(b.indices));
      assert.deepEqual(Array.from(b.y.data), Array.from(b.indices, (i) => i % 3));
    }
    assert.deepEqual(epoch1.map((b) => b.size), [4, 4, 2]);
    const order = (e: typeof epoch1): number[] => e.flatMap((b) => Array.from(b.indices));
    assert.deepEqual([...order(epoch1)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notDeepEqual(order(epoch1), order(epoch2));
  });

  test('shuffle: false visits in order; same seed ⇒ same batches; getState/setState resume', () => {
    const ds = dataset(9);
    const seq = new DataLoader(ds, { batchSize: 4, shuffle: false });
    assert.deepEqual([...seq].map((b) => Array.from(b.indices)), [[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    const ids = (l: DataLoader): number[][] => [...l].map((b) => Array.from(b.indices));
    assert.deepEqual(ids(new DataLoader(ds, { batchSize: 2, seed: 4 })), ids(new DataLoader(ds, { batchSize: 2, seed: 4 })));
    const a = new DataLoader(ds, { batchSize: 2, seed: 4 });
    ids(a);
    const state = JSON.parse(JSON.stringify(a.getState()));
    const expected = ids(a);
    const b = new DataLoader(ds, { batchSize: 2, seed: 123 });
    b.setState(state);
    assert.deepEqual(ids(b), expected);
  });

  test('validates batchSize, naming the value and the dataset size', () => {
    const ds = dataset(10);
    for (const bad of [0, -1, 2.5, 11, NaN]) {
      assert.throws(() => new DataLoader(ds, { batchSize: bad }), (e: unknown) =>
        e instanceof ValueError && e.message.includes(`got ${bad}`) && e.message.includes('the dataset has 10 samples') && e.message.includes('[1, 10]'));
    }
    assert.doesNotThrow(() => new DataLoader(ds, { batchSize: 10 }));
  });
});
