import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { accuracy, bceWithLogitsLoss, crossEntropyLoss, mlp, type Sequential } from '../../src/nn/index.js';
import { tensor } from '../../src/ops/index.js';
import { RNG } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const labels = [0, 1, 1, 0];

/** Plain full-batch gradient descent written with raw ops: w ← w − lr·∂L/∂w. */
function train(model: Sequential, loss: (out: Tensor) => Tensor, steps: number, lr: number): number[] {
  const history: number[] = [];
  for (let step = 0; step < steps; step++) {
    model.zeroGrad();
    const l = loss(model.forward(x));
    l.backward();
    history.push(l.item());
    noGrad(() => {
      for (const p of model.parameters()) {
        const g = p.grad!.data;
        for (let i = 0; i < p.size; i++) p.data[i] -= lr * g[i];
      }
    });
  }
  return history;
}

describe('an MLP learns XOR with plain gradient descent', () => {
  it('one logit + binary cross-entropy: 100% accuracy', () => {
    const model = mlp([2, 8, 1], { activation: 'tanh', rng: new RNG(0) });
    const history = train(model, (out) => bceWithLogitsLoss(out, tensor([[0], [1], [1], [0]])), 1500, 0.5);
    const out = noGrad(() => model.forward(x));
    assert.equal(accuracy(out, labels), 1, `outputs ${out.toFlatArray()}`);
    assert.ok(history[history.length - 1] < 0.05 && history[history.length - 1] < history[0] / 10, `loss ${history[0]} → ${history[history.length - 1]}`);
  });

  it('two logits + cross-entropy with a ReLU network: 100% accuracy', () => {
    const model = mlp([2, 16, 2], { activation: 'relu', init: 'kaimingUniform', rng: new RNG(1) });
    train(model, (out) => crossEntropyLoss(out, labels), 1000, 0.3);
    assert.equal(accuracy(noGrad(() => model.forward(x)), labels), 1);
  });

  it('same seed ⇒ bit-identical final weights', () => {
    const run = (seed: number): number[][] => {
      const model = mlp([2, 8, 1], { activation: 'tanh', rng: new RNG(seed) });
      train(model, (out) => bceWithLogitsLoss(out, tensor([[0], [1], [1], [0]])), 200, 0.5);
      return model.parameters().map((p) => p.toFlatArray());
    };
    const a = run(7);
    assert.deepEqual(run(7), a);
    assert.notDeepEqual(run(8), a);
  });
});
