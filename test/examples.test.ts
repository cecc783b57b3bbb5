import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// The README's code lives in examples/; running it here keeps the README honest.
const run = (file: string): string => execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });

test("the README's lecture example recovers w = (2, −3) and b = 0.5", () => {
  const out = run('examples/lecture-linear-regression.ts');
  const m = /w = \[ (\S+), (\S+) \] b = (\S+)/.exec(out);
  assert.ok(m, out);
  assert.ok(Math.abs(Number(m[1]) - 2) < 1e-4 && Math.abs(Number(m[2]) + 3) < 1e-4 && Math.abs(Number(m[3]) - 0.5) < 1e-4, out);
});

test('the XOR example reaches the target loss with accuracy 1', () => {
  const out = run('examples/xor-fit.ts');
  assert.match(out, /reached the target .* accuracy 1\b/);
});
