// Work a backend leaves running past a call (tensor/pending.ts): reads of any tensor's elements
// settle it first; bookkeeping that only compares arrays (storageOf, tidy) does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settlePending, tensor, tidy } from '../../src/index.js';
import { leavePending, pendingWork } from '../../src/tensor/pending.js';
import { storageOf } from '../../src/tensor/tensor.js';

test('a tensor read settles the pending work once, before it reads; storageOf and tidy do not', () => {
  const t = tensor([1, 2, 3]);
  const log: string[] = [];
  // Stands in for a product that writes `t` on another thread: the read must come after it.
  const finish = (): void => {
    log.push('settled');
    t.data[0] = 10;
  };
  leavePending(finish);
  assert.equal(storageOf(t)[0], 1, 'storageOf hands out the array without waiting');
  tidy(() => void tensor([4, 5, 6]));
  assert.deepEqual(log, [], 'tidy compares and frees arrays without waiting');
  assert.equal(t.data[0], 10, 'the read sees what the pending work wrote');
  void t.data;
  assert.deepEqual(log, ['settled'], 'settled exactly once');
  assert.equal(pendingWork, null);
});

test('leaving the same work again changes nothing; other work settles the first; settlePending with none is a no-op', () => {
  const log: string[] = [];
  const first = (): void => void log.push('first');
  const second = (): void => void log.push('second');
  leavePending(first);
  leavePending(first);
  assert.deepEqual(log, [], 'the same function registered twice is not run');
  leavePending(second);
  assert.deepEqual(log, ['first'], 'registering other work settles the first');
  settlePending();
  settlePending();
  assert.deepEqual(log, ['first', 'second']);
});
