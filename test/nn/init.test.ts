import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Linear, init, mlp } from '../../src/nn/index.js';
import { empty } from '../../src/ops/core.js';
import { RNG } from '../../src/tensor/rng.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { ShapeError } from '../../src/util/errors.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.data;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / d.length;
  let v2 = 0;
  for (const v of d) v2 += (v - mean) ** 2;
  return { mean, std: Math.sqrt(v2 / d.length), min, max };
}

/** A uniform bound b is matched when all |w| ≤ b, the extremes come close to ±b, and std ≈ b/√3. */
function assertUniform(t: Tensor, bound: number): void {
  const s = stats(t);
  assert.ok(s.max <= bound && s.min >= -bound, `values within ±${bound}: [${s.min}, ${s.max}]`);
  assert.ok(s.max > 0.99 * bound && s.min < -0.99 * bound, `extremes reach ±${bound}: [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.std - bound / Math.sqrt(3)) < 0.02 * bound, `std ${s.std} vs ${bound / Math.sqrt(3)}`);
  assert.ok(Math.abs(s.mean) < 0.02 * bound, `mean ${s.mean}`);
}

function assertNormal(t: Tensor, std: number): void {
  const s = stats(t);
  assert.ok(Math.abs(s.std - std) < 0.02 * std, `std ${s.std} vs ${std}`);
  assert.ok(Math.abs(s.mean) < 0.02 * std, `mean ${s.mean}`);
}

// (out, in) = (200, 300): fanIn 300, fanOut 200. 60 000 samples.
const shape = [200, 300];
const w = (): Tensor => empty(shape, 'float64');

describe('initialisers match the PyTorch formulas', () => {
  it('computes fans like PyTorch, including a receptive field', () => {
    assert.deepEqual(init.computeFans([200, 300]), { fanIn: 300, fanOut: 200 });
    assert.deepEqual(init.computeFans([8, 3, 5, 5]), { fanIn: 75, fanOut: 200 });
    assert.throws(() => init.computeFans([5]), ShapeError);
  });

  it('gains', () => {
    assert.equal(init.calculateGain('relu'), Math.SQRT2);
    assert.equal(init.calculateGain('tanh'), 5 / 3);
    assert.equal(init.calculateGain('sigmoid'), 1);
    assert.ok(Math.abs(init.calculateGain('leakyRelu', 0.2) - Math.sqrt(2 / 1.04)) < 1e-15);
  });

  it('xavierUniform: bound = gain·√(6/(fanIn+fanOut))', () => {
    assertUniform(init.xavierUniform()(w(), new RNG(1)), Math.sqrt(6 / 500));
    assertUniform(init.xavierUniform({ gain: 2 })(w(), new RNG(1)), 2 * Math.sqrt(6 / 500));
  });

  it('xavierNormal: std = gain·√(2/(fanIn+fanOut))', () => {
    assertNormal(init.xavierNormal()(w(), new RNG(2)), Math.sqrt(2 / 500));
  });

  it('kaimingUniform: bound = gain·√(3/fan), relu gain √2, leaky relu √(2/(1+a²)), fanOut mode', () => {
    assertUniform(init.kaimingUniform({ nonlinearity: 'relu' })(w(), new RNG(3)), Math.SQRT2 * Math.sqrt(3 / 300));
    assertUniform(init.kaimingUniform({ a: 0.5 })(w(), new RNG(3)), Math.sqrt(2 / 1.25) * Math.sqrt(3 / 300));
    assertUniform(init.kaimingUniform({ nonlinearity: 'relu', mode: 'fanOut' })(w(), new RNG(3)), Math.SQRT2 * Math.sqrt(3 / 200));
  });

  it('kaimingNormal: std = gain/√fanIn', () => {
    assertNormal(init.kaimingNormal({ nonlinearity: 'relu' })(w(), new RNG(4)), Math.SQRT2 / Math.sqrt(300));
    assertNormal(init.kaimingNormal({ nonlinearity: 'tanh', mode: 'fanOut' })(w(), new RNG(4)), (5 / 3) / Math.sqrt(200));
  });

  it('uniform, normal, constant, zeros', () => {
    const u = stats(init.uniform(2, 4)(w(), new RNG(5)));
    assert.ok(u.min >= 2 && u.max < 4 && Math.abs(u.mean - 3) < 0.02);
    assertNormal(init.normal(0, 0.5)(w(), new RNG(6)), 0.5);
    const shifted = stats(init.normal(3, 0.5)(w(), new RNG(6)));
    assert.ok(Math.abs(shifted.mean - 3) < 0.01);
    assert.ok(init.constant(0.25)(w(), new RNG(0)).toFlatArray().every((v) => v === 0.25));
    assert.ok(init.zeros()(init.constant(1)(w(), new RNG(0)), new RNG(0)).toFlatArray().every((v) => v === 0));
  });

  it('Linear default is PyTorch’s: weight and bias in U(−1/√fanIn, 1/√fanIn)', () => {
    const fc = new Linear(300, 200, { rng: new RNG(7), dtype: 'float64' });
    assertUniform(fc.weight, 1 / Math.sqrt(300));
    const b = stats(fc.bias!);
    assert.ok(b.max <= 1 / Math.sqrt(300) && b.min >= -1 / Math.sqrt(300));
    assert.ok(b.max > 0.9 / Math.sqrt(300) && b.min < -0.9 / Math.sqrt(300));
  });

  it('mlp init option: kaiming uses the activation’s gain; the default is PyTorch’s', () => {
    const he = mlp([300, 200, 10], { init: 'kaimingUniform', activation: 'relu', rng: new RNG(8), dtype: 'float64' });
    assertUniform(he.parameters()[0], Math.SQRT2 * Math.sqrt(3 / 300));
    const dflt = mlp([300, 200, 10], { rng: new RNG(8), dtype: 'float64' });
    assertUniform(dflt.parameters()[0], 1 / Math.sqrt(300));
  });
});

describe('initialisers are reproducible', () => {
  it('same seed ⇒ identical weights; different seed ⇒ different', () => {
    const a = mlp([5, 7, 3], { rng: new RNG(42) }).parameters().map((p) => p.toFlatArray());
    const b = mlp([5, 7, 3], { rng: new RNG(42) }).parameters().map((p) => p.toFlatArray());
    const c = mlp([5, 7, 3], { rng: new RNG(43) }).parameters().map((p) => p.toFlatArray());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    for (const make of [init.xavierUniform(), init.xavierNormal(), init.kaimingUniform(), init.kaimingNormal(), init.uniform(), init.normal()]) {
      assert.deepEqual(make(empty([4, 3]), new RNG(1)).toFlatArray(), make(empty([4, 3]), new RNG(1)).toFlatArray());
      assert.notDeepEqual(make(empty([4, 3]), new RNG(1)).toFlatArray(), make(empty([4, 3]), new RNG(2)).toFlatArray());
    }
  });
});
