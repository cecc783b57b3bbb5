import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { Module, Parameter, Linear, Sequential, Dropout, ReLU, Tanh, Flatten, Softmax, LeakyReLU, mlp, moduleFromSpec, registerModuleType } from '../../src/nn/index.js';
import type { ModuleSpec } from '../../src/nn/index.js';
import { linear, randn, tensor, zeros } from '../../src/ops/index.js';
import { RNG } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { ShapeError, ValueError } from '../../src/util/errors.js';

const names = (m: Module): string[] => m.namedParameters().map(([n]) => n);

describe('Module discovery', () => {
  it('names mlp parameters layers.i.weight / layers.i.bias in layer order', () => {
    const model = mlp([4, 3, 2, 1], { rng: new RNG(1) });
    assert.deepEqual(names(model), ['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias', 'layers.4.weight', 'layers.4.bias']);
    assert.deepEqual(model.parameters().map((p) => p.shape), [[3, 4], [3], [2, 3], [2], [1, 2], [1]]);
    assert.equal(model.numParameters(), 3 * 4 + 3 + 2 * 3 + 2 + 2 + 1);
    assert.ok(model.parameters().every((p) => p instanceof Parameter && p.requiresGrad));
  });

  it('finds fields, nested modules, arrays, registered entries; ignores plain tensors and null', () => {
    class Block extends Module {
      scale = this.param(tensor([2]));
      constant = tensor([5]); // a plain tensor: not a parameter
      forward(x: Tensor): Tensor { return x.mul(this.scale); }
    }
    class Net extends Module {
      first = new Linear(2, 2, { rng: new RNG(0) });
      blocks = [new Block(), new Block()];
      nothing: Parameter | null = null;
      hidden = 7;
      constructor() {
        super();
        this.registerParameter('extra', zeros([3]));
        this.registerModule('head', new Linear(2, 1, { bias: false, rng: new RNG(1) }));
      }
      forward(x: Tensor): Tensor { return x; }
    }
    const net = new Net();
    assert.deepEqual(names(net), ['first.weight', 'first.bias', 'blocks.0.scale', 'blocks.1.scale', 'extra', 'head.weight']);
    assert.deepEqual(net.namedModules().map(([n]) => n), ['', 'first', 'blocks.0', 'blocks.1', 'head']);
    assert.deepEqual(net.namedChildren().map(([n]) => n), ['first', 'blocks.0', 'blocks.1', 'head']);
    assert.equal(net.children().length, 4);
    assert.throws(() => net.registerParameter('a.b', zeros([1])), ValueError);
    assert.throws(() => net.registerModule('forward', new Linear(1, 1)), /would hide/);
  });

  it('lists a shared parameter once', () => {
    const shared = new Linear(2, 2, { rng: new RNG(0) });
    const model = new Sequential(shared, new ReLU(), shared);
    assert.deepEqual(names(model), ['layers.0.weight', 'layers.0.bias']);
  });

  it('zeroGrad clears gradients', () => {
    const model = mlp([2, 3, 1], { rng: new RNG(0) });
    model.forward(randn([4, 2], { rng: new RNG(1) })).sum().backward();
    assert.ok(model.parameters().every((p) => p.grad !== null));
    model.zeroGrad();
    assert.ok(model.parameters().every((p) => p.grad === null));
  });
});

describe('stateDict / loadStateDict', () => {
  const x = randn([5, 4], { rng: new RNG(9) });

  it('round trips: a differently seeded model gives identical outputs after loading', () => {
    const a = mlp([4, 6, 3], { rng: new RNG(1) });
    const b = mlp([4, 6, 3], { rng: new RNG(2) });
    assert.notDeepEqual(a.forward(x).toFlatArray(), b.forward(x).toFlatArray());
    const keep = b.parameters();
    b.loadStateDict(a.stateDict());
    assert.deepEqual(b.forward(x).toFlatArray(), a.forward(x).toFlatArray());
    assert.ok(b.parameters().every((p, i) => p === keep[i]), 'parameters are updated in place');
  });

  it('is a snapshot, not a view', () => {
    const a = mlp([4, 2], { rng: new RNG(1) });
    const state = a.stateDict();
    const before = state['layers.0.weight'].toFlatArray();
    a.parameters()[0].data[0] += 1;
    assert.deepEqual(state['layers.0.weight'].toFlatArray(), before);
    assert.equal(state['layers.0.weight'].requiresGrad, false);
  });

  it('strict mode names missing and unexpected keys; non-strict reports them', () => {
    const a = mlp([4, 2], { rng: new RNG(1) });
    const state = a.stateDict();
    const bad: Record<string, Tensor> = { 'layers.0.weight': state['layers.0.weight'], 'layers.9.bias': zeros([2]) };
    assert.throws(() => a.loadStateDict(bad), (e: Error) => e instanceof ValueError && /missing keys: layers\.0\.bias/.test(e.message) && /unexpected keys: layers\.9\.bias/.test(e.message));
    const result = a.loadStateDict(bad, { strict: false });
    assert.deepEqual(result, { missingKeys: ['layers.0.bias'], unexpectedKeys: ['layers.9.bias'] });
  });

  it('shape mismatch names the key and both shapes, and copies nothing', () => {
    const a = mlp([4, 2], { rng: new RNG(1) });
    const before = a.parameters().map((p) => p.toFlatArray());
    const state = { 'layers.0.weight': zeros([2, 4]), 'layers.0.bias': zeros([3]) };
    assert.throws(() => a.loadStateDict(state), (e: Error) => e instanceof ShapeError && e.message.includes("'layers.0.bias'") && e.message.includes('[3]') && e.message.includes('[2]'));
    assert.deepEqual(a.parameters().map((p) => p.toFlatArray()), before);
  });
});

describe('train / eval', () => {
  it('toggles Dropout in every submodule', () => {
    const model = new Sequential(new Linear(3, 3, { rng: new RNG(0) }), new Dropout(0.5, { rng: new RNG(1) }));
    const x = randn([50, 3], { rng: new RNG(2) });
    assert.equal(model.training, true);
    const trainOut = noGrad(() => model.forward(x));
    const plain = noGrad(() => model.layers[0].forward(x));
    assert.notDeepEqual(trainOut.toFlatArray(), plain.toFlatArray());
    assert.equal(model.eval(), model);
    assert.ok(model.namedModules().every(([, m]) => !m.training));
    assert.deepEqual(noGrad(() => model.forward(x)).toFlatArray(), plain.toFlatArray());
    model.train();
    assert.ok(model.layers[1].training);
  });

  it('Dropout is inverted (survivors scaled by 1/(1−p)), seeded, and keeps about 1−p', () => {
    const x = tensor(new Float64Array(20000).fill(1));
    const y1 = new Dropout(0.25, { rng: new RNG(5) }).forward(x).toFlatArray();
    const y2 = new Dropout(0.25, { rng: new RNG(5) }).forward(x).toFlatArray();
    assert.deepEqual(y1, y2);
    assert.ok(y1.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-12));
    const kept = y1.filter((v) => v !== 0).length / y1.length;
    assert.ok(Math.abs(kept - 0.75) < 0.02, `kept ${kept}`);
    assert.deepEqual(new Dropout(1).forward(tensor([1, 2])).toFlatArray(), [0, 0]);
    assert.throws(() => new Dropout(1.5), ValueError);
  });
});

describe('toSpec / moduleFromSpec', () => {
  it('rebuilds an mlp from JSON; with the state dict it predicts identically', () => {
    const model = mlp([4, 8, 8, 3], { activation: 'leakyRelu', slope: 0.2, outputActivation: 'softmax', dropout: 0.1, rng: new RNG(3) });
    const spec = JSON.parse(JSON.stringify(model.toSpec())) as ModuleSpec;
    const copy = moduleFromSpec(spec, { rng: new RNG(99) });
    assert.deepEqual(copy.toSpec(), model.toSpec());
    copy.loadStateDict(model.stateDict());
    model.eval();
    copy.eval();
    const x = randn([6, 4], { rng: new RNG(4) });
    assert.deepEqual(copy.forward(x).toFlatArray(), model.forward(x).toFlatArray());
  });

  it('covers every built-in layer, including float64 and no-bias Linear', () => {
    const model = new Sequential(new Flatten(), new Linear(6, 2, { bias: false, dtype: 'float64', rng: new RNG(0) }), new LeakyReLU(0.3), new Tanh(), new Softmax(1));
    const copy = moduleFromSpec(model.toSpec()) as Sequential;
    assert.deepEqual(copy.toSpec(), model.toSpec());
    assert.equal(copy.parameters()[0].dtype, 'float64');
    assert.deepEqual(names(copy), ['layers.1.weight']);
  });

  it('rejects unknown types listing known ones; custom types can be registered', () => {
    assert.throws(() => moduleFromSpec({ type: 'Conv9d' }), (e: Error) => e instanceof ValueError && e.message.includes('Conv9d') && e.message.includes('Linear'));
    assert.throws(() => moduleFromSpec({ type: 'Linear', inFeatures: 2 }), /outFeatures/);
    class Scale extends Module {
      constructor(readonly factor: number) { super(); }
      forward(x: Tensor): Tensor { return x.mul(this.factor); }
      override toSpec(): ModuleSpec { return { type: 'Scale', factor: this.factor }; }
    }
    assert.throws(() => new (class extends Module { forward(x: Tensor) { return x; } })().toSpec(), /toSpec/);
    registerModuleType('Scale', (s) => new Scale(s.factor as number));
    const m = moduleFromSpec(new Sequential(new Scale(3)).toSpec()) as Sequential;
    assert.deepEqual(m.forward(tensor([1, 2])).toFlatArray(), [3, 6]);
  });
});

describe('Linear', () => {
  it('computes x·Wᵀ + b with weight (out, in)', () => {
    const fc = new Linear(2, 3, { rng: new RNG(0) });
    fc.weight.data.set([1, 2, 3, 4, 5, 6]);
    fc.bias!.data.set([0.5, 0, -1]);
    assert.deepEqual(fc.forward(tensor([[1, 1]])).toArray(), [[3.5, 7, 10]]);
    assert.deepEqual(fc.forward(tensor([1, 1])).toArray(), [3.5, 7, 10]);
    assert.deepEqual(fc.forward(tensor([[[1, 1]], [[0, 1]]])).shape, [2, 1, 3]);
    assert.deepEqual(fc.forward(tensor([[1, 1]])).toFlatArray(), linear(tensor([[1, 1]]), fc.weight, fc.bias).toFlatArray());
    assert.match(String(mlp([2, 1])), /Linear\(in=2, out=1, bias=true\)/);
  });

  it('validates its arguments', () => {
    assert.throws(() => new Linear(0, 2), /inFeatures must be an integer ≥ 1, got 0/);
    assert.throws(() => mlp([3]), ValueError);
    assert.throws(() => mlp([3, 2], { activation: 'gelu' as 'relu' }), /activation must be one of/);
  });
});
