// The one name → optimizer table the CLI and the playground build from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, SGD, optimizerByName, optimizerNames, tensor } from '../../src/index.js';
import { isLibraryOptimizer } from '../../src/optim/registry.js';

test('a name builds its class with its preset, then the given options; the spec records what the constructor got', () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const made = optimizerByName('nesterov', [p], { lr: 0.1, momentum: 0.5 });
  assert.ok(made.optimizer instanceof SGD);
  assert.equal(made.className, 'SGD');
  assert.deepEqual(made.options, { momentum: 0.5, nesterov: true, lr: 0.1 });
  assert.deepEqual(made.optimizer.paramGroups[0].options.momentum, 0.5);
  assert.ok(optimizerByName('adamw', [p], { lr: 0.01, betas: [0.8, 0.9] }).optimizer instanceof AdamW);
  assert.deepEqual(optimizerNames, ['sgd', 'gd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad']);
});

test('unknown names, misspelt options and wrong kinds are errors that say what is allowed', () => {
  const p = tensor([1], { requiresGrad: true });
  assert.throws(() => optimizerByName('adma', [p], { lr: 1 }), /unknown optimizer 'adma'; expected one of sgd, gd, momentum/);
  assert.throws(() => optimizerByName('sgd', [p], { lr: 1, momentun: 0.9 }), /optimizer 'sgd' has no option 'momentun'; its options are lr, momentum, dampening/);
  assert.throws(() => optimizerByName('adam', [p], { lr: 1, betas: 0.9 }), /option 'betas' must be a pair of numbers, got 0.9/);
  assert.throws(() => optimizerByName('sgd', [p], { lr: -1 }), /lr/);
});

test('only the library\'s own classes count as its optimizers (a subclass may read what a fused step writes)', () => {
  const p = tensor([1], { requiresGrad: true });
  class Mine extends SGD {}
  assert.equal(isLibraryOptimizer(new SGD([p], { lr: 1 })), true);
  assert.equal(isLibraryOptimizer(new Mine([p], { lr: 1 })), false);
  assert.equal(isLibraryOptimizer({ step() {}, zeroGrad() {} }), false);
});
