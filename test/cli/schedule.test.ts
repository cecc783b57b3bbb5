// `--schedule` specs: parsing, and the learning rates they give per epoch (or per batch for onecycle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from '../../cli/errors.js';
import { buildSchedule, parseSchedule } from '../../cli/schedule.js';

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-12;

test('step, exp and multistep decay per epoch', () => {
  const step = buildSchedule(parseSchedule('step:10:0.5'), 0.1, 30, 7)!;
  assert.equal(step.unit, 'epoch');
  assert.deepEqual([0, 9, 10, 25].map(step.schedule), [0.1, 0.1, 0.05, 0.025]);
  const exp = buildSchedule(parseSchedule('exp:0.9'), 1, 5, 3)!;
  assert.ok(close(exp.schedule(2), 0.81));
  const multi = buildSchedule(parseSchedule('multistep:3,5'), 1, 8, 3)!;
  assert.deepEqual([0, 3, 5].map((t) => Number(multi.schedule(t).toFixed(6))), [1, 0.1, 0.01]);
  assert.equal(buildSchedule(parseSchedule('constant'), 0.1, 10, 3), null);
});

test('cosine anneals over the run; warmup ramps up from lr/(w+1) first', () => {
  const cos = buildSchedule(parseSchedule('cosine'), 0.1, 10, 5)!;
  assert.ok(close(cos.schedule(0), 0.1));
  assert.ok(close(cos.schedule(5), 0.05));
  assert.ok(cos.schedule(9) > 0 && cos.schedule(9) < 0.01);
  const warm = buildSchedule(parseSchedule('warmup:2:cosine'), 0.3, 12, 5)!;
  assert.ok(close(warm.schedule(0), 0.1));
  assert.ok(close(warm.schedule(1), 0.2));
  assert.ok(close(warm.schedule(2), 0.3));
  assert.ok(close(warm.schedule(7), 0.15), 'halfway through the 10 cosine epochs');
});

test('onecycle counts batches over the whole run', () => {
  const one = buildSchedule(parseSchedule('onecycle:0.5'), 0.1, 4, 25)!;
  assert.equal(one.unit, 'batch');
  const lrs = Array.from({ length: 100 }, (_, t) => one.schedule(t));
  assert.ok(close(Math.max(...lrs), 0.5));
  assert.ok(lrs[0] < 0.05 && lrs[99] < 1e-4);
});

test('bad specs are errors that show the accepted forms', () => {
  for (const bad of ['linear', 'step', 'step:0', 'exp:x', 'cosine:1:2', 'warmup:2:onecycle', 'multistep:a']) {
    assert.throws(() => parseSchedule(bad), (e: unknown) => e instanceof CliError && /expected constant \| step/.test(e.message), bad);
  }
});
